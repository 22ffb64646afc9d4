//! Debt payoff planner: pay several debts from one constant monthly budget, month by month, with
//! the avalanche, snowball or a custom order, and compare with paying the minimums only.
//!
//! # Rules of the simulation
//! Every month, for every debt that still has a balance, in this order:
//! 1. interest accrues: `balance × annual_rate / 12`, rounded half-up to the currency's minor
//!    unit;
//! 2. the debt receives its minimum payment (or its whole balance if that is smaller);
//! 3. the rest of the budget goes to the target debts in the order of the [`Strategy`]: the first
//!    target receives as much as it owes, what is left goes to the next one, and so on (money
//!    freed by a paid-off debt rolls into the next target; the budget never changes).
//!
//! The priority order is recomputed every month from the balances after step 2. Money is kept
//! in exact integer minor units; every balance stays non-negative, and for every debt
//! `total_paid = original balance + total_interest` exactly.
//!
//! # When a plan cannot finish
//! The planner never loops forever. [`plan`] returns [`Error::NoSolution`] naming the debts
//! concerned when
//! - a month ends in which no balance went down (every debt's payment was at most its interest)
//!   and the situation provably repeats: the budget left nothing beyond the minimums, or the
//!   target of the extra money cannot change (a custom order, a single debt left, or under
//!   avalanche a target whose rate is strictly the highest);
//! - a balance outgrows the range of `Decimal`;
//! - the plan needs more than [`MAX_MONTHS`] months.
//!
//! # The baseline
//! The minimums-only [`Baseline`] pays each debt its minimum until it is paid off, with no
//! rollover. When some debt's minimum never pays it off (it does not exceed the interest, or it
//! would take more than [`MAX_MONTHS`] months) the baseline is [`Baseline::Unbounded`] and lists
//! those debts; [`PlanResult::interest_saved`] and [`PlanResult::months_saved`] are then `None`.

use std::cmp::Reverse;
use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::math::calendar::{add_months, Fraction};
use crate::math::kernel;
use crate::math::money::{Currency, RoundingMode};
use crate::math::rate::Rate;
use crate::math::vocab::vocabulary;

/// The longest plan (and baseline) simulated: 100 years of months.
pub const MAX_MONTHS: u32 = 1200;

/// A month's share of a year: the planner's monthly rate is the annual rate × 1/12.
const MONTH: Fraction = Fraction::new(1, 12);

/// Largest balance, in minor units, that still converts to a `Decimal` (2^96 − 1).
const MAX_MINOR: i128 = (1i128 << 96) - 1;

/// Which debt receives the money left after the minimums.
///
/// Serialized in snake case: `"avalanche"`, `"snowball"`, `{"custom": ["card", "car"]}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// Highest annual rate first; ties by the smaller current balance, then by id.
    #[default]
    Avalanche,
    /// Smallest current balance first; ties by the higher rate, then by id.
    Snowball,
    /// The given order of debt ids; it must name every debt exactly once.
    Custom(Vec<String>),
}

vocabulary! {
    mixed Strategy, field: "strategy", noun: "strategy";
    Avalanche => "avalanche",
    Snowball => "snowball",
    Custom(..) => "custom" needs "a list of debt ids (the custom order)",
}

impl std::fmt::Display for Strategy {
    /// The strategy's name (`custom` without its order).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.name())
    }
}

impl std::str::FromStr for Strategy {
    type Err = Error;
    /// `avalanche` or `snowball`; a custom order is a list of ids, not a name.
    fn from_str(text: &str) -> Result<Strategy> {
        Strategy::parse_field(text, Strategy::FIELD).map_err(Error::from)
    }
}

/// One debt to pay off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Debt {
    /// Unique id (used by [`Strategy::Custom`] and in the outcome).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Current balance, in the currency's precision, not negative.
    pub balance: Decimal,
    /// Annual nominal rate; monthly interest is `balance × rate / 12`.
    pub annual_rate: Rate,
    /// Minimum monthly payment, in the currency's precision, not negative.
    pub minimum_payment: Decimal,
}

