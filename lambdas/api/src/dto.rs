//! The wire forms: what clients send (`*Input`, unknown fields rejected) and what they get.
//! JSON is snake_case; amounts are decimal strings on output and decimal strings or JSON
//! numbers on input (read exactly, never through `f64`).

use chrono::{DateTime, NaiveDate, Utc};
use loansyncro_core::app::service::{LoanView, RepaymentOutcome, StatusChange};
use loansyncro_core::domain::loan::{Loan, NewLoan};
use loansyncro_core::domain::portfolio::{
    CurrencySummary, LoanRepayments, PortfolioSummary, StatusCounts,
};
use loansyncro_core::domain::repayment::{NewRepayment, Repayment};
use loansyncro_core::domain::status::{LoanStatus, TransitionReason};
use loansyncro_core::domain::user::User;
use loansyncro_core::ledger::Position;
use loansyncro_core::math::calendar::{DayCount, Frequency};
use loansyncro_core::math::money::{Currency, RoundingMode};
use loansyncro_core::math::rate::Compounding;
use loansyncro_core::schedule::terms::{
    Accrual, AmortizationMethod, BalancePrecision, Grace, LoanTermsBuilder, PrepaymentPolicy,
    RateChange,
};
use loansyncro_core::schedule::{InstallmentRecord, Totals};
use loansyncro_core::{Error, LoanTerms};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::extract::Amount;
use crate::schema::{
    AccrualName, AmortizationMethodSchema, BalancePrecisionName, CompoundingName, CurrencyCode,
    DayCountName, DecimalString, FrequencySchema, GraceSchema, LoanStatusName,
    PrepaymentPolicyName, RateChangeSchema, RoundingModeName, TransitionReasonSchema,
};

/// Body of `POST /loans` and `PUT /loans/{loan_id}`: the original fields, plus the core's
/// richer terms under `terms` (all optional).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoanInput {
    /// 1..=200 characters.
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    /// The principal.
    pub amount: Amount,
    /// Annual nominal rate in percent (6.5 = 6.5 %).
    pub interest_rate: Amount,
    /// Number of installments (monthly unless `terms.frequency` says otherwise).
    #[schema(minimum = 1, maximum = 1200)]
    pub term_months: u32,
    /// Disbursement date.
    #[serde(deserialize_with = "loansyncro_core::math::calendar::deserialize_iso_date")]
    pub start_date: NaiveDate,
    /// Free text.
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    /// The richer terms of the core.
    #[serde(default)]
    pub terms: Option<TermsInput>,
}

