//! Postings of a loan with balance adjustments (booked corrections): each adjustment is its own
//! transaction between the liability and an adjustments account, never part of a repayment.

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;

use super::{
    check_account, in_payment, rescale, Builder, Journal, JournalOptions, Kind, Payment, Scope,
};
use crate::error::{Error, Result};
use crate::ledger::replay::{adjusted_position, LedgerAdjustment, LedgerPayment};
use crate::schedule::terms::LoanTerms;

/// The default adjustments account of a loan named `name`: `Equity:Adjustments:<Name>`.
///
/// ```
/// use loansyncro_core::ledger::postings::default_adjustments_account;
/// assert_eq!(default_adjustments_account("car loan"), "Equity:Adjustments:CarLoan");
/// ```
pub fn default_adjustments_account(name: &str) -> String {
    let liability = super::Accounts::for_loan(name).liability;
    let component = liability.rsplit(':').next().unwrap_or("Loan");
    format!("Equity:Adjustments:{component}")
}

/// The [`Scope::Actual`] journal of a loan with `payments` and balance `adjustments`: like
/// [`super::journal`], plus one transaction per adjustment dated on or before the journal's
/// date, after the repayments of its date (kind [`Kind::Adjustment`], narration
/// `Balance adjustment`): the liability takes minus the adjustment (a positive one, more owed,
/// credits it) and `adjustments_account` the adjustment. Repayments are split into principal
/// and interest by the replay with the earlier adjustments applied, so the liability still
/// ends at minus the corrected principal outstanding.
///
/// Errors: as [`super::journal`]; `adjustments_account` not a valid account name or equal to
/// the liability (field `adjustments_account`); another scope than actual (field `scope`);
/// adjustments as [`adjusted_position`].
///
/// ```
/// use loansyncro_core::ledger::postings::{adjusted_journal, Accounts, JournalOptions, Kind, Payment};
/// use loansyncro_core::ledger::LedgerAdjustment;
/// use loansyncro_core::{LoanTerms, Rate};
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let terms = LoanTerms::builder()
///     .principal(dec!(1000))
///     .annual_rate(Rate::from_percent(dec!(12))?)
///     .installments(12)
///     .start(d(1, 1))
///     .build()?;
/// let paid = [Payment::new(d(2, 1), dec!(88.85))];
/// let adj = [LedgerAdjustment { date: d(2, 10), amount: dec!(8.85) }];
/// let mut options = JournalOptions::new(Accounts::for_loan("Car"));
/// options.as_of = Some(d(2, 10));
/// let j = adjusted_journal(&terms, &paid, &adj, &options, "Equity:Adjustments:Car")?;
/// let t = &j.transactions[2];
/// assert_eq!(t.kind, Kind::Adjustment);
/// assert_eq!(t.amount_of("Liabilities:Loans:Car"), dec!(-8.85));
/// assert_eq!(t.amount_of("Equity:Adjustments:Car"), dec!(8.85));
/// assert_eq!(j.closing_balance, dec!(-930.00));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn adjusted_journal(
    terms: &LoanTerms,
    payments: &[Payment],
    adjustments: &[LedgerAdjustment],
    options: &JournalOptions,
    adjustments_account: &str,
) -> Result<Journal> {
    if options.scope != Scope::Actual {
        return Err(Error::validation(
            "scope",
            "adjustments are posted in the actual scope only",
        ));
    }
    check_account("adjustments_account", adjustments_account)?;
    if adjustments_account == options.accounts.liability {
        return Err(Error::validation(
            "adjustments_account",
            "must differ from accounts.liability",
        ));
    }
    // Validates the accounts, the payments' legs and `as_of` exactly as the plain journal.
    let plain = super::journal(terms, &[], options)?;
    let currency = terms.currency();
    let scale = currency.minor_units();
    for (i, p) in payments.iter().enumerate() {
        for (name, leg) in [("fees", p.fees), ("escrow", p.escrow)] {
            let field = format!("payments[{i}].{name}");
            if leg.is_sign_negative() && !leg.is_zero() {
                return Err(Error::validation(field, "must not be negative"));
            }
            currency.check_precision(&field, leg)?;
        }
    }
    let latest = payments
        .iter()
        .map(|p| p.date)
        .chain(adjustments.iter().map(|a| a.date))
        .max();
    let as_of = options
        .as_of
        .unwrap_or_else(|| latest.unwrap_or(terms.start()).max(terms.start()));
    let mut order: Vec<usize> = (0..payments.len())
        .filter(|&i| payments[i].date <= as_of)
        .collect();
    order.sort_by_key(|&i| (payments[i].date, payments[i].amount));
    let mut adj: Vec<LedgerAdjustment> = adjustments
        .iter()
        .copied()
        .filter(|a| a.date <= as_of)
        .collect();
    adj.sort_by_key(|a| a.date);
    let mut b = Builder {
        accounts: &options.accounts,
        payee: plain
            .transactions
            .first()
            .map(|t| t.payee.clone())
            .unwrap_or_default(),
        scale,
        out: Vec::new(),
        booked: Decimal::ZERO,
    };
    b.disbursement(terms.start(), terms.principal());
    let mut ledger: Vec<LedgerPayment> = Vec::with_capacity(order.len());
    let (mut paid_i, mut paid_p) = (Decimal::ZERO, Decimal::ZERO);
    let mut next_adj = 0usize;
    let book_until = |b: &mut Builder<'_>,
                      next: &mut usize,
                      until: Option<NaiveDate>,
                      ledger: &[LedgerPayment]|
     -> Result<()> {
        while let Some(a) = adj.get(*next).filter(|a| until.is_none_or(|u| a.date < u)) {
            let pos = adjusted_position(terms, ledger, &adj[..*next], a.date)?;
            b.capitalize_to(a.date, pos.position.principal_outstanding, false);
            b.push(
                a.date,
                Kind::Adjustment,
                false,
                "Balance adjustment".to_owned(),
                &[(adjustments_account, a.amount)],
                &options.accounts.liability,
            );
            *next += 1;
        }
        Ok(())
    };
    for &i in &order {
        let p = &payments[i];
        book_until(&mut b, &mut next_adj, Some(p.date), &ledger)?;
        ledger.push(LedgerPayment {
            date: p.date,
            amount: p.amount,
        });
        let pos = adjusted_position(terms, &ledger, &adj[..next_adj], p.date)
            .map_err(|e| in_payment(e, i))?
            .position;
        let interest = pos.paid_interest - paid_i;
        let principal = pos.paid_principal - paid_p;
        (paid_i, paid_p) = (pos.paid_interest, pos.paid_principal);
        b.capitalize_to(p.date, pos.principal_outstanding + principal, false);
        b.repayment(p, principal, interest);
    }
    book_until(&mut b, &mut next_adj, None, &ledger)?;
    let pos = adjusted_position(terms, &ledger, &adj, as_of)?;
    b.capitalize_to(as_of, pos.position.principal_outstanding, false);
    let closing_date = as_of
        .checked_add_days(Days::new(1))
        .ok_or_else(|| Error::overflow("closing date"))?;
    Ok(Journal {
        currency: currency.code().to_owned(),
        scale,
        accounts: options.accounts.clone(),
        transactions: b.out,
        closing_date,
        closing_balance: rescale(-b.booked, scale),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::ledger::postings::{journal, Accounts, Format};
    use crate::math::rate::Rate;
    use rust_decimal_macros::dec;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, m, day).unwrap()
    }

    fn car() -> LoanTerms {
        LoanTerms::builder()
            .principal(dec!(1000))
            .annual_rate(Rate::from_percent(dec!(12)).unwrap())
            .installments(12)
            .start(d(1, 1))
            .build()
            .unwrap()
    }

    #[test]
    fn without_adjustments_it_is_the_plain_journal_and_with_them_it_ends_at_the_corrected_balance()
    {
        let paid: Vec<Payment> = [d(2, 1), d(3, 1), d(4, 1), d(5, 1)]
            .into_iter()
            .map(|day| Payment::new(day, dec!(88.85)))
            .collect();
        let mut options = JournalOptions::new(Accounts::for_loan("Car"));
        options.as_of = Some(d(5, 1));
        let account = default_adjustments_account("Car");
        assert_eq!(
            adjusted_journal(&car(), &paid, &[], &options, &account).unwrap(),
            journal(&car(), &paid, &options).unwrap()
        );
        // The lender said 850.00 on March 20th (the engine 841.51): +8.49.
        let adj = [LedgerAdjustment {
            date: d(3, 20),
            amount: dec!(8.49),
        }];
        let j = adjusted_journal(&car(), &paid, &adj, &options, &account).unwrap();
        let kinds: Vec<&str> = j.transactions.iter().map(|t| t.kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "disbursement",
                "repayment",
                "repayment",
                "adjustment",
                "repayment",
                "repayment"
            ]
        );
        for t in &j.transactions {
            assert_eq!(
                t.postings.iter().map(|p| p.amount).sum::<Decimal>(),
                Decimal::ZERO
            );
        }
        // The vectors' figures for this loan: 688.42 outstanding; April's interest is the
        // contract's (8.42: the correction fell inside its period).
        assert_eq!(j.closing_balance, dec!(-688.42));
        assert_eq!(
            j.transactions[4].amount_of("Expenses:Interest:Car"),
            dec!(8.42)
        );
        let text = j.render(Format::Beancount);
        assert!(text.contains("\"Balance adjustment\""), "{text}");
        assert!(text.contains("Equity:Adjustments:Car"), "{text}");
        // Errors name the field.
        let e = adjusted_journal(&car(), &paid, &adj, &options, "Nowhere").unwrap_err();
        assert_eq!(e.field(), Some("adjustments_account"));
        let e =
            adjusted_journal(&car(), &paid, &adj, &options, "Liabilities:Loans:Car").unwrap_err();
        assert_eq!(e.field(), Some("adjustments_account"));
        options.scope = Scope::Planned;
        let e = adjusted_journal(&car(), &paid, &adj, &options, &account).unwrap_err();
        assert_eq!(e.field(), Some("scope"));
    }

    /// A bad payment is named by its index in the caller's list, once (it used to be
    /// `payments[1].payments[0].amount`: the ledger's own name prefixed again).
    #[test]
    fn a_bad_payment_is_named_once_by_the_callers_index() {
        let paid = [
            Payment::new(d(3, 1), dec!(88.85)),
            Payment::new(d(2, 1), dec!(0)),
        ];
        let mut options = JournalOptions::new(Accounts::for_loan("Car"));
        options.as_of = Some(d(5, 1));
        let account = default_adjustments_account("Car");
        let e = adjusted_journal(&car(), &paid, &[], &options, &account).unwrap_err();
        assert_eq!(e.field(), Some("payments[1].amount"), "{e}");
        let e = journal(&car(), &paid, &options).unwrap_err();
        assert_eq!(e.field(), Some("payments[1].amount"), "{e}");
    }
}
