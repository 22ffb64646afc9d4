//! The general schedule loop: every method, grace period, rate change, recast, payment cap,
//! extra payment and carried precision, one period at a time in named steps
//! ([`Walk::period`]). [`super::fast_path`] gives the same rows for plain annuities, faster.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::math::calendar::{DueDates, Fraction};
use crate::math::kernel;
use crate::math::money::RoundingMode;
use crate::math::rate::Rate;
use crate::schedule::amortization::{
    Adjustment, ExtraPayments, Installment, PackedDate, Schedule, Totals,
};
use crate::schedule::engine::Engine;
use crate::schedule::events::renewal_error;
use crate::schedule::terms::{
    AmortizationMethod, BalancePrecision, LoanTerms, PrepaymentPolicy, MAX_INSTALLMENTS,
};

/// A balance above this multiple of the principal means the schedule runs away (a
/// near-perpetuity whose rounding error compounds, or a payment cap far below the interest).
const RUNAWAY_FACTOR: i128 = 4;

/// Generates the schedule of `terms` (with `extra` payments, if any, validated first) period by
/// period, for every kind of terms (the spreadsheet table included). [`crate::LoanTerms::schedule`] uses
/// [`super::fast_path`] instead when it applies; both give identical schedules.
///
/// ```
/// use loansyncro_core::schedule::{fast_path, general_loop};
/// use loansyncro_core::{LoanTerms, Rate};
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let terms = LoanTerms::builder()
///     .principal(dec!(250000))
///     .annual_rate(Rate::from_percent(dec!(6.5))?)
///     .installments(360)
///     .start(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
///     .build()?;
/// let general = general_loop(&terms, None)?;
/// assert_eq!(general.regular_payment(), dec!(1580.17));
/// assert_eq!(fast_path(&terms)?, Some(general));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn general_loop(terms: &LoanTerms, extra: Option<&ExtraPayments>) -> Result<Schedule> {
    if let Some(extra) = extra {
        extra.validate(terms)?;
    }
    let mut engine = Engine::new(terms, extra)?;
    if terms.balance_precision() == BalancePrecision::Spreadsheet {
        return crate::schedule::spreadsheet::schedule(&engine, extra);
    }
    let first_due = engine.first_due;
    let mut walk = Walk::start(&mut engine)?;
    let mut due_dates = DueDates::new(terms.frequency(), first_due);
    // A renewal moves the last installment (`seg_end`), so the bound is read every period.
    let mut k = 1;
    while k <= walk.seg_end || walk.extends(k - 1, walk.previous) {
        let due = due_dates
            .next()
            .ok_or_else(|| Error::validation("installments", "due dates run out of range"))?;
        if walk.period(k, due)? == Closed::Yes {
            break;
        }
        k += 1;
    }
    walk.finish()
}

/// Whether the loan closed with a period.
#[derive(Debug, PartialEq, Eq)]
enum Closed {
    Yes,
    No,
}

/// Constants of the amortization method, computed once before the first period.
struct Method {
    kind: AmortizationMethod,
    /// The principal, in units.
    principal: i128,
    /// Flat interest: the interest of the whole term, and the share of each installment but
    /// the last.
    flat_total: i128,
    flat_part: i128,
    /// Equal principal (and flat interest): the principal of each amortizing installment.
    principal_part: i128,
}

impl Method {
    /// The constants of the terms' method.
    fn of(e: &Engine<'_>) -> Result<Method> {
        let t = e.terms;
        let kind = t.method();
        let n = t.installments();
        let principal = e.to_units(t.principal(), RoundingMode::HalfUp)?;
        let (flat_total, flat_part) = if kind == AmortizationMethod::FlatInterest {
            let rate = e.basis.nominal_rate(t.annual_rate())?;
            let total = kernel::flat_interest(principal, rate, n, t.interest_rounding())?;
            (total, total / i128::from(n.max(1)))
        } else {
            (0, 0)
        };
        let principal_part = match kind {
            AmortizationMethod::EqualPrincipal | AmortizationMethod::FlatInterest => {
                let residual = e.to_units(t.balloon().unwrap_or_default(), RoundingMode::HalfUp)?;
                let periods = n.saturating_sub(t.grace().principal_periods).max(1);
                e.rounded_installment(e.exact(principal - residual) / Decimal::from(periods))?
            }
            _ => 0,
        };
        Ok(Method {
            kind,
            principal,
            flat_total,
            flat_part,
            principal_part,
        })
    }
}

