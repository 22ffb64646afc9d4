//! Portfolio views over many loans: the dashboard summary per currency and the repayments
//! grouped by loan.
//!
//! Both read the loans' stored [`LoanAggregates`]: the service refreshes them from a replay
//! of the ledger on every write ([`aggregates_from_position`]), so a summary reads only the
//! loans (one query on DynamoDB) and costs a few additions per loan. Amounts of different
//! currencies are never added together: every figure is per currency.
//!
//! ```
//! use loansyncro_core::domain::portfolio::summary;
//! use loansyncro_core::{domain::loan::{Loan, LoanId, NewLoan}, domain::user::UserId, Currency, LoanTerms};
//! use chrono::{NaiveDate, TimeZone, Utc};
//! use rust_decimal_macros::dec;
//! let terms = |currency| LoanTerms::builder()
//!     .currency(currency)
//!     .principal(dec!(1200))
//!     .installments(12)
//!     .start(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
//!     .build();
//! let now = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
//! let owner = UserId::new("u1")?;
//! let loans = vec![
//!     Loan::new(LoanId::new("a")?, owner.clone(), NewLoan::new("Car", terms(Currency::USD)?), now)?,
//!     Loan::new(LoanId::new("b")?, owner.clone(), NewLoan::new("Flat", terms(Currency::EUR)?), now)?,
//!     Loan::new(LoanId::new("c")?, owner, NewLoan::new("Bike", terms(Currency::USD)?), now)?,
//! ];
//! let s = summary(&loans)?;
//! assert_eq!(s.currencies.len(), 2);
//! assert_eq!(s.currencies[0].currency, Currency::EUR);
//! assert_eq!(s.currencies[1].total_borrowed, dec!(2400));
//! assert_eq!(s.currencies[1].counts.active, 2);
//! # Ok::<(), loansyncro_core::Error>(())
//! ```

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::domain::loan::{Loan, LoanAggregates, LoanId};
use crate::domain::repayment::Repayment;
use crate::domain::status::LoanStatus;
use crate::error::{Error, Result};
use crate::ledger::Position;
use crate::math::money::Currency;

/// Loans counted by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCounts {
    /// Loans being repaid.
    pub active: u32,
    /// Loans fully repaid.
    pub paid: u32,
    /// Loans in default.
    pub defaulted: u32,
}

impl StatusCounts {
    /// All loans counted.
    pub fn total(&self) -> u32 {
        self.active
            .saturating_add(self.paid)
            .saturating_add(self.defaulted)
    }

    /// The loans of one status.
    ///
    /// ```
    /// use loansyncro_core::domain::portfolio::StatusCounts;
    /// use loansyncro_core::domain::status::LoanStatus;
    /// let counts = StatusCounts { active: 2, paid: 1, defaulted: 0 };
    /// let by_name: Vec<_> = LoanStatus::ALL.iter().map(|s| (s.as_str(), counts.of(*s))).collect();
    /// assert_eq!(by_name, [("active", 2), ("paid", 1), ("defaulted", 0)]);
    /// ```
    pub fn of(&self, status: LoanStatus) -> u32 {
        match status {
            LoanStatus::Active => self.active,
            LoanStatus::Paid => self.paid,
            LoanStatus::Defaulted => self.defaulted,
        }
    }

    fn add(&mut self, status: LoanStatus) {
        let slot = match status {
            LoanStatus::Active => &mut self.active,
            LoanStatus::Paid => &mut self.paid,
            LoanStatus::Defaulted => &mut self.defaulted,
        };
        *slot = slot.saturating_add(1);
    }
}

/// The dashboard figures of one currency.
///
/// The paid and outstanding figures are those of each loan's stored position, computed when the
/// loan was last written (see [`LoanAggregates::position_as_of`]); `principal_outstanding` does
/// not change with time between writes, while the payoff grows with the interest accrued since.
/// For payoff figures exact to a later date, replay and use [`summary_from_positions`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrencySummary {
    /// The currency of every amount below.
    pub currency: Currency,
    /// Loans by status.
    pub counts: StatusCounts,
    /// Σ principal of the loans.
    pub total_borrowed: Decimal,
    /// Σ repayments (interest and principal).
    pub total_repaid: Decimal,
    /// Σ principal repaid.
    pub principal_repaid: Decimal,
    /// Σ interest paid.
    pub interest_paid: Decimal,
    /// Σ principal outstanding.
    pub principal_outstanding: Decimal,
    /// Σ payoff amounts (principal outstanding plus interest accrued).
    pub outstanding_payoff: Decimal,
    /// Σ remaining scheduled amounts (arrears plus future installments).
    pub remaining_scheduled: Decimal,
    /// Σ arrears (amount due and unpaid).
    pub amount_due: Decimal,
    /// Number of repayments.
    pub repayment_count: u64,
}

