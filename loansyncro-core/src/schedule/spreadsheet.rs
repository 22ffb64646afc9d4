//! The spreadsheet/textbook amortization table ([`BalancePrecision::Spreadsheet`]).
//!
//! The exact payment `A` (the unrounded annuity, or the given fixed installment) and the exact
//! balances `B_k = B_{k−1}(1 + r) − A` are carried, never rounded; each row shows its columns
//! rounded on their own: interest `round(B_{k−1}·r)`, principal = shown payment − shown
//! interest, balance `round(B_k)`. The last row pays `round(B_{n−1}(1 + r))` and shows a zero
//! balance. With a fixed installment the row is the last as soon as `B_{k−1}(1 + r) ≤ A`.
//!
//! Exact values are carried in `Decimal` (28 significant digits): a periodic rate like
//! 7.25%/12 has no finite decimal expansion, so "exact" means to 28 digits, far below the half
//! minor unit at which a shown column could change.
//!
//! ```
//! use loansyncro_core::{BalancePrecision, LoanTerms, Rate};
//! use chrono::NaiveDate;
//! use rust_decimal_macros::dec;
//! let s = LoanTerms::builder()
//!     .principal(dec!(25000))
//!     .annual_rate(Rate::from_percent(dec!(7.25))?)
//!     .installments(60)
//!     .balance_precision(BalancePrecision::Spreadsheet)
//!     .start(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap())
//!     .build()?
//!     .schedule()?;
//! let row = &s.installments()[3];
//! assert_eq!((row.payment(), row.interest(), row.principal()), (dec!(497.98), dec!(144.72), dec!(353.26)));
//! assert_eq!(row.balance(), dec!(23599.60)); // not 23952.87 − 353.26: rows need not chain
//! assert_eq!(s.totals().principal, dec!(24999.74)); // the principal column, as displayed
//! # Ok::<(), loansyncro_core::Error>(())
//! ```
//!
//! [`BalancePrecision::Spreadsheet`]: crate::schedule::terms::BalancePrecision::Spreadsheet

use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::math::calendar::DueDates;
use crate::math::kernel;
use crate::math::money::Currency;
use crate::math::money::RoundingMode;
use crate::schedule::amortization::{ExtraPayments, Installment, PackedDate, Schedule, Totals};
use crate::schedule::engine::Engine;
use crate::schedule::terms::{AmortizationMethod, LoanTerms, MAX_INSTALLMENTS};

/// One shown row: payment, interest, principal and balance, rounded to the currency (the
/// balance with the payment's rounding mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ShownRow {
    pub payment: Decimal,
    pub interest: Decimal,
    pub principal: Decimal,
    pub balance: Decimal,
}

/// What the spreadsheet table needs besides the terms: the periodic rate (exact to 28 digits)
/// and the exact level payment of an equal-installment schedule.
pub(crate) struct Table {
    /// Periodic rate.
    pub rate: Decimal,
    /// The exact payment `A` (for a fixed installment: the installment).
    pub payment: Decimal,
}

fn field_error(reason: &str) -> Error {
    Error::validation("balance_precision", format!("spreadsheet: {reason}"))
}

/// Checks that `terms` fit the spreadsheet table (see the module docs).
pub(crate) fn check(terms: &LoanTerms, has_extra: bool, uniform: bool) -> Result<()> {
    if !matches!(
        terms.method(),
        AmortizationMethod::EqualInstallments | AmortizationMethod::FixedInstallment { .. }
    ) {
        return Err(field_error("needs level installments"));
    }
    if !uniform {
        return Err(field_error("needs equal periods"));
    }
    if has_extra
        || terms.grace() != crate::schedule::terms::Grace::default()
        || !terms.rate_changes().is_empty()
        || terms.balloon().is_some()
        || terms.amortization_installments().is_some()
        || terms.installment_multiple().is_some()
    {
        return Err(field_error("excludes grace, rate changes and extras"));
    }
    Ok(())
}