/// The richer loan terms (see `LoanTermsBuilder` in the core); every field optional.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TermsInput {
    /// ISO 4217 code (default USD).
    #[schema(value_type = Option<CurrencyCode>)]
    pub currency: Option<Currency>,
    /// Payment frequency (default monthly).
    #[schema(value_type = Option<FrequencySchema>)]
    pub frequency: Option<Frequency>,
    /// First due date (odd first period).
    #[serde(
        default,
        deserialize_with = "loansyncro_core::math::calendar::deserialize_opt_iso_date"
    )]
    pub first_due: Option<NaiveDate>,
    /// Amortization method.
    #[schema(value_type = Option<AmortizationMethodSchema>)]
    pub method: Option<AmortizationMethod>,
    /// Day-count convention.
    #[schema(value_type = Option<DayCountName>)]
    pub day_count: Option<DayCount>,
    /// Compounding of the quoted rate.
    #[schema(value_type = Option<CompoundingName>)]
    pub compounding: Option<Compounding>,
    /// Rounding of the installment.
    #[schema(value_type = Option<RoundingModeName>)]
    pub payment_rounding: Option<RoundingMode>,
    /// Rounding of each period's interest.
    #[schema(value_type = Option<RoundingModeName>)]
    pub interest_rounding: Option<RoundingMode>,
    /// Round the installment to a multiple of this amount.
    pub installment_multiple: Option<Amount>,
    /// Round each balance or carry precision.
    #[schema(value_type = Option<BalancePrecisionName>)]
    pub balance_precision: Option<BalancePrecision>,
    /// Balloon amount.
    pub balloon: Option<Amount>,
    /// Amortize over more installments than the term.
    #[schema(minimum = 1)]
    pub amortization_installments: Option<u32>,
    /// Grace periods.
    #[schema(value_type = Option<GraceSchema>)]
    pub grace: Option<Grace>,
    /// Rate changes (variable rate).
    #[schema(value_type = Option<Vec<RateChangeSchema>>)]
    pub rate_changes: Option<Vec<RateChange>>,
    /// Payment cap factor on a rate change.
    pub payment_cap: Option<Amount>,
    /// What extra payments do.
    #[schema(value_type = Option<PrepaymentPolicyName>)]
    pub prepayment_policy: Option<PrepaymentPolicy>,
    /// Interest accrual when replaying repayments.
    #[schema(value_type = Option<AccrualName>)]
    pub accrual: Option<Accrual>,
    /// The day count of the level payment when it differs from `day_count` (US commercial
    /// loans: the payment on 30/360, the interest on actual/360).
    #[schema(value_type = Option<DayCountName>)]
    pub payment_day_count: Option<DayCount>,
    /// Installment numbers (2..=term) at which an adjustable rate's payment is recast.
    pub adjustment_payment_numbers: Option<Vec<u32>>,
    /// Recast at installment `first` and every `every` installments after it (e.g. 13 and
    /// 12 for a 1/1 ARM); instead of `adjustment_payment_numbers`.
    pub adjust_every: Option<AdjustEvery>,
    /// Payment cap at a recast in percent (7.5: at most 7.5 % above the previous payment);
    /// instead of `payment_cap`.
    pub payment_cap_percent: Option<Amount>,
    /// Default the loan automatically once more than this many days past due.
    pub default_after_days_past_due: Option<u32>,
}

/// Recasts every `every` installments from installment `first` on.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdjustEvery {
    /// The first recast installment (>= 2).
    #[schema(minimum = 2)]
    pub first: u32,
    /// Installments between recasts (>= 1).
    #[schema(minimum = 1)]
    pub every: u32,
}

impl LoanInput {
    /// The core command (validated terms: errors name the wire field).
    pub fn into_command(self) -> Result<NewLoan, Error> {
        let t = self.terms.unwrap_or_default();
        if t.payment_cap.is_some() && t.payment_cap_percent.is_some() {
            return Err(both("payment_cap_percent", "payment_cap"));
        }
        let mut b = LoanTerms::builder()
            .principal(self.amount.0)
            .annual_rate_percent(self.interest_rate.0)
            .installments(self.term_months)
            .start(self.start_date);
        if let Some(v) = t.currency {
            b = b.currency(v);
        }
        if let Some(v) = t.frequency {
            b = b.frequency(v);
        }
        if let Some(v) = t.first_due {
            b = b.first_due(v);
        }
        if let Some(v) = t.method {
            b = b.method(v);
        }
        if let Some(v) = t.day_count {
            b = b.day_count(v);
        }
        if let Some(v) = t.compounding {
            b = b.compounding(v);
        }
        if let Some(v) = t.payment_rounding {
            b = b.payment_rounding(v);
        }
        if let Some(v) = t.interest_rounding {
            b = b.interest_rounding(v);
        }
        if let Some(v) = t.installment_multiple {
            b = b.installment_multiple(v.0);
        }
        if let Some(v) = t.balance_precision {
            b = b.balance_precision(v);
        }
        if let Some(v) = t.balloon {
            b = b.balloon(v.0);
        }
        if let Some(v) = t.amortization_installments {
            b = b.amortization_installments(v);
        }
        if let Some(v) = t.grace {
            b = b.grace(v);
        }
        if let Some(v) = t.rate_changes {
            b = b.rate_changes(v);
        }
        if let Some(v) = t.payment_cap {
            b = b.payment_cap(v.0);
        }
        if let Some(v) = t.prepayment_policy {
            b = b.prepayment_policy(v);
        }
        if let Some(v) = t.accrual {
            b = b.accrual(v);
        }
        if let Some(v) = t.payment_day_count {
            b = b.payment_day_count(v);
        }
        b = match (t.adjustment_payment_numbers, t.adjust_every) {
            (Some(_), Some(_)) => return Err(both("adjust_every", "adjustment_payment_numbers")),
            (Some(numbers), None) => b.adjustment_payment_numbers(numbers),
            (None, Some(AdjustEvery { first, every })) => {
                if every == 0 {
                    return Err(Error::validation(
                        "terms.adjust_every.every",
                        "must be at least 1",
                    ));
                }
                b.adjust_every(first, every)
            }
            (None, None) => b,
        };
        if let Some(v) = t.payment_cap_percent {
            b = b.payment_cap_percent(v.0);
        }
        if let Some(v) = t.default_after_days_past_due {
            b = b.default_after_days_past_due(v);
        }
        let terms = b.build().map_err(rename_terms_field)?;
        let command =
            NewLoan::new(self.title, terms).with_description(self.description.unwrap_or_default());
        command.validate()?;
        Ok(command)
    }
}

