//! Debt payoff planner (avalanche, snowball, custom order) against paying the minimums only.
//! Mirrors `loansyncro_core::ledger::planner`.

use chrono::NaiveDate;
use loansyncro_core::ledger::planner as core;
use rust_decimal::Decimal;

use crate::terms::rate_from_percent;
use crate::types::currency;
use crate::FfiResult;

/// Which debt receives the money left after the minimums.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum Strategy {
    /// Highest annual rate first.
    Avalanche,
    /// Smallest balance first.
    Snowball,
    /// The given order of debt ids (every debt exactly once).
    Custom {
        /// Debt ids in payoff order.
        order: Vec<String>,
    },
}

impl From<Strategy> for core::Strategy {
    fn from(s: Strategy) -> Self {
        match s {
            Strategy::Avalanche => Self::Avalanche,
            Strategy::Snowball => Self::Snowball,
            Strategy::Custom { order } => Self::Custom(order),
        }
    }
}

impl From<core::Strategy> for Strategy {
    fn from(s: core::Strategy) -> Self {
        match s {
            core::Strategy::Avalanche => Self::Avalanche,
            core::Strategy::Snowball => Self::Snowball,
            core::Strategy::Custom(order) => Self::Custom { order },
        }
    }
}

/// One debt to pay off.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Debt {
    /// Unique id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Current balance.
    pub balance: Decimal,
    /// Annual nominal rate in percent.
    pub annual_rate_percent: Decimal,
    /// Minimum monthly payment.
    pub minimum_payment: Decimal,
}

/// Input of `plan`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PlanInput {
    /// ISO 4217 code of every amount.
    pub currency: String,
    /// The debts.
    pub debts: Vec<Debt>,
    /// Money available every month.
    pub monthly_budget: Decimal,
    /// Where the money beyond the minimums goes.
    pub strategy: Strategy,
    /// Date of the first month's payment.
    pub start: NaiveDate,
}

/// How one debt ends under the plan.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DebtOutcome {
    /// The debt's id.
    pub id: String,
    /// The debt's name.
    pub name: String,
    /// 1-based month of the last payment (0 for a debt with no balance).
    pub payoff_month: u32,
    /// Date of that month.
    pub payoff_date: NaiveDate,
    /// Interest accrued on this debt.
    pub total_interest: Decimal,
    /// Everything paid to this debt.
    pub total_paid: Decimal,
}

/// The minimums-only comparison.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum Baseline {
    /// Paying only the minimums clears every debt.
    PaidOff {
        /// Months until the last debt is paid off.
        months: u32,
        /// Date of that month.
        debt_free_date: NaiveDate,
        /// Interest over all debts.
        total_interest: Decimal,
        /// Everything paid over all debts.
        total_paid: Decimal,
    },
    /// Paying only the minimums never clears these debts.
    Unbounded {
        /// Ids of the debts never paid off.
        debt_ids: Vec<String>,
    },
}

/// One month of the plan.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MonthRow {
    /// 1-based month index.
    pub month: u32,
    /// Payment date of the month.
    pub date: NaiveDate,
    /// Total balance after the month's payments.
    pub balance: Decimal,
    /// Interest accrued this month.
    pub interest: Decimal,
    /// Paid this month.
    pub paid: Decimal,
    /// Interest accrued up to and including this month.
    pub cumulative_interest: Decimal,
    /// Each debt's balance after the month, in input order.
    pub balances: Vec<Decimal>,
}

/// The outcome of `plan`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PlanResult {
    /// The strategy simulated.
    pub strategy: Strategy,
    /// ISO 4217 code of every amount.
    pub currency: String,
    /// Months until every debt is paid off.
    pub months_to_debt_free: u32,
    /// Date of the last month.
    pub debt_free_date: NaiveDate,
    /// Interest over all debts.
    pub total_interest: Decimal,
    /// Everything paid.
    pub total_paid: Decimal,
    /// Per-debt outcomes, in input order.
    pub debts: Vec<DebtOutcome>,
    /// Paying the minimums only.
    pub baseline: Baseline,
    /// Baseline interest − plan interest (none when the baseline is unbounded).
    pub interest_saved: Option<Decimal>,
    /// Baseline months − plan months (none when the baseline is unbounded).
    pub months_saved: Option<i64>,
    /// One row per month.
    pub months: Vec<MonthRow>,
}

impl PlanInput {
    /// The core input.
    pub fn to_core(&self) -> FfiResult<core::PlanInput> {
        let debts = self
            .debts
            .iter()
            .enumerate()
            .map(|(i, d)| {
                Ok(core::Debt {
                    id: d.id.clone(),
                    name: d.name.clone(),
                    balance: d.balance,
                    annual_rate: rate_from_percent(
                        &format!("debts[{i}].annual_rate"),
                        d.annual_rate_percent,
                    )?,
                    minimum_payment: d.minimum_payment,
                })
            })
            .collect::<FfiResult<Vec<_>>>()?;
        Ok(core::PlanInput {
            currency: currency(&self.currency)?,
            debts,
            monthly_budget: self.monthly_budget,
            strategy: self.strategy.clone().into(),
            start: self.start,
        })
    }
}

impl From<core::PlanResult> for PlanResult {
    fn from(r: core::PlanResult) -> Self {
        PlanResult {
            strategy: r.strategy.into(),
            currency: r.currency.code().to_owned(),
            months_to_debt_free: r.months_to_debt_free,
            debt_free_date: r.debt_free_date,
            total_interest: r.total_interest,
            total_paid: r.total_paid,
            debts: r
                .debts
                .into_iter()
                .map(|d| DebtOutcome {
                    id: d.id,
                    name: d.name,
                    payoff_month: d.payoff_month,
                    payoff_date: d.payoff_date,
                    total_interest: d.total_interest,
                    total_paid: d.total_paid,
                })
                .collect(),
            baseline: match r.baseline {
                core::Baseline::PaidOff {
                    months,
                    debt_free_date,
                    total_interest,
                    total_paid,
                } => Baseline::PaidOff {
                    months,
                    debt_free_date,
                    total_interest,
                    total_paid,
                },
                core::Baseline::Unbounded { debt_ids } => Baseline::Unbounded { debt_ids },
            },
            interest_saved: r.interest_saved,
            months_saved: r.months_saved,
            months: r
                .months
                .into_iter()
                .map(|m| MonthRow {
                    month: m.month,
                    date: m.date,
                    balance: m.balance,
                    interest: m.interest,
                    paid: m.paid,
                    cumulative_interest: m.cumulative_interest,
                    balances: m.balances,
                })
                .collect(),
        }
    }
}

/// Simulates the payoff plan month by month and compares it with paying the minimums only.
#[uniffi::export]
pub fn plan(input: PlanInput) -> FfiResult<PlanResult> {
    Ok(core::plan(&input.to_core()?)?.into())
}