/// The shown rows of the table.
pub(crate) fn rows(terms: &LoanTerms, table: &Table) -> Result<Vec<ShownRow>> {
    let currency: Currency = terms.currency();
    let (pay_mode, int_mode) = (terms.payment_rounding(), terms.interest_rounding());
    let round = |x: Decimal, mode: RoundingMode| currency.round(x, mode);
    let ovf = || Error::overflow("spreadsheet balance");
    let fixed = matches!(terms.method(), AmortizationMethod::FixedInstallment { .. });
    let n = if fixed {
        MAX_INSTALLMENTS
    } else {
        terms.installments()
    };
    let a = table.payment;
    let mut balance = terms.principal();
    if fixed && balance.checked_mul(table.rate).ok_or_else(ovf)? >= a {
        return Err(Error::validation(
            "method.amount",
            format!("{a} does not cover the interest"),
        ));
    }
    let mut out = Vec::with_capacity(n as usize);
    for k in 1..=n {
        let exact_interest = balance.checked_mul(table.rate).ok_or_else(ovf)?;
        let interest = round(exact_interest, int_mode);
        let owed = balance.checked_add(exact_interest).ok_or_else(ovf)?;
        let last = if fixed { owed <= a } else { k == n };
        if last {
            let payment = round(owed, pay_mode);
            out.push(ShownRow {
                payment,
                interest,
                principal: payment - interest,
                balance: Decimal::ZERO,
            });
            return Ok(out);
        }
        let payment = round(a, pay_mode);
        balance = owed.checked_sub(a).ok_or_else(ovf)?;
        out.push(ShownRow {
            payment,
            interest,
            principal: payment - interest,
            balance: round(balance, pay_mode),
        });
    }
    Err(Error::validation(
        "method.amount",
        format!("{a} repays too slowly"),
    ))
}

/// The schedule of the table: its shown rows on the terms' due dates.
pub(super) fn schedule(e: &Engine<'_>, extra: Option<&ExtraPayments>) -> Result<Schedule> {
    let t = e.terms;
    check(t, extra.is_some(), e.uniform_from(1))?;
    let rate = e.basis.nominal_rate(t.annual_rate())?;
    let payment = match t.method() {
        AmortizationMethod::FixedInstallment { amount } => amount,
        _ => kernel::level_payment(t.principal(), rate, t.installments(), Decimal::ZERO)?.payment,
    };
    let table = Table {
        rate: rate.to_decimal(),
        payment,
    };
    let rows = installments(e, &rows(t, &table)?)?;
    let sum = |part: fn(&Installment) -> i64| Decimal::new(rows.iter().map(part).sum(), e.scale);
    let currency = t.currency();
    Ok(Schedule {
        currency,
        regular_payment: currency.round(payment, t.payment_rounding()),
        totals: Totals {
            interest: sum(Installment::interest_minor),
            principal: sum(Installment::principal_minor),
            paid: sum(Installment::payment_minor),
            extra_principal: Decimal::ZERO,
        },
        negative_amortization: rows.iter().any(|r| r.negative_amortization),
        installments: rows,
        adjustments: Vec::new(),
    })
}

/// The shown rows as installments, on the terms' due dates.
fn installments(e: &Engine<'_>, shown: &[ShownRow]) -> Result<Vec<Installment>> {
    let currency = e.terms.currency();
    let scale = u8::try_from(e.scale).map_err(|_| Error::overflow("scale"))?;
    let minor = |x: Decimal| -> Result<i64> {
        currency
            .to_minor(x, RoundingMode::HalfUp)
            .and_then(|m| i64::try_from(m).ok())
            .ok_or_else(|| Error::overflow("amount"))
    };
    let mut dates = DueDates::new(e.terms.frequency(), e.first_due);
    let mut rows = Vec::with_capacity(shown.len());
    for (k, row) in (1u32..).zip(shown) {
        let due = dates
            .next()
            .ok_or_else(|| Error::validation("installments", "due dates run out of range"))?;
        rows.push(Installment {
            number: k,
            due: PackedDate::from_date(due),
            interest: minor(row.interest)?,
            principal: minor(row.principal)?,
            balance: minor(row.balance)?,
            deferred_interest: 0,
            extra_principal: 0,
            scale,
            negative_amortization: row.principal < Decimal::ZERO,
        });
    }
    Ok(rows)
}