impl Debt {
    /// A debt whose name is its id.
    pub fn new(
        id: impl Into<String>,
        balance: Decimal,
        annual_rate: Rate,
        minimum_payment: Decimal,
    ) -> Debt {
        let id = id.into();
        Debt {
            name: id.clone(),
            id,
            balance,
            annual_rate,
            minimum_payment,
        }
    }
}

/// Input of [`plan`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanInput {
    /// Currency of every amount (sets the minor unit interest is rounded to).
    pub currency: Currency,
    /// The debts (at least one; ids unique).
    pub debts: Vec<Debt>,
    /// Money available every month; at least the sum of the minimum payments of the debts that
    /// have a balance.
    pub monthly_budget: Decimal,
    /// Where the money beyond the minimums goes.
    pub strategy: Strategy,
    /// Date of the first month's payment; month `k` pays on `start` plus `k − 1` months (day of
    /// month kept, clamped to the month's end).
    #[serde(deserialize_with = "crate::math::calendar::deserialize_iso_date")]
    pub start: NaiveDate,
}

/// How one debt ends under the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DebtOutcome {
    /// The debt's id.
    pub id: String,
    /// The debt's name.
    pub name: String,
    /// 1-based month in which the last payment is made (0 for a debt with no balance).
    pub payoff_month: u32,
    /// Date of that month (the start date for a debt with no balance).
    #[serde(deserialize_with = "crate::math::calendar::deserialize_iso_date")]
    pub payoff_date: NaiveDate,
    /// Interest accrued on this debt.
    pub total_interest: Decimal,
    /// Everything paid to this debt (original balance + interest).
    pub total_paid: Decimal,
}

/// The minimums-only comparison.
///
/// Serialized with a `kind` tag: `{"kind": "paid_off", "months": 37, ...}` or
/// `{"kind": "unbounded", "debt_ids": ["card"]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
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
    /// Paying only the minimums never clears these debts (the minimum does not exceed the
    /// interest, or it would take more than [`MAX_MONTHS`] months).
    Unbounded {
        /// Ids of the debts that are never paid off, in input order.
        debt_ids: Vec<String>,
    },
}

impl Baseline {
    /// Months to debt-free, if the baseline ever gets there.
    pub fn months(&self) -> Option<u32> {
        match self {
            Baseline::PaidOff { months, .. } => Some(*months),
            Baseline::Unbounded { .. } => None,
        }
    }

    /// Total interest, if the baseline ever pays everything off.
    pub fn total_interest(&self) -> Option<Decimal> {
        match self {
            Baseline::PaidOff { total_interest, .. } => Some(*total_interest),
            Baseline::Unbounded { .. } => None,
        }
    }

    /// Whether paying the minimums only ever clears every debt.
    pub fn is_bounded(&self) -> bool {
        matches!(self, Baseline::PaidOff { .. })
    }
}

/// One month of the plan, ready for a chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthRow {
    /// 1-based month index.
    pub month: u32,
    /// Payment date of the month.
    #[serde(deserialize_with = "crate::math::calendar::deserialize_iso_date")]
    pub date: NaiveDate,
    /// Total balance after the month's payments.
    pub balance: Decimal,
    /// Interest accrued this month over all debts.
    pub interest: Decimal,
    /// Paid this month over all debts.
    pub paid: Decimal,
    /// Interest accrued up to and including this month.
    pub cumulative_interest: Decimal,
    /// Each debt's balance after the month's payments, in input order.
    pub balances: Vec<Decimal>,
}