impl CurrencySummary {
    /// An empty summary of `currency`.
    pub fn empty(currency: Currency) -> CurrencySummary {
        CurrencySummary {
            currency,
            counts: StatusCounts::default(),
            total_borrowed: Decimal::ZERO,
            total_repaid: Decimal::ZERO,
            principal_repaid: Decimal::ZERO,
            interest_paid: Decimal::ZERO,
            principal_outstanding: Decimal::ZERO,
            outstanding_payoff: Decimal::ZERO,
            remaining_scheduled: Decimal::ZERO,
            amount_due: Decimal::ZERO,
            repayment_count: 0,
        }
    }

    fn add(&mut self, loan: &Loan, figures: &Figures) -> Result<()> {
        let add = |acc: &mut Decimal, x: Decimal| -> Result<()> {
            *acc = acc
                .checked_add(x)
                .ok_or_else(|| Error::overflow("portfolio summary"))?;
            Ok(())
        };
        self.counts.add(loan.status);
        add(&mut self.total_borrowed, loan.terms.principal())?;
        add(&mut self.total_repaid, loan.aggregates.total_repaid)?;
        add(&mut self.principal_repaid, figures.principal_paid)?;
        add(&mut self.interest_paid, figures.interest_paid)?;
        add(
            &mut self.principal_outstanding,
            figures.principal_outstanding,
        )?;
        add(&mut self.outstanding_payoff, figures.payoff)?;
        add(&mut self.remaining_scheduled, figures.remaining_scheduled)?;
        add(&mut self.amount_due, figures.amount_due)?;
        self.repayment_count = self
            .repayment_count
            .saturating_add(u64::from(loan.aggregates.repayment_count));
        Ok(())
    }
}

/// The dashboard: one [`CurrencySummary`] per currency, sorted by currency code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortfolioSummary {
    /// Per-currency figures, sorted by currency code; a currency appears when a loan uses it.
    pub currencies: Vec<CurrencySummary>,
}

impl PortfolioSummary {
    /// The figures of `currency`, if any loan uses it.
    pub fn currency(&self, currency: Currency) -> Option<&CurrencySummary> {
        self.currencies.iter().find(|c| c.currency == currency)
    }

    fn slot(&mut self, currency: Currency) -> &mut CurrencySummary {
        let i = match self.currencies.iter().position(|c| c.currency == currency) {
            Some(i) => i,
            None => {
                self.currencies.push(CurrencySummary::empty(currency));
                self.currencies.len() - 1
            }
        };
        &mut self.currencies[i]
    }

    fn finish(mut self) -> PortfolioSummary {
        self.currencies.sort_by_key(|c| c.currency);
        self
    }
}

/// The per-loan figures a summary adds up.
struct Figures {
    principal_paid: Decimal,
    interest_paid: Decimal,
    principal_outstanding: Decimal,
    payoff: Decimal,
    remaining_scheduled: Decimal,
    amount_due: Decimal,
}

impl Figures {
    fn of(loan: &Loan) -> Result<Figures> {
        let a = &loan.aggregates;
        if a.position_as_of.is_some() {
            return Ok(Figures {
                principal_paid: a.principal_paid,
                interest_paid: a.interest_paid,
                principal_outstanding: a.principal_outstanding,
                payoff: a.payoff_amount,
                remaining_scheduled: a.remaining_scheduled,
                amount_due: a.amount_due,
            });
        }
        // Never written by the service (no position stored): nothing paid yet.
        let principal = loan.terms.principal();
        Ok(Figures {
            principal_paid: Decimal::ZERO,
            interest_paid: Decimal::ZERO,
            principal_outstanding: principal,
            payoff: principal,
            remaining_scheduled: loan.terms.schedule()?.total_amount(),
            amount_due: Decimal::ZERO,
        })
    }

    fn from_position(p: &Position) -> Figures {
        Figures {
            principal_paid: p.paid_principal,
            interest_paid: p.paid_interest,
            principal_outstanding: p.principal_outstanding,
            payoff: p.payoff_amount,
            remaining_scheduled: p.remaining_scheduled,
            amount_due: p.amount_due,
        }
    }
}

