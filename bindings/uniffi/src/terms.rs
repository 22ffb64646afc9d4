//! Loan terms and everything computed from them: the schedule, what-if extra payments, the APR
//! of the terms, the ledger (position, payoff quote, payable amounts) and the CSV export.
//! Mirrors `loansyncro_core::{terms, schedule, disclosure, ledger, export}`.

use std::sync::Arc;

use chrono::NaiveDate;
use loansyncro_core as core;
use loansyncro_core::ledger as core_ledger;
use rust_decimal::Decimal;

use crate::types::{
    currency, mirror_enum, Compounding, DayCount, Frequency, PrepaymentPolicy, RoundingMode,
};
use crate::{FfiResult, LoanSyncroError};

/// How the principal is paid back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum AmortizationMethod {
    /// Equal installments (annuity), the default.
    EqualInstallments,
    /// Equal principal parts.
    EqualPrincipal,
    /// Flat (add-on) interest.
    FlatInterest,
    /// Interest only, the principal due with the last installment.
    InterestOnly,
    /// A fixed installment amount; the number of installments follows from it.
    FixedInstallment {
        /// The installment amount.
        amount: Decimal,
    },
}

impl From<AmortizationMethod> for core::AmortizationMethod {
    fn from(m: AmortizationMethod) -> Self {
        match m {
            AmortizationMethod::EqualInstallments => Self::EqualInstallments,
            AmortizationMethod::EqualPrincipal => Self::EqualPrincipal,
            AmortizationMethod::FlatInterest => Self::FlatInterest,
            AmortizationMethod::InterestOnly => Self::InterestOnly,
            AmortizationMethod::FixedInstallment { amount } => Self::FixedInstallment { amount },
        }
    }
}

impl From<core::AmortizationMethod> for AmortizationMethod {
    fn from(m: core::AmortizationMethod) -> Self {
        use core::AmortizationMethod as M;
        match m {
            M::EqualInstallments => Self::EqualInstallments,
            M::EqualPrincipal => Self::EqualPrincipal,
            M::FlatInterest => Self::FlatInterest,
            M::InterestOnly => Self::InterestOnly,
            M::FixedInstallment { amount } => Self::FixedInstallment { amount },
        }
    }
}

/// Whether each balance is rounded or carried with extra precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum BalancePrecision {
    /// Balances are whole minor units (the default).
    RoundEachBalance,
    /// Interest and balances carry six extra digits.
    CarryPrecision,
    /// The spreadsheet table: exact payment and balance carried, each column rounded on its own.
    Spreadsheet,
}
mirror_enum!(BalancePrecision <=> core::BalancePrecision { RoundEachBalance, CarryPrecision, Spreadsheet });

/// How interest accrues when actual repayments are replayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Accrual {
    /// Interest per installment exactly as in the schedule (the default).
    Scheduled,
    /// Simple daily interest between actual payment dates.
    Daily,
}
mirror_enum!(Accrual <=> core::Accrual { Scheduled, Daily });

/// How much interest a payoff quote includes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum PayoffRule {
    /// Interest accrued up to the payoff date.
    TillPreClose,
    /// The whole current period's interest.
    TillPeriodEnd,
}
mirror_enum!(PayoffRule <=> core_ledger::PayoffRule { TillPreClose, TillPeriodEnd });

/// Grace periods at the start of the schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct Grace {
    /// Installments that pay interest only.
    #[uniffi(default = 0)]
    pub principal_periods: u32,
    /// Installments whose interest is deferred.
    #[uniffi(default = 0)]
    pub interest_periods: u32,
}

/// A change of the annual rate from a date on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct RateChange {
    /// First day the new rate applies.
    pub effective: NaiveDate,
    /// The new annual nominal rate in percent.
    pub annual_rate_percent: Decimal,
}