/// Two `terms` fields that say the same thing in two ways.
fn both(field: &str, other: &str) -> Error {
    Error::validation(
        format!("terms.{field}"),
        format!("give {field} or {other}, not both"),
    )
}

/// Maps the core builder's field names to the wire names (`principal` -> `amount`, ...).
fn rename_terms_field(error: Error) -> Error {
    match error {
        Error::Validation { field, reason } => {
            let wire = match field.as_str() {
                "principal" => "amount".to_owned(),
                "annual_rate" | "annual_rate_percent" | "rate" => "interest_rate".to_owned(),
                "installments" => "term_months".to_owned(),
                "start" => "start_date".to_owned(),
                other => format!("terms.{other}"),
            };
            Error::Validation {
                field: wire,
                reason,
            }
        }
        other => other,
    }
}

/// A loan as answered.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Loan)]
pub struct LoanDto {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Free text.
    pub description: String,
    /// The principal.
    #[schema(value_type = DecimalString)]
    pub amount: Decimal,
    /// Annual nominal rate in percent.
    #[schema(value_type = DecimalString)]
    pub interest_rate: Decimal,
    /// Number of installments.
    pub term_months: u32,
    /// Disbursement date.
    pub start_date: NaiveDate,
    /// The regular installment.
    #[schema(value_type = DecimalString)]
    pub monthly_payment: Decimal,
    /// Σ of the scheduled installments.
    #[schema(value_type = DecimalString)]
    pub total_amount: Decimal,
    /// Σ of the scheduled interest.
    #[schema(value_type = DecimalString)]
    pub total_interest: Decimal,
    /// active, paid or defaulted.
    #[schema(value_type = LoanStatusName)]
    pub status: LoanStatus,
    /// ISO 4217 code.
    #[schema(value_type = CurrencyCode)]
    pub currency: Currency,
    /// Optimistic-concurrency version (also the `ETag`).
    pub version: u64,
    /// Σ of the repayments.
    #[schema(value_type = DecimalString)]
    pub total_repaid: Decimal,
    /// Number of repayments.
    pub repayment_count: u32,
    /// Latest repayment date.
    #[schema(required = true)]
    pub last_payment_date: Option<NaiveDate>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last written.
    pub updated_at: DateTime<Utc>,
    /// Every term of the loan (the core's wire form).
    pub terms: TermsDto,
}

impl From<LoanView> for LoanDto {
    fn from(view: LoanView) -> LoanDto {
        let LoanView {
            loan,
            installment,
            total_scheduled,
            total_interest,
        } = view;
        let terms = &loan.terms();
        LoanDto {
            id: loan.id().to_string(),
            amount: terms.principal(),
            interest_rate: terms.annual_rate().percent(),
            term_months: terms.installments(),
            start_date: terms.start(),
            monthly_payment: installment,
            total_amount: total_scheduled,
            total_interest,
            status: loan.status(),
            currency: terms.currency(),
            version: loan.version(),
            total_repaid: loan.aggregates().total_repaid,
            repayment_count: loan.aggregates().repayment_count,
            last_payment_date: loan.aggregates().last_payment_date,
            created_at: loan.created_at(),
            updated_at: loan.updated_at(),
            terms: TermsDto::from(terms.to_builder()),
            title: loan.title().to_owned(),
            description: loan.description().to_owned(),
        }
    }
}