/// The dashboard of `loans` from their stored aggregates, per currency (no replay).
///
/// A loan whose aggregates hold no position yet (`position_as_of` is `None`, i.e. never
/// written by the service) counts as nothing paid: outstanding and payoff are its principal,
/// the remaining scheduled amount is its schedule's total. Errors: [`Error::Overflow`] only.
pub fn summary(loans: &[Loan]) -> Result<PortfolioSummary> {
    let mut out = PortfolioSummary::default();
    for loan in loans {
        let figures = Figures::of(loan)?;
        out.slot(loan.terms.currency()).add(loan, &figures)?;
    }
    Ok(out.finish())
}

/// The dashboard from freshly replayed positions (e.g. all as of today): the paid and
/// outstanding figures come from each loan's [`Position`] instead of its stored aggregates.
pub fn summary_from_positions<'a>(
    loans: impl IntoIterator<Item = (&'a Loan, &'a Position)>,
) -> Result<PortfolioSummary> {
    let mut out = PortfolioSummary::default();
    for (loan, position) in loans {
        out.slot(loan.terms.currency())
            .add(loan, &Figures::from_position(position))?;
    }
    Ok(out.finish())
}

/// The aggregates a loan stores after a replay: counts and totals of `repayments` plus the
/// figures of `position` (stamped with its date).
///
/// ```
/// use loansyncro_core::ledger::position;
/// use loansyncro_core::domain::portfolio::aggregates_from_position;
/// use loansyncro_core::LoanTerms;
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let terms = LoanTerms::builder().principal(dec!(1200)).installments(12).start(d(1, 1)).build()?;
/// let pos = position(&terms, &[], d(1, 1))?;
/// let agg = aggregates_from_position(&[], &pos);
/// assert_eq!(agg.principal_outstanding, dec!(1200.00));
/// assert_eq!(agg.remaining_scheduled, dec!(1200.00));
/// assert_eq!(agg.position_as_of, Some(d(1, 1)));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn aggregates_from_position(repayments: &[Repayment], position: &Position) -> LoanAggregates {
    with_position(LoanAggregates::from_repayments(repayments), position)
}

/// `aggregates` with the position fields taken from `position` (the repayment totals, the
/// owner's status and the checkpoint are kept).
pub fn with_position(aggregates: LoanAggregates, position: &Position) -> LoanAggregates {
    LoanAggregates {
        position_as_of: Some(position.as_of),
        principal_paid: position.paid_principal,
        interest_paid: position.paid_interest,
        principal_outstanding: position.principal_outstanding,
        amount_due: position.amount_due,
        payoff_amount: position.payoff_amount,
        remaining_scheduled: position.remaining_scheduled,
        days_past_due: position.days_past_due,
        ..aggregates
    }
}

/// `principal_paid / principal`, 0..=1, truncated to 4 decimal places (the ledger's rule).
fn progress(principal_paid: Decimal, principal: Decimal) -> Decimal {
    if principal <= Decimal::ZERO {
        return Decimal::ONE;
    }
    principal_paid
        .checked_div(principal)
        .unwrap_or(Decimal::ZERO)
        .clamp(Decimal::ZERO, Decimal::ONE)
        .round_dp_with_strategy(4, RoundingStrategy::ToZero)
}

/// One loan's repayments with its totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanRepayments {
    /// The loan.
    pub loan_id: LoanId,
    /// Its title.
    pub title: String,
    /// Its currency.
    pub currency: Currency,
    /// Its status.
    pub status: LoanStatus,
    /// Its principal.
    pub principal: Decimal,
    /// Its repayments in ledger order (date, recording time, id).
    pub repayments: Vec<Repayment>,
    /// Σ of the listed repayments.
    pub total_repaid: Decimal,
    /// Number of listed repayments.
    pub repayment_count: u32,
    /// Date of the latest repayment, if any.
    #[serde(
        default,
        deserialize_with = "crate::math::calendar::deserialize_opt_iso_date"
    )]
    pub last_payment_date: Option<NaiveDate>,
    /// Principal outstanding (from the stored aggregates).
    pub remaining_balance: Decimal,
    /// Principal repaid / principal, 0..=1, truncated to 4 decimal places.
    pub progress: Decimal,
}