/// Everything that defines a loan's schedule (the core's `LoanTermsBuilder`). Optional fields
/// left `null`/`nil` take the core's defaults (monthly, 30/360, equal installments, half-up,
/// nominal, reduce term, scheduled accrual). Validated by the `LoanTerms` constructor.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LoanTermsInput {
    /// Amount lent.
    pub principal: Decimal,
    /// Annual nominal rate in percent (6.5 = 6.5%).
    pub annual_rate_percent: Decimal,
    /// Number of installments (ignored for a fixed installment amount).
    pub installments: u32,
    /// Disbursement date.
    pub start: NaiveDate,
    /// ISO 4217 code.
    #[uniffi(default = "USD")]
    pub currency: String,
    /// Payment frequency.
    #[uniffi(default = None)]
    pub frequency: Option<Frequency>,
    /// First due date (odd first period when not one period after `start`).
    #[uniffi(default = None)]
    pub first_due: Option<NaiveDate>,
    /// Amortization method.
    #[uniffi(default = None)]
    pub method: Option<AmortizationMethod>,
    /// Day-count convention.
    #[uniffi(default = None)]
    pub day_count: Option<DayCount>,
    /// How the quoted rate compounds.
    #[uniffi(default = None)]
    pub compounding: Option<Compounding>,
    /// Rounding of the installment.
    #[uniffi(default = None)]
    pub payment_rounding: Option<RoundingMode>,
    /// Rounding of each period's interest.
    #[uniffi(default = None)]
    pub interest_rounding: Option<RoundingMode>,
    /// Round the installment to a multiple of this amount.
    #[uniffi(default = None)]
    pub installment_multiple: Option<Decimal>,
    /// Round each balance or carry precision.
    #[uniffi(default = None)]
    pub balance_precision: Option<BalancePrecision>,
    /// Balloon amount left for the last installment.
    #[uniffi(default = None)]
    pub balloon: Option<Decimal>,
    /// Amortize over more installments than the term.
    #[uniffi(default = None)]
    pub amortization_installments: Option<u32>,
    /// Grace periods.
    #[uniffi(default = None)]
    pub grace: Option<Grace>,
    /// Rate changes (variable rate).
    #[uniffi(default = [])]
    pub rate_changes: Vec<RateChange>,
    /// Payment cap factor on a rate change (1.075 = at most 7.5% rise).
    #[uniffi(default = None)]
    pub payment_cap: Option<Decimal>,
    /// What extra payments do.
    #[uniffi(default = None)]
    pub prepayment_policy: Option<PrepaymentPolicy>,
    /// Interest accrual when replaying repayments.
    #[uniffi(default = None)]
    pub accrual: Option<Accrual>,
    /// Day count of the level payment when it differs from `day_count` (30/360 under an
    /// actual/360 accrual).
    #[uniffi(default = None)]
    pub payment_day_count: Option<DayCount>,
    /// Installment numbers at which the payment is recast over the remaining term.
    #[uniffi(default = [])]
    pub adjustment_payment_numbers: Vec<u32>,
    /// The loan's own default policy: defaulted when more than this many days past due.
    #[uniffi(default = None)]
    pub default_after_days_past_due: Option<u32>,
}

/// A rate in percent, with a validation error naming `field`.
pub(crate) fn rate_from_percent(field: &str, percent: Decimal) -> FfiResult<core::Rate> {
    core::Rate::from_percent(percent).map_err(|e| match e {
        core::MathError::InvalidArgument { reason, .. } => LoanSyncroError::Validation {
            field: field.to_owned(),
            reason,
        },
        other => other.into(),
    })
}

impl LoanTermsInput {
    /// The core builder (wire form) of this input.
    pub fn to_core(&self) -> FfiResult<core::LoanTermsBuilder> {
        let mut b = core::LoanTerms::builder()
            .currency(currency(&self.currency)?)
            .principal(self.principal)
            .annual_rate_percent(self.annual_rate_percent)
            .installments(self.installments)
            .start(self.start);
        let rate_changes = self
            .rate_changes
            .iter()
            .enumerate()
            .map(|(i, c)| {
                Ok(core::RateChange {
                    effective: c.effective,
                    annual_rate: rate_from_percent(
                        &format!("rate_changes[{i}].annual_rate"),
                        c.annual_rate_percent,
                    )?,
                })
            })
            .collect::<FfiResult<Vec<_>>>()?;
        b = b.rate_changes(rate_changes);
        b.first_due = self.first_due;
        b.installment_multiple = self.installment_multiple;
        b.balloon = self.balloon;
        b.amortization_installments = self.amortization_installments;
        b.payment_cap = self.payment_cap;
        if let Some(v) = self.frequency {
            b = b.frequency(v.into());
        }
        if let Some(v) = self.method {
            b = b.method(v.into());
        }
        if let Some(v) = self.day_count {
            b = b.day_count(v.into());
        }
        if let Some(v) = self.compounding {
            b = b.compounding(v.into());
        }
        if let Some(v) = self.payment_rounding {
            b = b.payment_rounding(v.into());
        }
        if let Some(v) = self.interest_rounding {
            b = b.interest_rounding(v.into());
        }
        if let Some(v) = self.balance_precision {
            b = b.balance_precision(v.into());
        }
        if let Some(g) = self.grace {
            b = b.grace(core::Grace {
                principal_periods: g.principal_periods,
                interest_periods: g.interest_periods,
            });
        }
        if let Some(v) = self.prepayment_policy {
            b = b.prepayment_policy(v.into());
        }
        if let Some(v) = self.accrual {
            b = b.accrual(v.into());
        }
        b.payment_day_count = self.payment_day_count.map(Into::into);
        b.adjustment_payment_numbers = self.adjustment_payment_numbers.clone();
        b.default_after_days_past_due = self.default_after_days_past_due;
        Ok(b)
    }