impl LoanDto {
    /// The DTO of a stored loan (figures derived from its terms).
    pub fn from_loan(loan: Loan) -> Result<LoanDto, Error> {
        LoanView::new(loan).map(LoanDto::from)
    }
}

/// A page of loans.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LoanPage {
    /// This page.
    pub items: Vec<LoanDto>,
    /// Pass as `cursor` for the next page; null on the last page.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

/// Body of `POST /repayments`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RepaymentInput {
    /// The loan paid.
    #[schema(min_length = 1, max_length = 128)]
    pub loan_id: String,
    /// Amount paid (> 0).
    pub amount: Amount,
    /// Payment date.
    #[serde(alias = "payment_date")]
    #[serde(deserialize_with = "loansyncro_core::math::calendar::deserialize_iso_date")]
    pub date: NaiveDate,
    /// Free text.
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub notes: Option<String>,
}

/// Body of `PUT /repayments/{repayment_id}`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RepaymentUpdateInput {
    /// Amount paid (> 0).
    pub amount: Amount,
    /// Payment date.
    #[serde(alias = "payment_date")]
    #[serde(deserialize_with = "loansyncro_core::math::calendar::deserialize_iso_date")]
    pub date: NaiveDate,
    /// Free text.
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub notes: Option<String>,
}

/// The core command of a repayment body.
pub fn repayment_command(
    amount: Amount,
    date: NaiveDate,
    notes: Option<String>,
    key: Option<String>,
) -> NewRepayment {
    let mut command = NewRepayment::new(amount.0, date).with_notes(notes.unwrap_or_default());
    command.idempotency_key = key;
    command
}

/// A repayment as answered.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Repayment)]
pub struct RepaymentDto {
    /// Id.
    pub id: String,
    /// The loan paid.
    pub loan_id: String,
    /// Amount paid.
    #[schema(value_type = DecimalString)]
    pub amount: Decimal,
    /// Payment date.
    pub date: NaiveDate,
    /// Free text.
    pub notes: String,
    /// Idempotency key it was recorded with.
    #[schema(required = true)]
    pub idempotency_key: Option<String>,
    /// Recorded at.
    pub created_at: DateTime<Utc>,
}

impl From<Repayment> for RepaymentDto {
    fn from(r: Repayment) -> RepaymentDto {
        RepaymentDto {
            id: r.id.into_string(),
            loan_id: r.loan_id.into_string(),
            amount: r.amount,
            date: r.date,
            notes: r.notes,
            idempotency_key: r.idempotency_key,
            created_at: r.created_at,
        }
    }
}

/// Body of `POST /loans/{loan_id}/status`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusInput {
    /// `defaulted` (mark the loan defaulted) or `active` (cure it).
    #[schema(value_type = LoanStatusName)]
    pub status: LoanStatus,
}

/// Answer of a status change.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = StatusResult)]
pub struct StatusDto {
    /// The loan after the change.
    pub loan: LoanDto,
    /// The change.
    pub change: StatusChangeDto,
}

/// The profile of the caller.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Me)]
pub struct MeDto {
    /// The identity provider's subject.
    pub id: String,
    /// E-mail, once synced from an id token.
    #[schema(required = true)]
    pub email: Option<String>,
    /// Display name.
    #[schema(required = true)]
    pub full_name: Option<String>,
    /// First seen.
    #[schema(required = true)]
    pub created_at: Option<DateTime<Utc>>,
}