/// Repayments grouped by loan, in the order of `loans`, keeping the loans whose title contains
/// `search` (case-insensitive; `None` or blank keeps all). Every kept loan has a group, empty
/// when it has no repayments; repayments of loans not in `loans` are ignored.
///
/// ```
/// use loansyncro_core::domain::portfolio::group_repayments;
/// use loansyncro_core::{domain::loan::{Loan, LoanId, NewLoan}, domain::repayment::{NewRepayment, Repayment, RepaymentId}};
/// use loansyncro_core::{domain::user::UserId, LoanTerms};
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use rust_decimal_macros::dec;
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let terms = LoanTerms::builder().principal(dec!(1200)).installments(12).start(d(1, 1)).build()?;
/// let now = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
/// let owner = UserId::new("u1")?;
/// let car = Loan::new(LoanId::new("car")?, owner.clone(), NewLoan::new("Car", terms.clone()), now)?;
/// let flat = Loan::new(LoanId::new("flat")?, owner.clone(), NewLoan::new("Flat", terms), now)?;
/// let rep = |id: &str, amount| Repayment::new(
///     RepaymentId::new(id).unwrap(), LoanId::new("car").unwrap(), owner.clone(),
///     NewRepayment::new(amount, d(2, 1)), now,
/// ).unwrap();
/// let groups = group_repayments(&[car, flat], &[rep("r1", dec!(100)), rep("r2", dec!(50))], Some("CA"));
/// assert_eq!(groups.len(), 1);
/// assert_eq!(groups[0].total_repaid, dec!(150));
/// assert_eq!(groups[0].repayment_count, 2);
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn group_repayments(
    loans: &[Loan],
    repayments: &[Repayment],
    search: Option<&str>,
) -> Vec<LoanRepayments> {
    let needle = search
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_lowercase);
    let mut groups: Vec<LoanRepayments> = loans
        .iter()
        .filter(|loan| match &needle {
            Some(n) => loan.title.to_lowercase().contains(n.as_str()),
            None => true,
        })
        .map(|loan| {
            let a = &loan.aggregates;
            let principal = loan.terms.principal();
            let (remaining_balance, paid) = if a.position_as_of.is_some() {
                (a.principal_outstanding, a.principal_paid)
            } else {
                (principal, Decimal::ZERO)
            };
            LoanRepayments {
                loan_id: loan.id.clone(),
                title: loan.title.clone(),
                currency: loan.terms.currency(),
                status: loan.status,
                principal,
                repayments: Vec::new(),
                total_repaid: Decimal::ZERO,
                repayment_count: 0,
                last_payment_date: None,
                remaining_balance,
                progress: progress(paid, principal),
            }
        })
        .collect();
    let index: std::collections::HashMap<&LoanId, usize> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| (&g.loan_id, i))
        .collect();
    let mut placed: Vec<(usize, &Repayment)> = repayments
        .iter()
        .filter_map(|r| index.get(&r.loan_id).map(|i| (*i, r)))
        .collect();
    placed.sort_by(|(ia, a), (ib, b)| ia.cmp(ib).then_with(|| Repayment::ledger_order(a, b)));
    drop(index);
    for (i, r) in placed {
        if let Some(g) = groups.get_mut(i) {
            g.total_repaid = g.total_repaid.saturating_add(r.amount);
            g.repayment_count = g.repayment_count.saturating_add(1);
            g.last_payment_date = g.last_payment_date.max(Some(r.date));
            g.repayments.push(r.clone());
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::loan::NewLoan;
    use crate::domain::repayment::{NewRepayment, RepaymentId};
    use crate::domain::user::UserId;
    use crate::ledger::{position, LedgerPayment};
    use crate::schedule::terms::LoanTerms;
    use crate::Rate;
    use chrono::{DateTime, TimeZone, Utc};
    use rust_decimal_macros::dec;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, m, day).unwrap()
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap()
    }

    fn loan(id: &str, title: &str, currency: Currency, principal: Decimal) -> Loan {
        let terms = LoanTerms::builder()
            .currency(currency)
            .principal(principal)
            .annual_rate(Rate::from_percent(dec!(12)).unwrap())
            .installments(12)
            .start(d(1, 1))
            .build()
            .unwrap();
        Loan::new(
            LoanId::new(id).unwrap(),
            UserId::new("u").unwrap(),
            NewLoan::new(title, terms),
            now(),
        )
        .unwrap()
    }

    fn rep(loan: &Loan, id: &str, amount: Decimal, date: NaiveDate) -> Repayment {
        Repayment::new(
            RepaymentId::new(id).unwrap(),
            loan.id.clone(),
            loan.owner.clone(),
            NewRepayment::new(amount, date),
            now(),
        )
        .unwrap()
    }

    /// `loan` with aggregates refreshed from a replay of `reps` on `as_of`.
    fn replayed(mut loan: Loan, reps: &[Repayment], as_of: NaiveDate) -> Loan {
        let payments: Vec<LedgerPayment> = reps
            .iter()
            .map(|r| LedgerPayment {
                date: r.date,
                amount: r.amount,
            })
            .collect();
        let pos = position(&loan.terms, &payments, as_of).unwrap();
        loan.aggregates = aggregates_from_position(reps, &pos);
        loan
    }

    #[test]
    fn summary_separates_currencies_and_sums_aggregates() {
        let usd = loan("a", "Car", Currency::USD, dec!(1000));
        // 1000 at 1%/month: installment 88.85; first interest 10.00, principal 78.85.
        let r1 = rep(&usd, "r1", dec!(88.85), d(2, 1));
        let usd = replayed(usd, std::slice::from_ref(&r1), d(2, 1));
        let mut paid = loan("b", "Bike", Currency::USD, dec!(100));
        let r2 = rep(&paid, "r2", dec!(100), d(1, 1));
        paid = replayed(paid, std::slice::from_ref(&r2), d(1, 1));
        paid.status = LoanStatus::Paid;
        let eur = loan("c", "Flat", Currency::EUR, dec!(5000));
        let s = summary(&[usd.clone(), eur, paid]).unwrap();
        assert_eq!(s.currencies.len(), 2);
        let e = s.currency(Currency::EUR).unwrap();
        assert_eq!(
            e.counts,
            StatusCounts {
                active: 1,
                paid: 0,
                defaulted: 0
            }
        );
        assert_eq!(e.total_borrowed, dec!(5000));
        assert_eq!(e.principal_outstanding, dec!(5000));
        assert_eq!(e.outstanding_payoff, dec!(5000));
        assert_eq!(e.remaining_scheduled, dec!(5330.93));
        let u = s.currency(Currency::USD).unwrap();
        assert_eq!(u.counts.total(), 2);
        assert_eq!(u.counts.paid, 1);
        assert_eq!(u.total_borrowed, dec!(1100));
        assert_eq!(u.total_repaid, dec!(188.85));
        assert_eq!(u.interest_paid, dec!(10.00));
        assert_eq!(u.principal_repaid, dec!(178.85));
        assert_eq!(u.principal_outstanding, dec!(921.15));
        assert_eq!(u.outstanding_payoff, dec!(921.15));
        assert_eq!(u.repayment_count, 2);
        assert_eq!(
            u.remaining_scheduled, usd.aggregates.remaining_scheduled,
            "the paid loan has nothing left"
        );
        // JSON: decimals as strings.
        let json = serde_json::to_string(&s).unwrap();
        assert!(json.contains("\"total_borrowed\":\"5000\""), "{json}");
        assert_eq!(serde_json::from_str::<PortfolioSummary>(&json).unwrap(), s);
    }

    #[test]
    fn summary_from_positions_uses_the_positions() {
        let l = loan("a", "Car", Currency::USD, dec!(1000));
        let pos = position(&l.terms, &[], d(1, 16)).unwrap();
        let s = summary_from_positions([(&l, &pos)]).unwrap();
        let u = s.currency(Currency::USD).unwrap();
        // Half of January accrued: 10.00 × 15 / 31 = 4.84.
        assert_eq!(u.outstanding_payoff, dec!(1004.84));
        assert_eq!(u.principal_outstanding, dec!(1000.00));
        assert!(summary(&[]).unwrap().currencies.is_empty());
    }

    #[test]
    fn grouping_orders_filters_and_totals() {
        let car = loan("car", "Red Car", Currency::USD, dec!(1000));
        let flat = loan("flat", "Flat", Currency::EUR, dec!(1000));
        let reps = vec![
            rep(&car, "c2", dec!(88.85), d(3, 1)),
            rep(&flat, "f1", dec!(10), d(2, 1)),
            rep(&car, "c1", dec!(88.85), d(2, 1)),
        ];
        let car = replayed(car, &[reps[0].clone(), reps[2].clone()], d(3, 1));
        let all = group_repayments(&[car.clone(), flat.clone()], &reps, None);
        assert_eq!(all.len(), 2);
        assert_eq!(
            all[0]
                .repayments
                .iter()
                .map(|r| r.id.as_str())
                .collect::<Vec<_>>(),
            vec!["c1", "c2"]
        );
        assert_eq!(all[0].total_repaid, dec!(177.70));
        assert_eq!(all[0].last_payment_date, Some(d(3, 1)));
        // Principal paid: 78.85 + 79.64 = 158.49.
        assert_eq!(all[0].remaining_balance, dec!(841.51));
        assert_eq!(all[0].progress, dec!(0.1584));
        assert_eq!(all[1].total_repaid, dec!(10));
        assert_eq!(all[1].remaining_balance, dec!(1000));
        assert_eq!(all[1].progress, dec!(0));
        let only = group_repayments(&[car, flat], &reps, Some("  CAR "));
        assert_eq!(only.len(), 1);
        assert_eq!(only[0].loan_id.as_str(), "car");
        assert!(group_repayments(&[], &reps, None).is_empty());
    }
}
