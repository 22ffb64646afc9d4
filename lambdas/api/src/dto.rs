//! The wire forms: what clients send (`*Input`, unknown fields rejected) and what they get.
//! JSON is snake_case; amounts are decimal strings on output and decimal strings or JSON
//! numbers on input (read exactly, never through `f64`).

use chrono::{DateTime, NaiveDate, Utc};
use loansyncro_core::app::service::{LoanView, StatusChange};
use loansyncro_core::domain::loan::{Loan, NewLoan};
use loansyncro_core::domain::repayment::{NewRepayment, Repayment};
use loansyncro_core::domain::status::LoanStatus;
use loansyncro_core::domain::user::User;
use loansyncro_core::math::calendar::{DayCount, Frequency};
use loansyncro_core::math::money::{Currency, RoundingMode};
use loansyncro_core::math::rate::Compounding;
use loansyncro_core::schedule::terms::{
    Accrual, AmortizationMethod, BalancePrecision, Grace, LoanTermsBuilder, PrepaymentPolicy,
    RateChange,
};
use loansyncro_core::{Error, LoanTerms};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::extract::Amount;

/// Body of `POST /loans` and `PUT /loans/{loan_id}`: the original fields, plus the core's
/// richer terms under `terms` (all optional).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoanInput {
    /// 1..=200 characters.
    pub title: String,
    /// The principal.
    pub amount: Amount,
    /// Annual nominal rate in percent (6.5 = 6.5 %).
    pub interest_rate: Amount,
    /// Number of installments (monthly unless `terms.frequency` says otherwise).
    pub term_months: u32,
    /// Disbursement date.
    pub start_date: NaiveDate,
    /// Free text.
    #[serde(default)]
    pub description: Option<String>,
    /// The richer terms of the core.
    #[serde(default)]
    pub terms: Option<TermsInput>,
}

/// The richer loan terms (see `LoanTermsBuilder` in the core); every field optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermsInput {
    /// ISO 4217 code (default USD).
    pub currency: Option<Currency>,
    /// Payment frequency (default monthly).
    pub frequency: Option<Frequency>,
    /// First due date (odd first period).
    pub first_due: Option<NaiveDate>,
    /// Amortization method.
    pub method: Option<AmortizationMethod>,
    /// Day-count convention.
    pub day_count: Option<DayCount>,
    /// Compounding of the quoted rate.
    pub compounding: Option<Compounding>,
    /// Rounding of the installment.
    pub payment_rounding: Option<RoundingMode>,
    /// Rounding of each period's interest.
    pub interest_rounding: Option<RoundingMode>,
    /// Round the installment to a multiple of this amount.
    pub installment_multiple: Option<Amount>,
    /// Round each balance or carry precision.
    pub balance_precision: Option<BalancePrecision>,
    /// Balloon amount.
    pub balloon: Option<Amount>,
    /// Amortize over more installments than the term.
    pub amortization_installments: Option<u32>,
    /// Grace periods.
    pub grace: Option<Grace>,
    /// Rate changes (variable rate).
    pub rate_changes: Option<Vec<RateChange>>,
    /// Payment cap factor on a rate change.
    pub payment_cap: Option<Amount>,
    /// What extra payments do.
    pub prepayment_policy: Option<PrepaymentPolicy>,
    /// Interest accrual when replaying repayments.
    pub accrual: Option<Accrual>,
}

impl LoanInput {
    /// The core command (validated terms: errors name the wire field).
    pub fn into_command(self) -> Result<NewLoan, Error> {
        let t = self.terms.unwrap_or_default();
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
        let terms = b.build().map_err(rename_terms_field)?;
        let command =
            NewLoan::new(self.title, terms).with_description(self.description.unwrap_or_default());
        command.validate()?;
        Ok(command)
    }
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
#[derive(Debug, Clone, Serialize)]
pub struct LoanDto {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Free text.
    pub description: String,
    /// The principal.
    pub amount: Decimal,
    /// Annual nominal rate in percent.
    pub interest_rate: Decimal,
    /// Number of installments.
    pub term_months: u32,
    /// Disbursement date.
    pub start_date: NaiveDate,
    /// The regular installment.
    pub monthly_payment: Decimal,
    /// Σ of the scheduled installments.
    pub total_amount: Decimal,
    /// Σ of the scheduled interest.
    pub total_interest: Decimal,
    /// active, paid or defaulted.
    pub status: LoanStatus,
    /// ISO 4217 code.
    pub currency: Currency,
    /// Optimistic-concurrency version (also the `ETag`).
    pub version: u64,
    /// Σ of the repayments.
    pub total_repaid: Decimal,
    /// Number of repayments.
    pub repayment_count: u32,
    /// Latest repayment date.
    pub last_payment_date: Option<NaiveDate>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last written.
    pub updated_at: DateTime<Utc>,
    /// Every term of the loan (the core's wire form).
    pub terms: LoanTermsBuilder,
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
            terms: terms.to_builder(),
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
#[derive(Debug, Clone, Serialize)]
pub struct LoanPage {
    /// This page.
    pub items: Vec<LoanDto>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// Body of `POST /repayments`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepaymentInput {
    /// The loan paid.
    pub loan_id: String,
    /// Amount paid (> 0).
    pub amount: Amount,
    /// Payment date.
    #[serde(alias = "payment_date")]
    pub date: NaiveDate,
    /// Free text.
    #[serde(default)]
    pub notes: Option<String>,
}

/// Body of `PUT /repayments/{repayment_id}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepaymentUpdateInput {
    /// Amount paid (> 0).
    pub amount: Amount,
    /// Payment date.
    #[serde(alias = "payment_date")]
    pub date: NaiveDate,
    /// Free text.
    #[serde(default)]
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
#[derive(Debug, Clone, Serialize)]
pub struct RepaymentDto {
    /// Id.
    pub id: String,
    /// The loan paid.
    pub loan_id: String,
    /// Amount paid.
    pub amount: Decimal,
    /// Payment date.
    pub date: NaiveDate,
    /// Free text.
    pub notes: String,
    /// Idempotency key it was recorded with.
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
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusInput {
    /// `defaulted` (mark the loan defaulted) or `active` (cure it).
    pub status: LoanStatus,
}

/// Answer of a status change.
#[derive(Debug, Clone, Serialize)]
pub struct StatusDto {
    /// The loan after the change.
    pub loan: LoanDto,
    /// The change.
    pub change: StatusChange,
}

/// The profile of the caller.
#[derive(Debug, Clone, Serialize)]
pub struct MeDto {
    /// The identity provider's subject.
    pub id: String,
    /// E-mail, once synced from an id token.
    pub email: Option<String>,
    /// Display name.
    pub full_name: Option<String>,
    /// First seen.
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