    /// The input of validated terms, every default spelled out.
    fn from_core(t: &core::LoanTerms) -> Self {
        let b = t.to_builder();
        LoanTermsInput {
            principal: b.principal,
            annual_rate_percent: b.annual_rate_percent,
            installments: b.installments,
            start: t.start(),
            currency: b.currency.code().to_owned(),
            frequency: Some(b.frequency.into()),
            first_due: b.first_due,
            method: Some(b.method.into()),
            day_count: Some(b.day_count.into()),
            compounding: Some(b.compounding.into()),
            payment_rounding: Some(b.payment_rounding.into()),
            interest_rounding: Some(b.interest_rounding.into()),
            installment_multiple: b.installment_multiple,
            balance_precision: Some(b.balance_precision.into()),
            balloon: b.balloon,
            amortization_installments: b.amortization_installments,
            grace: Some(Grace {
                principal_periods: b.grace.principal_periods,
                interest_periods: b.grace.interest_periods,
            }),
            rate_changes: b
                .rate_changes
                .iter()
                .map(|c| RateChange {
                    effective: c.effective,
                    annual_rate_percent: c.annual_rate.percent(),
                })
                .collect(),
            payment_cap: b.payment_cap,
            prepayment_policy: Some(b.prepayment_policy.into()),
            accrual: Some(b.accrual.into()),
            payment_day_count: b.payment_day_count.map(Into::into),
            adjustment_payment_numbers: b.adjustment_payment_numbers.clone(),
            default_after_days_past_due: b.default_after_days_past_due,
        }
    }
}

/// One installment of a schedule.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Installment {
    /// 1-based number.
    pub number: u32,
    /// Due date.
    pub due_date: NaiveDate,
    /// Amount due.
    pub payment: Decimal,
    /// Interest part.
    pub interest: Decimal,
    /// Principal part.
    pub principal: Decimal,
    /// Balance after.
    pub balance: Decimal,
    /// Interest deferred in this period.
    pub deferred_interest: Decimal,
    /// Extra principal.
    pub extra_principal: Decimal,
    /// Whether the installment amortized negatively.
    pub negative_amortization: bool,
}

impl From<core::InstallmentRecord> for Installment {
    fn from(r: core::InstallmentRecord) -> Self {
        Installment {
            number: r.number,
            due_date: r.due_date,
            payment: r.payment,
            interest: r.interest,
            principal: r.principal,
            balance: r.balance,
            deferred_interest: r.deferred_interest,
            extra_principal: r.extra_principal,
            negative_amortization: r.negative_amortization,
        }
    }
}

fn installments(records: Vec<core::InstallmentRecord>) -> Vec<Installment> {
    records.into_iter().map(Into::into).collect()
}

/// Sums over a schedule's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct Totals {
    /// Σ interest.
    pub interest: Decimal,
    /// Σ principal.
    pub principal: Decimal,
    /// Σ payments.
    pub paid: Decimal,
    /// Σ extra principal.
    pub extra_principal: Decimal,
}

impl From<core::Totals> for Totals {
    fn from(t: core::Totals) -> Self {
        Totals {
            interest: t.interest,
            principal: t.principal,
            paid: t.paid,
            extra_principal: t.extra_principal,
        }
    }
}

/// A schedule: the contractual plan of a loan.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Schedule {
    /// ISO 4217 code of every amount.
    pub currency: String,
    /// The regular installment (the "monthly payment").
    pub regular_payment: Decimal,
    /// The installments in order.
    pub installments: Vec<Installment>,
    /// Sums of the rows.
    pub totals: Totals,
    /// Whether any installment amortized negatively.
    pub negative_amortization: bool,
}

impl From<&core::Schedule> for Schedule {
    fn from(s: &core::Schedule) -> Self {
        Schedule {
            currency: s.currency().code().to_owned(),
            regular_payment: s.regular_payment(),
            installments: installments(s.records()),
            totals: s.totals().into(),
            negative_amortization: s.negative_amortization(),
        }
    }
}