impl From<User> for MeDto {
    fn from(u: User) -> MeDto {
        MeDto {
            id: u.id.into_string(),
            email: Some(u.email),
            full_name: Some(u.full_name),
            created_at: Some(u.created_at),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The core's answers in their wire form. Each conversion destructures the core type without
// `..`: a field added to the core fails to compile here until the wire form (and therefore the
// OpenAPI document) says what becomes of it.
// ---------------------------------------------------------------------------------------------

/// Every term of a loan (the core's `LoanTermsBuilder` wire form).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Terms)]
pub struct TermsDto {
    /// ISO 4217 code.
    #[schema(value_type = CurrencyCode)]
    pub currency: Currency,
    /// The principal.
    #[schema(value_type = DecimalString)]
    pub principal: Decimal,
    /// Annual nominal rate in percent.
    #[schema(value_type = DecimalString)]
    pub annual_rate_percent: Decimal,
    /// Number of installments.
    pub installments: u32,
    /// Payment frequency.
    #[schema(value_type = FrequencySchema)]
    pub frequency: Frequency,
    /// Disbursement date.
    #[schema(required = true)]
    pub start: Option<NaiveDate>,
    /// First due date (odd first period).
    #[schema(required = true)]
    pub first_due: Option<NaiveDate>,
    /// Amortization method.
    #[schema(value_type = AmortizationMethodSchema)]
    pub method: AmortizationMethod,
    /// Day-count convention.
    #[schema(value_type = DayCountName)]
    pub day_count: DayCount,
    /// Compounding of the quoted rate.
    #[schema(value_type = CompoundingName)]
    pub compounding: Compounding,
    /// Rounding of the installment.
    #[schema(value_type = RoundingModeName)]
    pub payment_rounding: RoundingMode,
    /// Rounding of each period's interest.
    #[schema(value_type = RoundingModeName)]
    pub interest_rounding: RoundingMode,
    /// The installment is a multiple of this amount.
    #[schema(required = true, value_type = Option<DecimalString>)]
    pub installment_multiple: Option<Decimal>,
    /// Round each balance, carry precision, or the spreadsheet table.
    #[schema(value_type = BalancePrecisionName)]
    pub balance_precision: BalancePrecision,
    /// Balloon amount.
    #[schema(required = true, value_type = Option<DecimalString>)]
    pub balloon: Option<Decimal>,
    /// Amortized over this many installments.
    #[schema(required = true)]
    pub amortization_installments: Option<u32>,
    /// Grace periods.
    #[schema(value_type = GraceSchema)]
    pub grace: Grace,
    /// Rate changes (variable rate).
    #[schema(value_type = Vec<RateChangeSchema>)]
    pub rate_changes: Vec<RateChange>,
    /// Payment cap factor at a recast (1.075: at most 7.5 % more).
    #[schema(required = true, value_type = Option<DecimalString>)]
    pub payment_cap: Option<Decimal>,
    /// What extra payments do.
    #[schema(value_type = PrepaymentPolicyName)]
    pub prepayment_policy: PrepaymentPolicy,
    /// Interest accrual when replaying repayments.
    #[schema(value_type = AccrualName)]
    pub accrual: Accrual,
    /// Automatic default after this many days past due (absent: only the owner defaults).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_after_days_past_due: Option<u32>,
    /// The day count of the level payment (absent: `day_count`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<DayCountName>)]
    pub payment_day_count: Option<DayCount>,
    /// Installment numbers at which the payment is recast (absent: none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub adjustment_payment_numbers: Vec<u32>,
    /// Renewals in the loan's timeline (absent: none; `POST /loans/{loan_id}/renewals`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<crate::timeline::RenewalTerms>)]
    pub renewals: Vec<loansyncro_core::Renewal>,
    /// Where a loan entered mid-term starts (absent: entered from its start).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::timeline::OpeningTerms>)]
    pub opening: Option<loansyncro_core::Opening>,
}

impl From<LoanTermsBuilder> for TermsDto {
    fn from(b: LoanTermsBuilder) -> TermsDto {
        let LoanTermsBuilder {
            currency,
            principal,
            annual_rate_percent,
            installments,
            frequency,
            start,
            first_due,
            method,
            day_count,
            compounding,
            payment_rounding,
            interest_rounding,
            installment_multiple,
            balance_precision,
            balloon,
            amortization_installments,
            grace,
            rate_changes,
            payment_cap,
            prepayment_policy,
            accrual,
            default_after_days_past_due,
            payment_day_count,
            adjustment_payment_numbers,
            renewals,
            opening,
        } = b;
        TermsDto {
            currency,
            principal,
            annual_rate_percent,
            installments,
            frequency,
            start,
            first_due,
            method,
            day_count,
            compounding,
            payment_rounding,
            interest_rounding,
            installment_multiple,
            balance_precision,
            balloon,
            amortization_installments,
            grace,
            rate_changes,
            payment_cap,
            prepayment_policy,
            accrual,
            default_after_days_past_due,
            payment_day_count,
            adjustment_payment_numbers,
            renewals,
            opening,
        }
    }
}

// Its `Serialize` is written by hand in `crate::wire` (the same bytes as the derived one, much
// faster: a projection carries hundreds of rows).
/// One row of a schedule.
#[derive(Debug, Clone, ToSchema)]
#[schema(as = Installment)]
pub struct InstallmentDto {
    /// 1-based number.
    pub number: u32,
    /// Due date.
    pub due_date: NaiveDate,
    /// Amount due.
    #[schema(value_type = DecimalString)]
    pub payment: Decimal,
    /// Interest part.
    #[schema(value_type = DecimalString)]
    pub interest: Decimal,
    /// Principal part.
    #[schema(value_type = DecimalString)]
    pub principal: Decimal,
    /// Balance after.
    #[schema(value_type = DecimalString)]
    pub balance: Decimal,
    /// Interest deferred in this period.
    #[schema(value_type = DecimalString)]
    pub deferred_interest: Decimal,
    /// Extra principal.
    #[schema(value_type = DecimalString)]
    pub extra_principal: Decimal,
    /// The balance grew in this period.
    pub negative_amortization: bool,
}

impl From<InstallmentRecord> for InstallmentDto {
    fn from(r: InstallmentRecord) -> InstallmentDto {
        let InstallmentRecord {
            number,
            due_date,
            payment,
            interest,
            principal,
            balance,
            deferred_interest,
            extra_principal,
            negative_amortization,
        } = r;
        InstallmentDto {
            number,
            due_date,
            payment,
            interest,
            principal,
            balance,
            deferred_interest,
            extra_principal,
            negative_amortization,
        }
    }
}

/// Sums over a schedule's rows.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Totals)]
pub struct TotalsDto {
    /// Σ interest.
    #[schema(value_type = DecimalString)]
    pub interest: Decimal,
    /// Σ principal.
    #[schema(value_type = DecimalString)]
    pub principal: Decimal,
    /// Σ payments.
    #[schema(value_type = DecimalString)]
    pub paid: Decimal,
    /// Σ extra principal.
    #[schema(value_type = DecimalString)]
    pub extra_principal: Decimal,
}

impl From<Totals> for TotalsDto {
    fn from(t: Totals) -> TotalsDto {
        let Totals {
            interest,
            principal,
            paid,
            extra_principal,
        } = t;
        TotalsDto {
            interest,
            principal,
            paid,
            extra_principal,
        }
    }
}

/// A loan's contractual schedule.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Schedule)]
pub struct ScheduleDto {
    /// The loan.
    pub loan_id: String,
    /// ISO 4217 code.
    #[schema(value_type = CurrencyCode)]
    pub currency: Currency,
    /// The regular installment.
    #[schema(value_type = DecimalString)]
    pub installment: Decimal,
    /// Sums over the rows.
    pub totals: TotalsDto,
    /// The rows.
    pub installments: Vec<InstallmentDto>,
}

/// Where a loan stands on a date.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Position)]
pub struct PositionDto {
    /// The date of the position.
    pub as_of: NaiveDate,
    /// Principal not yet repaid.
    #[schema(value_type = DecimalString)]
    pub principal_outstanding: Decimal,
    /// Interest accrued and unpaid.
    #[schema(value_type = DecimalString)]
    pub interest_accrued: Decimal,
    /// Interest paid so far.
    #[schema(value_type = DecimalString)]
    pub paid_interest: Decimal,
    /// Principal paid so far.
    #[schema(value_type = DecimalString)]
    pub paid_principal: Decimal,
    /// Everything paid so far.
    #[schema(value_type = DecimalString)]
    pub paid_total: Decimal,
    /// Arrears: due and unpaid.
    #[schema(value_type = DecimalString)]
    pub amount_due: Decimal,
    /// Days since the oldest unpaid due date.
    pub days_past_due: u32,
    /// The next due date, if any installment remains.
    #[schema(required = true)]
    pub next_due_date: Option<NaiveDate>,
    /// The installment due on `next_due_date`.
    #[schema(value_type = DecimalString)]
    pub next_due_amount: Decimal,
    /// Installments billed and fully paid.
    pub installments_paid: u32,
    /// Σ of `projected` payments.
    #[schema(value_type = DecimalString)]
    pub remaining_scheduled: Decimal,
    /// `paid_principal / principal`, 0..=1.
    #[schema(value_type = DecimalString)]
    pub progress: Decimal,
    /// The payoff amount on `as_of`.
    #[schema(value_type = DecimalString)]
    pub payoff_amount: Decimal,
    /// Nothing outstanding.
    pub closed: bool,
    /// The re-projected remaining schedule.
    pub projected: Vec<InstallmentDto>,
}

impl From<Position> for PositionDto {
    fn from(p: Position) -> PositionDto {
        let Position {
            as_of,
            principal_outstanding,
            interest_accrued,
            paid_interest,
            paid_principal,
            paid_total,
            amount_due,
            days_past_due,
            next_due_date,
            next_due_amount,
            installments_paid,
            remaining_scheduled,
            progress,
            payoff_amount,
            closed,
            projected,
        } = p;
        PositionDto {
            as_of,
            principal_outstanding,
            interest_accrued,
            paid_interest,
            paid_principal,
            paid_total,
            amount_due,
            days_past_due,
            next_due_date,
            next_due_amount,
            installments_paid,
            remaining_scheduled,
            progress,
            payoff_amount,
            closed,
            projected: projected.into_iter().map(InstallmentDto::from).collect(),
        }
    }
}

/// A status change and why it happened.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = StatusChange)]
pub struct StatusChangeDto {
    /// The status before.
    #[schema(value_type = LoanStatusName)]
    pub from: LoanStatus,
    /// The status after.
    #[schema(value_type = LoanStatusName)]
    pub to: LoanStatus,
    /// Why.
    #[schema(value_type = TransitionReasonSchema)]
    pub reason: TransitionReason,
}

impl From<StatusChange> for StatusChangeDto {
    fn from(c: StatusChange) -> StatusChangeDto {
        let StatusChange { from, to, reason } = c;
        StatusChangeDto { from, to, reason }
    }
}

/// Answer of `POST /repayments` and `PUT /repayments/{repayment_id}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = RepaymentResult)]
pub struct RepaymentOutcomeDto {
    /// The repayment as stored.
    pub repayment: RepaymentDto,
    /// The loan after it.
    pub loan: LoanDto,
    /// The loan's position on the ledger date.
    pub position: PositionDto,
    /// The status change it caused, if any.
    #[schema(required = true)]
    pub transition: Option<StatusChangeDto>,
}

impl RepaymentOutcomeDto {
    /// The wire form of a repayment write.
    pub fn new(o: RepaymentOutcome) -> Result<RepaymentOutcomeDto, Error> {
        Ok(RepaymentOutcomeDto {
            repayment: RepaymentDto::from(o.repayment),
            // The write's own schedule figures: no second schedule for the answer.
            loan: LoanDto::from(LoanView::with_figures(o.loan, o.figures)),
            position: PositionDto::from(o.position),
            transition: o.transition.map(StatusChangeDto::from),
        })
    }
}

/// Answer of `DELETE /repayments/{repayment_id}`: the loan's new state.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = LedgerResult)]
pub struct LedgerOutcomeDto {
    /// The loan after the write.
    pub loan: LoanDto,
    /// The loan's position on the ledger date.
    pub position: PositionDto,
    /// The status change it caused, if any.
    #[schema(required = true)]
    pub transition: Option<StatusChangeDto>,
}

/// The repayments of one loan with its totals.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = LoanRepayments)]
pub struct GroupDto {
    /// The loan.
    pub loan_id: String,
    /// Its title.
    pub title: String,
    /// ISO 4217 code.
    #[schema(value_type = CurrencyCode)]
    pub currency: Currency,
    /// Its status.
    #[schema(value_type = LoanStatusName)]
    pub status: LoanStatus,
    /// The principal.
    #[schema(value_type = DecimalString)]
    pub principal: Decimal,
    /// Σ of the repayments.
    #[schema(value_type = DecimalString)]
    pub total_repaid: Decimal,
    /// Number of repayments.
    pub repayment_count: u32,
    /// Latest repayment date.
    #[schema(required = true)]
    pub last_payment_date: Option<NaiveDate>,
    /// Principal outstanding.
    #[schema(value_type = DecimalString)]
    pub remaining_balance: Decimal,
    /// Repaid share of the principal, 0..=1.
    #[schema(value_type = DecimalString)]
    pub progress: Decimal,
    /// The repayments (ledger order).
    pub repayments: Vec<RepaymentDto>,
}

impl From<LoanRepayments> for GroupDto {
    fn from(g: LoanRepayments) -> GroupDto {
        let LoanRepayments {
            loan_id,
            title,
            currency,
            status,
            principal,
            repayments,
            total_repaid,
            repayment_count,
            last_payment_date,
            remaining_balance,
            progress,
        } = g;
        GroupDto {
            loan_id: loan_id.into_string(),
            title,
            currency,
            status,
            principal,
            total_repaid,
            repayment_count,
            last_payment_date,
            remaining_balance,
            progress,
            repayments: repayments.into_iter().map(RepaymentDto::from).collect(),
        }
    }
}

/// Repayments grouped by loan.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Grouped)]
pub struct GroupedDto {
    /// One group per loan.
    pub items: Vec<GroupDto>,
}

/// The repayments of one loan.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = RepaymentList)]
pub struct RepaymentListDto {
    /// The repayments (ledger order).
    pub items: Vec<RepaymentDto>,
}

/// Loans counted by status.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = StatusCounts)]
pub struct StatusCountsDto {
    /// Loans being repaid.
    pub active: u32,
    /// Loans fully repaid.
    pub paid: u32,
    /// Loans in default.
    pub defaulted: u32,
}

/// The dashboard figures of one currency.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = CurrencySummary)]
pub struct CurrencySummaryDto {
    /// The currency of every amount below.
    #[schema(value_type = CurrencyCode)]
    pub currency: Currency,
    /// Loans by status.
    pub counts: StatusCountsDto,
    /// Σ principal of the loans.
    #[schema(value_type = DecimalString)]
    pub total_borrowed: Decimal,
    /// Σ repayments.
    #[schema(value_type = DecimalString)]
    pub total_repaid: Decimal,
    /// Σ principal repaid.
    #[schema(value_type = DecimalString)]
    pub principal_repaid: Decimal,
    /// Σ interest paid.
    #[schema(value_type = DecimalString)]
    pub interest_paid: Decimal,
    /// Σ principal outstanding.
    #[schema(value_type = DecimalString)]
    pub principal_outstanding: Decimal,
    /// Σ payoff amounts.
    #[schema(value_type = DecimalString)]
    pub outstanding_payoff: Decimal,
    /// Σ remaining scheduled amounts.
    #[schema(value_type = DecimalString)]
    pub remaining_scheduled: Decimal,
    /// Σ arrears.
    #[schema(value_type = DecimalString)]
    pub amount_due: Decimal,
    /// Number of repayments.
    pub repayment_count: u64,
}

/// The dashboard: one summary per currency, sorted by currency code.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Summary)]
pub struct SummaryDto {
    /// Per-currency figures.
    pub currencies: Vec<CurrencySummaryDto>,
}

impl From<PortfolioSummary> for SummaryDto {
    fn from(s: PortfolioSummary) -> SummaryDto {
        let PortfolioSummary { currencies } = s;
        SummaryDto {
            currencies: currencies
                .into_iter()
                .map(|c| {
                    let CurrencySummary {
                        currency,
                        counts,
                        total_borrowed,
                        total_repaid,
                        principal_repaid,
                        interest_paid,
                        principal_outstanding,
                        outstanding_payoff,
                        remaining_scheduled,
                        amount_due,
                        repayment_count,
                    } = c;
                    let StatusCounts {
                        active,
                        paid,
                        defaulted,
                    } = counts;
                    CurrencySummaryDto {
                        currency,
                        counts: StatusCountsDto {
                            active,
                            paid,
                            defaulted,
                        },
                        total_borrowed,
                        total_repaid,
                        principal_repaid,
                        interest_paid,
                        principal_outstanding,
                        outstanding_payoff,
                        remaining_scheduled,
                        amount_due,
                        repayment_count,
                    }
                })
                .collect(),
        }
    }
}