/// The state carried from one period to the next.
struct Walk<'e, 'a> {
    e: &'e mut Engine<'a>,
    m: Method,
    balance: i128,
    /// The balance of the last row, in shown minor units.
    shown_balance: i64,
    /// Interest deferred by an interest grace, not yet caught up.
    deferred: i128,
    /// The level installment (units), once known.
    level: Option<i128>,
    /// The first level installment: the schedule's regular payment.
    regular_payment: Option<i128>,
    rate: Rate,
    previous: NaiveDate,
    flat_paid: i128,
    /// The rate of a regular period at `rate`, when every regular period has the same length.
    cached_rate: Option<(Rate, Fraction)>,
    uniform_regular: bool,
    rows: Vec<Installment>,
    adjustments: Vec<Adjustment>,
    sums: Sums,
    any_negative: bool,
    /// The last installment of the current segment (the term), and of its amortization.
    seg_end: u32,
    amortize_end: u32,
    /// The first renewal not yet applied, and whether this period applies one.
    next_renewal: usize,
    renewing: bool,
}

/// Sums of the shown rows, in minor units.
#[derive(Default)]
struct Sums {
    interest: i64,
    paid: i64,
    extra: i64,
}

/// What one period owes before it is shown as a row (units).
struct Owed {
    interest_due: i128,
    deferred_now: i128,
    principal: i128,
    extra: i128,
}

impl<'e, 'a> Walk<'e, 'a> {
    /// The method's constants and the state before the first period.
    fn start(e: &'e mut Engine<'a>) -> Result<Walk<'e, 'a>> {
        let t = e.terms;
        let m = Method::of(e)?;
        let shown_balance = e.display(m.principal, RoundingMode::HalfUp)?;
        let level = match m.kind {
            AmortizationMethod::FixedInstallment { amount } => {
                Some(e.to_units(amount, RoundingMode::HalfUp)?)
            }
            _ => None,
        };
        Ok(Walk {
            shown_balance,
            balance: m.principal,
            m,
            deferred: 0,
            level,
            regular_payment: level,
            rate: t.annual_rate(),
            previous: t.start(),
            flat_paid: 0,
            cached_rate: None,
            uniform_regular: e.uniform_from(2),
            rows: Vec::with_capacity(t.installments() as usize),
            adjustments: Vec::new(),
            sums: Sums::default(),
            any_negative: false,
            seg_end: t.installments(),
            amortize_end: t.amortization_installments().unwrap_or(t.installments()),
            next_renewal: 0,
            renewing: false,
            e,
        })
    }

    /// One period, ending on `due` with installment `k`.
    fn period(&mut self, k: u32, due: NaiveDate) -> Result<Closed> {
        self.renewing = self.renew(k)?;
        let recast = self.recast_due(k) || self.renewing;
        let interest = self.period_interest(k, due)?;
        let (interest_due, deferred_now) = self.defer(k, interest);
        let principal = self.principal(k, interest, recast)?;
        let (principal, extra) = self.with_extra(k, due, principal)?;
        let owed = Owed {
            interest_due,
            deferred_now,
            principal,
            extra,
        };
        self.amortize(&owed)?;
        self.push_row(k, due, &owed)?;
        if self.balance == 0 && self.deferred == 0 {
            return Ok(Closed::Yes);
        }
        self.reduce_payment(k, extra)?;
        self.previous = due;
        Ok(Closed::No)
    }

    /// Whether installment `k` recasts the level payment: the rate changed (unless the
    /// installment is fixed), or `k` is a scheduled adjustment.
    fn recast_due(&mut self, k: u32) -> bool {
        let t = self.e.terms;
        let mut recast = false;
        if !t.rate_changes().is_empty() || !t.renewals().is_empty() {
            let rate = t.rate_on(self.previous);
            if rate != self.rate {
                self.rate = rate;
                recast = self.level.is_some()
                    && !matches!(self.m.kind, AmortizationMethod::FixedInstallment { .. });
            }
        }
        // Scheduled adjustment dates recast whether or not the rate changed.
        recast || (self.level.is_some() && t.adjustment_payment_numbers().binary_search(&k).is_ok())
    }