/// The outcome of [`plan`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanResult {
    /// The strategy that was simulated.
    pub strategy: Strategy,
    /// Currency of every amount.
    pub currency: Currency,
    /// Months until every debt is paid off (0 when nothing was owed).
    pub months_to_debt_free: u32,
    /// Date of the last month (the start date when nothing was owed).
    #[serde(deserialize_with = "crate::math::calendar::deserialize_iso_date")]
    pub debt_free_date: NaiveDate,
    /// Interest over all debts.
    pub total_interest: Decimal,
    /// Everything paid (Σ original balances + total interest).
    pub total_paid: Decimal,
    /// Per-debt outcomes, in input order.
    pub debts: Vec<DebtOutcome>,
    /// Paying the minimums only.
    pub baseline: Baseline,
    /// Baseline interest − plan interest; `None` when the baseline is unbounded.
    pub interest_saved: Option<Decimal>,
    /// Baseline months − plan months; `None` when the baseline is unbounded.
    pub months_saved: Option<i64>,
    /// One row per month.
    pub months: Vec<MonthRow>,
}

/// Validated debts in integer minor units.
struct Prepared {
    currency: Currency,
    balances: Vec<i128>,
    minimums: Vec<i128>,
    /// Monthly rate (annual rate / 12, see [`kernel::nominal_rate`]).
    rates: Vec<Fraction>,
    budget: i128,
    /// Custom order as indices.
    custom: Option<Vec<usize>>,
}