/// A one-off extra payment on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct LumpSum {
    /// Date of the extra payment.
    pub date: NaiveDate,
    /// Amount.
    pub amount: Decimal,
}

/// Extra payments for a what-if.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ExtraPayments {
    /// Extra principal with every installment (zero for none).
    pub recurring: Decimal,
    /// First installment number carrying the recurring extra (0 = the core's default, the first).
    #[uniffi(default = 0)]
    pub recurring_from: u32,
    /// One-off extra payments.
    #[uniffi(default = [])]
    pub lump_sums: Vec<LumpSum>,
    /// Reduce term (default) or reduce payment.
    #[uniffi(default = None)]
    pub policy: Option<PrepaymentPolicy>,
}

impl From<ExtraPayments> for core::ExtraPayments {
    fn from(e: ExtraPayments) -> Self {
        let defaults = core::ExtraPayments::default();
        core::ExtraPayments {
            recurring: e.recurring,
            recurring_from: e.recurring_from,
            lump_sums: e
                .lump_sums
                .into_iter()
                .map(|l| core::LumpSum {
                    date: l.date,
                    amount: l.amount,
                })
                .collect(),
            policy: e.policy.map_or(defaults.policy, Into::into),
        }
    }
}

/// The result of a what-if.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct WhatIf {
    /// Totals of the schedule without extra payments.
    pub base_totals: Totals,
    /// Installments of the schedule without extra payments.
    pub base_installments: u32,
    /// The schedule with the extra payments.
    pub schedule: Schedule,
    /// Interest saved.
    pub interest_saved: Decimal,
    /// Installments saved.
    pub installments_saved: u32,
}

/// An actual repayment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct LedgerPayment {
    /// The date the money was paid.
    pub date: NaiveDate,
    /// The amount paid.
    pub amount: Decimal,
}

impl From<LedgerPayment> for core_ledger::LedgerPayment {
    fn from(p: LedgerPayment) -> Self {
        core_ledger::LedgerPayment {
            date: p.date,
            amount: p.amount,
        }
    }
}

fn ledger_payments(v: Vec<LedgerPayment>) -> Vec<core_ledger::LedgerPayment> {
    v.into_iter().map(Into::into).collect()
}

/// Where a loan stands on a date, given its repayments.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Position {
    /// The date of the position.
    pub as_of: NaiveDate,
    /// Principal not yet repaid.
    pub principal_outstanding: Decimal,
    /// Interest accrued and unpaid.
    pub interest_accrued: Decimal,
    /// Interest paid so far.
    pub paid_interest: Decimal,
    /// Principal paid so far.
    pub paid_principal: Decimal,
    /// Everything paid so far.
    pub paid_total: Decimal,
    /// Arrears.
    pub amount_due: Decimal,
    /// Days since the oldest unpaid due date.
    pub days_past_due: u32,
    /// The next due date, if any installment remains.
    pub next_due_date: Option<NaiveDate>,
    /// The installment due on `next_due_date`.
    pub next_due_amount: Decimal,
    /// Installments billed and fully paid.
    pub installments_paid: u32,
    /// Sum of the projected payments.
    pub remaining_scheduled: Decimal,
    /// Paid principal / principal, 0..=1.
    pub progress: Decimal,
    /// The payoff amount on `as_of`.
    pub payoff_amount: Decimal,
    /// Nothing outstanding.
    pub closed: bool,
    /// The re-projected remaining schedule.
    pub projected: Vec<Installment>,
}

impl From<core_ledger::Position> for Position {
    fn from(p: core_ledger::Position) -> Self {
        Position {
            as_of: p.as_of,
            principal_outstanding: p.principal_outstanding,
            interest_accrued: p.interest_accrued,
            paid_interest: p.paid_interest,
            paid_principal: p.paid_principal,
            paid_total: p.paid_total,
            amount_due: p.amount_due,
            days_past_due: p.days_past_due,
            next_due_date: p.next_due_date,
            next_due_amount: p.next_due_amount,
            installments_paid: p.installments_paid,
            remaining_scheduled: p.remaining_scheduled,
            progress: p.progress,
            payoff_amount: p.payoff_amount,
            closed: p.closed,
            projected: installments(p.projected),
        }
    }
}

/// What closes the loan on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct PayoffQuote {
    /// The payoff date.
    pub date: NaiveDate,
    /// Principal outstanding.
    pub principal: Decimal,
    /// Interest owed under the rule.
    pub interest: Decimal,
    /// principal + interest.
    pub total: Decimal,
}