    /// Applies the renewals taking effect with installment `k` (its period starts on or after
    /// their date): the new amortization and term (see [`crate::schedule::events`]). Whether
    /// the level payment is recast: always for equal installments, for a fixed installment
    /// only with a new amortization (else it keeps its payment and its term moves).
    fn renew(&mut self, k: u32) -> Result<bool> {
        let terms: &'a LoanTerms = self.e.terms;
        let renewals = terms.renewals();
        let mut recast = false;
        while let Some(r) = renewals
            .get(self.next_renewal)
            .filter(|r| r.effective <= self.previous)
        {
            let fail = |name, reason| Err(renewal_error(self.next_renewal, name, reason));
            let over = |n: u32| k.checked_add(n - 1).filter(|end| *end <= MAX_INSTALLMENTS);
            let amortize_end = match r.amortization_installments.map(over) {
                Some(Some(end)) => end,
                Some(None) => {
                    return fail(
                        "amortization_installments",
                        "the timeline would exceed 1200 installments",
                    )
                }
                None => self.amortize_end,
            };
            if amortize_end < k {
                return fail(
                    "effective",
                    "falls after the end of the loan's amortization",
                );
            }
            let seg_end = match r.term_installments {
                Some(n) => over(n).unwrap_or(u32::MAX),
                None => amortize_end,
            };
            if seg_end > amortize_end {
                return fail(
                    "term_installments",
                    "is longer than the remaining amortization",
                );
            }
            recast |= match self.m.kind {
                AmortizationMethod::FixedInstallment { .. } => {
                    r.amortization_installments.is_some()
                }
                _ => true,
            };
            self.amortize_end = amortize_end;
            self.seg_end = seg_end;
            self.e.amortize_until(amortize_end);
            self.next_renewal += 1;
        }
        Ok(recast && self.level.is_some())
    }

    /// Whether installment `k`, due on `due`, ends the loan: the last of its segment, unless
    /// a renewal taking effect from the next period extends the timeline.
    fn is_last(&self, k: u32, due: NaiveDate) -> bool {
        k == self.seg_end && !self.extends(k, due)
    }

    /// Whether a renewal takes effect after installment `k` (due on `due`) and runs on: its
    /// date is on or before `due`, and it gives an amortization or the current one runs on.
    fn extends(&self, k: u32, due: NaiveDate) -> bool {
        self.e
            .terms
            .renewals()
            .get(self.next_renewal)
            .is_some_and(|r| {
                r.effective <= due
                    && (r.amortization_installments.is_some() || self.amortize_end > k)
            })
    }

    /// The interest of the period ending on `due` (units): the flat share, or the balance at
    /// the period's rate.
    fn period_interest(&mut self, k: u32, due: NaiveDate) -> Result<i128> {
        let interest = if self.m.kind == AmortizationMethod::FlatInterest {
            if k == self.e.terms.installments() {
                self.m.flat_total - self.flat_paid
            } else {
                self.m.flat_part
            }
        } else {
            let regular = self.e.regular(k);
            let cacheable = regular && self.uniform_regular;
            let rate = match self.cached_rate {
                Some((r, f)) if r == self.rate && cacheable => f,
                _ => {
                    let f = self
                        .e
                        .basis
                        .rate_between(self.rate, self.previous, due, regular)?;
                    if cacheable {
                        self.cached_rate = Some((self.rate, f));
                    }
                    f
                }
            };
            kernel::interest(self.balance, rate, self.e.terms.interest_rounding())?
        };
        self.flat_paid += interest;
        Ok(interest)
    }

    /// The interest due with installment `k` and the part deferred by an interest grace: in
    /// the grace, all of it is deferred; after it, the deferred interest is caught up.
    fn defer(&mut self, k: u32, interest: i128) -> (i128, i128) {
        if k <= self.e.terms.grace().interest_periods {
            self.deferred += interest;
            (0, interest)
        } else {
            (interest + std::mem::take(&mut self.deferred), 0)
        }
    }

    /// The principal of installment `k` (before extra payments), given the period's interest.
    fn principal(&mut self, k: u32, interest: i128, recast: bool) -> Result<i128> {
        if k <= self.e.terms.grace().principal_periods {
            return Ok(0);
        }
        Ok(match self.m.kind {
            AmortizationMethod::EqualInstallments | AmortizationMethod::FixedInstallment { .. } => {
                if self.level.is_none() || recast {
                    self.recast(k, interest, recast)?;
                }
                self.level.unwrap_or(0) - interest
            }
            AmortizationMethod::EqualPrincipal | AmortizationMethod::FlatInterest => {
                self.m.principal_part
            }
            AmortizationMethod::InterestOnly => 0,
        })
    }

    /// A fresh level installment from the current balance over the remaining periods, capped
    /// at a recast by the payment cap, and recorded as an [`Adjustment`] at a recast.
    fn recast(&mut self, k: u32, interest: i128, recast: bool) -> Result<()> {
        let e = &mut *self.e;
        let mut fresh = e.level_payment(self.balance, self.rate, k)?;
        if fresh <= interest {
            // Near-perpetuities: rounding must not leave the installment at or below the
            // interest, or the loan would never amortize.
            fresh = e.installment_above(interest)?;
        }
        let uncapped = fresh;
        let capped = recast && !self.renewing;
        if let (Some(old), Some(cap), true) = (self.level, e.terms.payment_cap(), capped) {
            let capped = e
                .exact(old)
                .checked_mul(cap)
                .ok_or_else(|| Error::overflow("payment cap"))?;
            fresh = fresh.min(e.to_units(capped, RoundingMode::HalfUp)?);
        }
        if recast {
            self.adjustments.push(Adjustment {
                payment_number: k,
                annual_rate: self.rate,
                balance_before: e.shown(self.balance)?,
                remaining_installments: self.seg_end - k + 1,
                recast_payment: e.shown(uncapped)?,
                payment: e.shown(fresh)?,
            });
        }
        self.level = Some(fresh);
        self.regular_payment.get_or_insert(fresh);
        Ok(())
    }