/// Simulates the plan month by month and compares it with paying the minimums only.
///
/// # Errors
/// - [`Error::Validation`] naming the field: `debts` (empty), `debts[i].id` (empty or
///   duplicate), `debts[i].balance` / `debts[i].minimum_payment` / `monthly_budget` (negative or
///   finer than the currency's minor unit), `monthly_budget` below the sum of the minimum
///   payments (the reason states that sum), `strategy` (a custom order that does not name every
///   debt exactly once), `start` (dates out of range).
/// - [`Error::NoSolution`] when the budget never pays a debt off (see the module docs); the
///   reason names the debt.
/// - [`Error::Overflow`] when an amount leaves the range of `Decimal`.
///
/// ```
/// use loansyncro_core::ledger::planner::{plan, Debt, PlanInput, Strategy};
/// use loansyncro_core::{Currency, Rate};
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
///
/// let input = PlanInput {
///     currency: Currency::USD,
///     debts: vec![
///         Debt::new("card", dec!(1000), Rate::from_percent(dec!(24))?, dec!(50)),
///         Debt::new("car", dec!(500), Rate::from_percent(dec!(6))?, dec!(50)),
///     ],
///     monthly_budget: dec!(300),
///     strategy: Strategy::Avalanche,
///     start: NaiveDate::from_ymd_opt(2025, 1, 31).unwrap(),
/// };
/// let result = plan(&input)?;
/// // Month 1: card accrues 20.00, car 2.50; car gets its 50, card the other 250.
/// assert_eq!(result.months[0].balances, vec![dec!(770.00), dec!(452.50)]);
/// assert_eq!(result.months_to_debt_free, 6);
/// assert_eq!(result.debt_free_date, NaiveDate::from_ymd_opt(2025, 6, 30).unwrap());
/// assert_eq!(result.total_paid, dec!(1500) + result.total_interest);
/// assert!(result.interest_saved.unwrap() > dec!(0));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn plan(input: &PlanInput) -> Result<PlanResult> {
    let p = prepare(input)?;
    let c = p.currency;
    let n = input.debts.len();
    let date_of = |month: u32| month_date(input.start, month);

    let mut bal = p.balances.clone();
    let mut interest_total = vec![0i128; n];
    let mut paid_total = vec![0i128; n];
    let mut payoff_month = vec![0u32; n];
    let mut rows = Vec::new();
    let mut cumulative_interest = 0i128;
    let mut month = 0u32;

    while bal.iter().any(|b| *b > 0) {
        month += 1;
        if month > MAX_MONTHS {
            return Err(Error::no_solution(format!(
                "the budget {} does not pay off {} within {MAX_MONTHS} months",
                c.from_minor(p.budget),
                name_list(input, (0..n).filter(|i| bal[*i] > 0))
            )));
        }
        let date = date_of(month)?;
        let before = bal.clone();
        let open: Vec<usize> = (0..n).filter(|i| bal[*i] > 0).collect();
        let mut interest = vec![0i128; n];
        let mut paid = vec![0i128; n];
        for &i in &open {
            interest[i] = monthly_interest(bal[i], p.rates[i])?;
            bal[i] = add(bal[i], interest[i])?;
        }
        let mut left = p.budget;
        for &i in &open {
            let pay = p.minimums[i].min(bal[i]);
            bal[i] -= pay;
            paid[i] += pay;
            left -= pay;
        }
        let extra = left;
        let order = priority(&input.strategy, p.custom.as_deref(), &bal, input);
        for &i in &order {
            if left == 0 {
                break;
            }
            let pay = left.min(bal[i]);
            bal[i] -= pay;
            paid[i] += pay;
            left -= pay;
        }
        for &i in &open {
            interest_total[i] = add(interest_total[i], interest[i])?;
            paid_total[i] = add(paid_total[i], paid[i])?;
            if bal[i] == 0 {
                payoff_month[i] = month;
            }
        }
        let month_interest = sum(open.iter().map(|i| interest[*i]))?;
        cumulative_interest = add(cumulative_interest, month_interest)?;

        // No balance went down: stop if this provably repeats every month from now on.
        let progressed = open.iter().any(|&i| bal[i] < before[i]);
        if !progressed && stall_is_permanent(&input.strategy, extra, &order, input) {
            let reasons: Vec<String> = open
                .iter()
                .map(|&i| {
                    format!(
                        "debt {:?} accrues {} interest in month {month} but receives only {}",
                        input.debts[i].id,
                        c.from_minor(interest[i]),
                        c.from_minor(paid[i])
                    )
                })
                .collect();
            return Err(Error::no_solution(format!(
                "the budget {} never pays the debts off: {}",
                c.from_minor(p.budget),
                reasons.join("; ")
            )));
        }
        let total = sum(bal.iter().copied())?;
        if total > MAX_MINOR {
            let grew = open.iter().copied().filter(|&i| bal[i] > before[i]);
            return Err(Error::no_solution(format!(
                "the balances grow without bound (beyond the range of Decimal in month {month}): \
                 the budget {} never pays off {}",
                c.from_minor(p.budget),
                name_list(input, grew)
            )));
        }

        rows.push(MonthRow {
            month,
            date,
            balance: dec(c, total)?,
            interest: dec(c, month_interest)?,
            paid: dec(c, sum(paid.iter().copied())?)?,
            cumulative_interest: dec(c, cumulative_interest)?,
            balances: bal.iter().map(|b| dec(c, *b)).collect::<Result<_>>()?,
        });
    }

    let debts = input
        .debts
        .iter()
        .enumerate()
        .map(|(i, d)| {
            Ok(DebtOutcome {
                id: d.id.clone(),
                name: d.name.clone(),
                payoff_month: payoff_month[i],
                payoff_date: if payoff_month[i] == 0 {
                    input.start
                } else {
                    date_of(payoff_month[i])?
                },
                total_interest: dec(c, interest_total[i])?,
                total_paid: dec(c, paid_total[i])?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let total_interest = dec(c, sum(interest_total.iter().copied())?)?;
    let total_paid = dec(c, sum(paid_total.iter().copied())?)?;
    let baseline = baseline(input, &p)?;
    let (interest_saved, months_saved) = match &baseline {
        Baseline::PaidOff {
            months,
            total_interest: base_interest,
            ..
        } => (
            Some(*base_interest - total_interest),
            Some(i64::from(*months) - i64::from(month)),
        ),
        Baseline::Unbounded { .. } => (None, None),
    };
    Ok(PlanResult {
        strategy: input.strategy.clone(),
        currency: c,
        months_to_debt_free: month,
        debt_free_date: if month == 0 {
            input.start
        } else {
            date_of(month)?
        },
        total_interest,
        total_paid,
        debts,
        baseline,
        interest_saved,
        months_saved,
        months: rows,
    })
}

/// Paying every debt its minimum only, each on its own (no rollover).
fn baseline(input: &PlanInput, p: &Prepared) -> Result<Baseline> {
    let c = p.currency;
    let mut months = 0u32;
    let mut interest_total = 0i128;
    let mut paid_total = 0i128;
    let mut never = Vec::new();
    for (i, d) in input.debts.iter().enumerate() {
        let mut b = p.balances[i];
        let mut m = 0u32;
        let mut paid_off = true;
        while b > 0 {
            m += 1;
            let interest = monthly_interest(b, p.rates[i])?;
            let due = add(b, interest)?;
            let pay = p.minimums[i].min(due);
            // The payment does not exceed the interest and does not close the debt: the
            // balance never goes down again, so the minimum never pays it off.
            if m > MAX_MONTHS || (pay <= interest && pay < due) {
                paid_off = false;
                break;
            }
            b = due - pay;
            interest_total = add(interest_total, interest)?;
            paid_total = add(paid_total, pay)?;
        }
        if paid_off {
            months = months.max(m);
        } else {
            never.push(d.id.clone());
        }
    }
    if !never.is_empty() {
        return Ok(Baseline::Unbounded { debt_ids: never });
    }
    Ok(Baseline::PaidOff {
        months,
        debt_free_date: if months == 0 {
            input.start
        } else {
            month_date(input.start, months)?
        },
        total_interest: dec(c, interest_total)?,
        total_paid: dec(c, paid_total)?,
    })
}

/// Whether a month in which no balance went down repeats forever: every debt kept its balance
/// (or grew), so next month its interest is at least as large; if every debt also receives the
/// same payment next month (the same minimum, and the extra money, if any, goes to the same
/// target), no balance ever goes down again.
fn stall_is_permanent(
    strategy: &Strategy,
    extra: i128,
    order: &[usize],
    input: &PlanInput,
) -> bool {
    if extra == 0 || order.len() <= 1 {
        return true;
    }
    match strategy {
        Strategy::Custom(_) => true,
        Strategy::Avalanche => {
            let top = order.first().map(|&i| input.debts[i].annual_rate);
            order
                .iter()
                .skip(1)
                .all(|&i| Some(input.debts[i].annual_rate) < top)
        }
        // The smallest balance can change as balances grow at different speeds: keep
        // simulating (bounded by MAX_MONTHS and by the range of Decimal).
        Strategy::Snowball => false,
    }
}

/// The open debts (balance > 0) in the order they receive extra money.
fn priority(
    strategy: &Strategy,
    custom: Option<&[usize]>,
    bal: &[i128],
    input: &PlanInput,
) -> Vec<usize> {
    let mut open: Vec<usize> = (0..bal.len()).filter(|i| bal[*i] > 0).collect();
    let d = &input.debts;
    match strategy {
        Strategy::Avalanche => {
            open.sort_by(|&a, &b| {
                (Reverse(d[a].annual_rate), bal[a], &d[a].id).cmp(&(
                    Reverse(d[b].annual_rate),
                    bal[b],
                    &d[b].id,
                ))
            });
            open
        }
        Strategy::Snowball => {
            open.sort_by(|&a, &b| {
                (bal[a], Reverse(d[a].annual_rate), &d[a].id).cmp(&(
                    bal[b],
                    Reverse(d[b].annual_rate),
                    &d[b].id,
                ))
            });
            open
        }
        Strategy::Custom(_) => custom
            .unwrap_or_default()
            .iter()
            .copied()
            .filter(|i| bal.get(*i).is_some_and(|b| *b > 0))
            .collect(),
    }
}

fn prepare(input: &PlanInput) -> Result<Prepared> {
    let c = input.currency;
    if input.debts.is_empty() {
        return Err(Error::validation("debts", "must contain at least one debt"));
    }
    let mut balances = Vec::with_capacity(input.debts.len());
    let mut minimums = Vec::with_capacity(input.debts.len());
    let mut rates = Vec::with_capacity(input.debts.len());
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, d) in input.debts.iter().enumerate() {
        if d.id.trim().is_empty() {
            return Err(Error::validation(
                format!("debts[{i}].id"),
                "must not be empty",
            ));
        }
        if let Some(first) = seen.insert(d.id.as_str(), i) {
            return Err(Error::validation(
                format!("debts[{i}].id"),
                format!("duplicate id {:?} (also debts[{first}].id)", d.id),
            ));
        }
        balances.push(minor(c, &format!("debts[{i}].balance"), d.balance)?);
        minimums.push(minor(
            c,
            &format!("debts[{i}].minimum_payment"),
            d.minimum_payment,
        )?);
        rates.push(kernel::nominal_rate(d.annual_rate, MONTH)?);
    }
    if sum(balances.iter().copied())? > MAX_MINOR {
        return Err(Error::validation(
            "debts",
            "the total balance is too large to be represented in minor units",
        ));
    }
    let budget = minor(c, "monthly_budget", input.monthly_budget)?;
    if budget > MAX_MINOR {
        return Err(Error::validation(
            "monthly_budget",
            "is too large to be represented in minor units",
        ));
    }
    let required = sum(balances
        .iter()
        .zip(&minimums)
        .filter(|(b, _)| **b > 0)
        .map(|(_, m)| *m))?;
    if budget < required {
        return Err(Error::validation(
            "monthly_budget",
            format!(
                "{} is below the sum of the minimum payments: the budget must be at least {}",
                c.from_minor(budget),
                c.from_minor(required)
            ),
        ));
    }
    let custom = match &input.strategy {
        Strategy::Custom(order) => Some(custom_order(order, &seen, input)?),
        _ => None,
    };
    Ok(Prepared {
        currency: c,
        balances,
        minimums,
        rates,
        budget,
        custom,
    })
}

fn custom_order(
    order: &[String],
    ids: &HashMap<&str, usize>,
    input: &PlanInput,
) -> Result<Vec<usize>> {
    let mut out = Vec::with_capacity(order.len());
    let mut used = vec![false; input.debts.len()];
    for id in order {
        let Some(&i) = ids.get(id.as_str()) else {
            return Err(Error::validation(
                "strategy",
                format!("the custom order names {id:?}, which is not one of the debts"),
            ));
        };
        if std::mem::replace(&mut used[i], true) {
            return Err(Error::validation(
                "strategy",
                format!("the custom order names {id:?} more than once"),
            ));
        }
        out.push(i);
    }
    if let Some(i) = used.iter().position(|u| !u) {
        return Err(Error::validation(
            "strategy",
            format!(
                "the custom order must name every debt exactly once; {:?} is missing",
                input.debts[i].id
            ),
        ));
    }
    Ok(out)
}

/// A non-negative amount in the currency's precision, as integer minor units.
fn minor(c: Currency, field: &str, amount: Decimal) -> Result<i128> {
    if amount.is_sign_negative() && !amount.is_zero() {
        return Err(Error::validation(field, "must not be negative"));
    }
    c.check_precision(field, amount)?;
    c.to_minor(amount, RoundingMode::HalfUp)
        .ok_or_else(|| Error::overflow(field.to_string()))
}

/// A month's interest on `balance`: `balance × annual rate / 12` rounded half-up, exactly.
fn monthly_interest(balance: i128, rate: Fraction) -> Result<i128> {
    Ok(kernel::interest(balance, rate, RoundingMode::HalfUp)?)
}

fn add(a: i128, b: i128) -> Result<i128> {
    a.checked_add(b)
        .ok_or_else(|| Error::overflow("plan totals"))
}

fn sum(values: impl Iterator<Item = i128>) -> Result<i128> {
    values.into_iter().try_fold(0i128, add)
}

fn dec(c: Currency, minor: i128) -> Result<Decimal> {
    Decimal::try_from_i128_with_scale(minor, c.minor_units())
        .map_err(|_| Error::overflow("plan amount"))
}

fn month_date(start: NaiveDate, month: u32) -> Result<NaiveDate> {
    add_months(start, month.saturating_sub(1))
        .ok_or_else(|| Error::validation("start", "the plan's dates run out of range"))
}

fn name_list(input: &PlanInput, idx: impl Iterator<Item = usize>) -> String {
    let names: Vec<String> = idx
        .map(|i| format!("debt {:?}", input.debts[i].id))
        .collect();
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn rate(p: Decimal) -> Rate {
        Rate::from_percent(p).unwrap_or_default()
    }

    #[test]
    fn stall_with_fixed_target_stops_early() {
        let input = PlanInput {
            currency: Currency::USD,
            debts: vec![Debt::new("a", dec!(1000), rate(dec!(36)), dec!(10))],
            monthly_budget: dec!(30),
            strategy: Strategy::Avalanche,
            start: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default(),
        };
        let e = plan(&input).unwrap_err();
        assert_eq!(e.code(), "no_solution");
        assert!(e.to_string().contains("\"a\""), "{e}");
    }

    #[test]
    fn growing_total_can_still_finish() {
        // b's interest exceeds its minimum while the extra money clears a first.
        let input = PlanInput {
            currency: Currency::USD,
            debts: vec![
                Debt::new("a", dec!(1000), rate(dec!(100)), dec!(0)),
                Debt::new("b", dec!(10000), rate(dec!(12)), dec!(0)),
            ],
            monthly_budget: dec!(150),
            strategy: Strategy::Avalanche,
            start: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default(),
        };
        let r = plan(&input).unwrap_or_else(|e| panic!("{e}"));
        assert!(r.months[0].balance > dec!(11000));
        assert_eq!(
            r.baseline,
            Baseline::Unbounded {
                debt_ids: vec!["a".into(), "b".into()]
            }
        );
        assert_eq!(r.interest_saved, None);
    }

    #[test]
    fn interest_is_exact_for_long_rates_and_large_balances() {
        let r = Rate::from_fraction(dec!(0.123456789012345678)).unwrap_or_default();
        let f = r.fraction();
        let rate = kernel::nominal_rate(r, MONTH).unwrap_or_else(|e| panic!("{e}"));
        let balance: i128 = 79_000_000_000_000_000_000_000_000_000; // about 2^96
        let want = (Decimal::from_i128_with_scale(balance, 0) * f / dec!(12))
            .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        assert_eq!(
            monthly_interest(balance, rate).map(|x| Decimal::from_i128_with_scale(x, 0)),
            Ok(want)
        );
        assert_eq!(monthly_interest(12345, Fraction::new(24, 1200)), Ok(247)); // 246.9
        assert_eq!(monthly_interest(125, Fraction::new(24, 1200)), Ok(3)); // 2.5 half-up
    }

    #[test]
    fn runaway_balances_end_in_no_solution() {
        // Snowball, equal 100% rates: the stall is not provably permanent, so the simulation
        // runs on until a balance leaves the range of Decimal (or the month cap).
        let input = PlanInput {
            currency: Currency::USD,
            debts: vec![
                Debt::new("a", dec!(100000000000000000000), rate(dec!(100)), dec!(1)),
                Debt::new("b", dec!(100000000000000000001), rate(dec!(100)), dec!(1)),
            ],
            monthly_budget: dec!(3),
            strategy: Strategy::Snowball,
            start: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default(),
        };
        let e = plan(&input).unwrap_err();
        assert_eq!(e.code(), "no_solution", "{e}");
    }
}