/// What is payable on a date for one installment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct Payable {
    /// Principal outstanding on the date.
    pub outstanding: Decimal,
    /// Principal part payable for the installment.
    pub principal_due: Decimal,
    /// Interest part payable for the installment.
    pub interest_due: Decimal,
}

/// Validated loan terms. Construct with a `LoanTermsInput`; every problem is a
/// `Validation` error naming the field.
#[derive(Debug, uniffi::Object)]
pub struct LoanTerms {
    inner: core::LoanTerms,
}

impl LoanTerms {
    /// The core terms.
    pub fn core(&self) -> &core::LoanTerms {
        &self.inner
    }

    /// The input of core terms, every default spelled out.
    pub fn input_of(terms: &core::LoanTerms) -> LoanTermsInput {
        LoanTermsInput::from_core(terms)
    }
}

#[uniffi::export]
impl LoanTerms {
    /// Validates the input and builds the terms.
    #[uniffi::constructor]
    pub fn new(input: LoanTermsInput) -> FfiResult<Arc<Self>> {
        Ok(Arc::new(LoanTerms {
            inner: input.to_core()?.build()?,
        }))
    }

    /// The terms as input, every default spelled out (build them again after a change).
    pub fn input(&self) -> LoanTermsInput {
        LoanTermsInput::from_core(&self.inner)
    }

    /// Number of installments (derived for a fixed installment amount).
    pub fn installments(&self) -> u32 {
        self.inner.installments()
    }

    /// The effective first due date.
    pub fn first_due_date(&self) -> Option<NaiveDate> {
        self.inner.first_due_date()
    }

    /// The contractual schedule.
    pub fn schedule(&self) -> FfiResult<Schedule> {
        Ok((&self.inner.schedule()?).into())
    }

    /// The schedule as CSV (RFC 4180, CRLF line ends).
    pub fn schedule_csv(&self) -> FfiResult<String> {
        Ok(self.inner.schedule()?.to_csv())
    }

    /// The schedule with extra payments and what they save.
    pub fn what_if(&self, extra: ExtraPayments) -> FfiResult<WhatIf> {
        let w = self.inner.what_if(&extra.into())?;
        Ok(WhatIf {
            base_totals: w.base_totals.into(),
            base_installments: w.base_installments,
            schedule: (&w.schedule).into(),
            interest_saved: w.interest_saved,
            installments_saved: w.installments_saved,
        })
    }

    /// The APR in percent of the contractual schedule, given fees paid at closing.
    pub fn apr(&self, prepaid_finance_charge: Decimal) -> FfiResult<Decimal> {
        Ok(self.inner.apr(prepaid_finance_charge)?)
    }

    /// The effective annual rate of the note rate, in percent.
    pub fn effective_annual_rate(&self) -> FfiResult<Decimal> {
        Ok(self.inner.effective_annual_rate()?)
    }

    /// The position on `as_of` given the repayments.
    pub fn position(&self, payments: Vec<LedgerPayment>, as_of: NaiveDate) -> FfiResult<Position> {
        Ok(core_ledger::position(&self.inner, &ledger_payments(payments), as_of)?.into())
    }

    /// The payoff quote on `on` under `rule`.
    pub fn payoff_quote(
        &self,
        payments: Vec<LedgerPayment>,
        on: NaiveDate,
        rule: PayoffRule,
    ) -> FfiResult<PayoffQuote> {
        let q =
            core_ledger::payoff_quote(&self.inner, &ledger_payments(payments), on, rule.into())?;
        Ok(PayoffQuote {
            date: q.date,
            principal: q.principal,
            interest: q.interest,
            total: q.total,
        })
    }

    /// What is payable on `on` for the installment due on `for_due`.
    pub fn payable(
        &self,
        payments: Vec<LedgerPayment>,
        on: NaiveDate,
        for_due: NaiveDate,
    ) -> FfiResult<Payable> {
        let p = core_ledger::payable(&self.inner, &ledger_payments(payments), on, for_due)?;
        Ok(Payable {
            outstanding: p.outstanding,
            principal_due: p.principal_due,
            interest_due: p.interest_due,
        })
    }

    /// Checks a new repayment against the ledger (validation, overpayment).
    pub fn check_payment(&self, payments: Vec<LedgerPayment>, new: LedgerPayment) -> FfiResult<()> {
        Ok(core_ledger::check_payment(
            &self.inner,
            &ledger_payments(payments),
            &new.into(),
        )?)
    }
}