    /// The principal and the extra principal of installment `k`: the last installment (or one
    /// that reaches the balance) pays the balance; extra payments stop at the balance.
    fn with_extra(&self, k: u32, due: NaiveDate, principal: i128) -> Result<(i128, i128)> {
        let extra = self.e.extra_for(k, self.previous, due)?;
        Ok(if self.is_last(k, due) || principal >= self.balance {
            (self.balance, 0)
        } else if principal + extra >= self.balance {
            (principal, self.balance - principal)
        } else {
            (principal, extra)
        })
    }

    /// Lowers the balance by the period's principal; a balance that runs away is an error.
    fn amortize(&mut self, owed: &Owed) -> Result<()> {
        self.any_negative |= owed.principal < 0;
        self.balance -= owed.principal + owed.extra;
        if self.balance > self.m.principal.saturating_mul(RUNAWAY_FACTOR) {
            return Err(Error::validation(
                "installments",
                "the installment never amortizes the loan: interest compounds faster than it is repaid (rate too high for this term, or a payment cap too tight)",
            ));
        }
        Ok(())
    }

    /// Appends the row of installment `k`. Rows show whole minor units; under carried
    /// precision the principal is the difference of the rounded balances and the interest the
    /// rest of the payment.
    fn push_row(&mut self, k: u32, due: NaiveDate, owed: &Owed) -> Result<()> {
        let e = &*self.e;
        let half_up = RoundingMode::HalfUp;
        let new_shown = e.display(self.balance, half_up)?;
        let payment = e.display(owed.principal + owed.extra + owed.interest_due, half_up)?;
        let extra_shown = e.display(owed.extra, half_up)?;
        let principal_shown = self.shown_balance - new_shown;
        let interest_shown = payment - principal_shown;
        self.shown_balance = new_shown;
        self.sums.interest += interest_shown;
        self.sums.paid += payment;
        self.sums.extra += extra_shown;
        self.rows.push(Installment {
            number: k,
            due: PackedDate::from_date(due),
            interest: interest_shown,
            principal: principal_shown,
            balance: new_shown,
            deferred_interest: e.display(owed.deferred_now, half_up)?,
            extra_principal: extra_shown,
            scale: u8::try_from(e.scale).map_err(|_| Error::overflow("scale"))?,
            negative_amortization: owed.principal < 0,
        });
        Ok(())
    }

    /// Under the reduce-payment policy, an extra payment lowers the level installment.
    fn reduce_payment(&mut self, k: u32, extra: i128) -> Result<()> {
        let reduce = self.e.extra.map(|x| x.policy) == Some(PrepaymentPolicy::ReducePayment);
        if let (true, true, Some(current)) = (extra > 0, reduce, self.level) {
            let cut = self.e.payment_reduction(extra, self.rate, k + 1)?;
            self.level = Some((current - cut).max(0));
        }
        Ok(())
    }

    /// The schedule: the rows, their totals, the regular payment and the recasts.
    fn finish(self) -> Result<Schedule> {
        if self.next_renewal < self.e.terms.renewals().len() {
            return Err(renewal_error(
                self.next_renewal,
                "effective",
                "falls after the loan's last installment",
            ));
        }
        if self.balance != 0 {
            return Err(Error::overflow("schedule did not close"));
        }
        let e = &*self.e;
        let grace = e.terms.grace();
        let regular_payment = match self.regular_payment {
            Some(p) => e.shown(p)?,
            None => self
                .rows
                .iter()
                .find(|r| r.number > grace.principal_periods)
                .or(self.rows.first())
                .map(|r| r.payment())
                .unwrap_or_default(),
        };
        Ok(Schedule {
            currency: e.terms.currency(),
            regular_payment,
            totals: Totals {
                interest: Decimal::new(self.sums.interest, e.scale),
                principal: e.shown(self.m.principal)?,
                paid: Decimal::new(self.sums.paid, e.scale),
                extra_principal: Decimal::new(self.sums.extra, e.scale),
            },
            installments: self.rows,
            negative_amortization: self.any_negative,
            adjustments: self.adjustments,
        })
    }
}
