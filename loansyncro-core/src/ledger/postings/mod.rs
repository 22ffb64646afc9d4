//! Double-entry postings of a loan for accounting: the opening disbursement, each repayment
//! split into principal and interest as the ledger replay applied it (plus the fee and escrow
//! legs paid with it), interest capitalized by negative amortization, and optionally the
//! planned installments. [`Journal::render`] writes them as beancount, hledger/ledger journal
//! or a generic CSV ([`mod@write`]).
//!
//! Every transaction balances to the cent (its legs are exact minor units and the cash leg is
//! minus the sum of the others), and the liability account ends at minus the principal
//! outstanding of the loan's position on the journal's date (the journal carries that balance
//! as an assertion, which `bean-check` and `hledger check` verify). Interest is booked when
//! paid (cash basis); interest capitalized into the principal is booked on the date the
//! replay shows it.
//!
//! ```
//! use loansyncro_core::ledger::postings::{journal, Accounts, Format, JournalOptions, Payment};
//! use loansyncro_core::{LoanTerms, Rate};
//! use chrono::NaiveDate;
//! use rust_decimal_macros::dec;
//! let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
//! let terms = LoanTerms::builder()
//!     .principal(dec!(1000))
//!     .annual_rate(Rate::from_percent(dec!(12))?)
//!     .installments(12)
//!     .start(d(1, 1))
//!     .build()?;
//! let paid = [Payment::new(d(2, 1), dec!(88.85)).with_escrow(dec!(25))];
//! let j = journal(&terms, &paid, &JournalOptions::new(Accounts::for_loan("Car")))?;
//! let t = &j.transactions[1];
//! assert_eq!(t.amount_of("Liabilities:Loans:Car"), dec!(78.85));
//! assert_eq!(t.amount_of("Expenses:Interest:Car"), dec!(10.00));
//! assert_eq!(t.amount_of("Assets:Escrow:Car"), dec!(25.00));
//! assert_eq!(t.amount_of("Assets:Checking"), dec!(-113.85));
//! assert_eq!(j.closing_balance, dec!(-921.15));
//! assert!(j.render(Format::Beancount).contains("2025-02-01 * \"Car\" \"Repayment\""));
//! # Ok::<(), loansyncro_core::Error>(())
//! ```

mod accounts;
mod adjusted;
pub mod write;

pub use write::Format;

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::ledger::replay::{LedgerPayment, LedgerState};
use crate::math::vocab::vocabulary;
use crate::schedule::terms::LoanTerms;
use crate::schedule::InstallmentRecord;

pub use accounts::{check_account, Accounts, ROOTS};
pub use adjusted::{adjusted_journal, default_adjustments_account};

/// A repayment to post: the amount applied to the loan, and what was paid with it on its own
/// legs (fees, escrow). The cash leg is the sum of the three.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    /// The date paid.
    #[serde(deserialize_with = "crate::math::calendar::deserialize_iso_date")]
    pub date: NaiveDate,
    /// The amount applied to the loan (> 0), split by the replay into interest and principal.
    pub amount: Decimal,
    /// Fees paid with it (>= 0), posted to [`Accounts::fees`].
    pub fees: Decimal,
    /// Escrow paid with it (>= 0), posted to [`Accounts::escrow`].
    pub escrow: Decimal,
    /// A note appended to the transaction's narration (may be empty).
    pub memo: String,
}

impl Payment {
    /// A repayment of `amount` on `date`, without fees or escrow.
    pub fn new(date: NaiveDate, amount: Decimal) -> Payment {
        Payment {
            date,
            amount,
            fees: Decimal::ZERO,
            escrow: Decimal::ZERO,
            memo: String::new(),
        }
    }

    /// With a fee leg.
    pub fn with_fees(mut self, fees: Decimal) -> Payment {
        self.fees = fees;
        self
    }

    /// With an escrow leg.
    pub fn with_escrow(mut self, escrow: Decimal) -> Payment {
        self.escrow = escrow;
        self
    }

    /// With a memo.
    pub fn with_memo(mut self, memo: impl Into<String>) -> Payment {
        self.memo = memo.into();
        self
    }
}

impl From<LedgerPayment> for Payment {
    fn from(p: LedgerPayment) -> Payment {
        Payment::new(p.date, p.amount)
    }
}

/// Which transactions a journal holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    /// The disbursement and the repayments made up to the journal's date (the default); the
    /// liability ends at minus the principal outstanding on that date.
    #[default]
    Actual,
    /// The disbursement and the contractual schedule's installments, all marked pending; the
    /// liability ends at zero.
    Planned,
    /// [`Scope::Actual`], then the position's re-projected remaining installments (pending,
    /// dated no earlier than the journal's date); the liability ends at zero.
    Projected,
}

vocabulary! {
    unit Scope, field: "scope", noun: "postings scope";
    Actual => "actual",
    Planned => "planned" | "schedule",
    Projected => "projected",
}

/// What a transaction records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The loan's principal paid out.
    Disbursement,
    /// A repayment made.
    Repayment,
    /// Unpaid interest added to the principal (negative amortization).
    Capitalization,
    /// A planned (scheduled or projected) installment.
    Planned,
    /// A balance adjustment (a booked correction): liability against the adjustments account.
    Adjustment,
}

impl Kind {
    /// The snake_case name (also the serde form).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Disbursement => "disbursement",
            Kind::Repayment => "repayment",
            Kind::Capitalization => "capitalization",
            Kind::Planned => "planned",
            Kind::Adjustment => "adjustment",
        }
    }
}

/// One leg of a transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posting {
    /// The account.
    pub account: String,
    /// The amount, in the currency's minor unit (debits positive).
    pub amount: Decimal,
}

/// One balanced transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transaction {
    /// The date.
    #[serde(deserialize_with = "crate::math::calendar::deserialize_iso_date")]
    pub date: NaiveDate,
    /// What it records.
    pub kind: Kind,
    /// Not yet happened (planned): beancount and hledger flag `!`, CSV status `pending`.
    pub pending: bool,
    /// The payee (the loan's name).
    pub payee: String,
    /// What happened ("Repayment", "Installment 3", ...).
    pub narration: String,
    /// The legs; they sum to zero.
    pub postings: Vec<Posting>,
}

impl Transaction {
    /// The sum of the legs posted to `account` (zero when none is).
    pub fn amount_of(&self, account: &str) -> Decimal {
        self.postings
            .iter()
            .filter(|p| p.account == account)
            .map(|p| p.amount)
            .sum()
    }
}

/// How to build a [`Journal`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalOptions {
    /// The account names.
    pub accounts: Accounts,
    /// Which transactions.
    pub scope: Scope,
    /// The journal's date: repayments after it are left out and the liability's balance is
    /// asserted on it. Default: the latest repayment's date (the loan's start if none).
    pub as_of: Option<NaiveDate>,
    /// The payee of every transaction. Default: the last component of the liability account.
    pub payee: Option<String>,
}

impl JournalOptions {
    /// Actual postings to `accounts`, as of the latest repayment.
    pub fn new(accounts: Accounts) -> JournalOptions {
        JournalOptions {
            accounts,
            scope: Scope::Actual,
            as_of: None,
            payee: None,
        }
    }
}

/// A loan's transactions in one currency, ready to render.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journal {
    /// ISO 4217 code, the commodity of every amount.
    pub currency: String,
    /// Decimals of the currency's minor unit.
    pub scale: u32,
    /// The accounts posted to.
    pub accounts: Accounts,
    /// The transactions, in date order.
    pub transactions: Vec<Transaction>,
    /// The date the liability's balance is asserted on (after its last transaction).
    #[serde(deserialize_with = "crate::math::calendar::deserialize_iso_date")]
    pub closing_date: NaiveDate,
    /// The liability's balance then: minus the principal outstanding.
    pub closing_balance: Decimal,
}

/// The journal of a loan with `terms` and its `payments` (any order; replayed in date order
/// like [`crate::ledger::position`]).
///
/// Errors: [`Error::Validation`] naming the account field (`accounts.cash`, ...), a payment's
/// field (`payments[i].amount`, `payments[i].fees`, `payments[i].escrow`, `payments[i].date`:
/// `i` is the payment's index in `payments`) or `as_of` (before the start or before a
/// repayment it must include); [`Error::Overpayment`] as the replay; [`Error::Overflow`].
pub fn journal(
    terms: &LoanTerms,
    payments: &[Payment],
    options: &JournalOptions,
) -> Result<Journal> {
    options.accounts.validate()?;
    let currency = terms.currency();
    let scale = currency.minor_units();
    let mut order: Vec<usize> = (0..payments.len()).collect();
    for (i, p) in payments.iter().enumerate() {
        for (name, leg) in [("fees", p.fees), ("escrow", p.escrow)] {
            let field = format!("payments[{i}].{name}");
            if leg.is_sign_negative() && !leg.is_zero() {
                return Err(Error::validation(field, "must not be negative"));
            }
            currency.check_precision(&field, leg)?;
        }
    }
    let latest = payments.iter().map(|p| p.date).max();
    let as_of = options
        .as_of
        .unwrap_or_else(|| latest.unwrap_or(terms.start()).max(terms.start()));
    if as_of < terms.start() {
        return Err(Error::validation(
            "as_of",
            format!("{as_of} is before the loan start {}", terms.start()),
        ));
    }
    order.retain(|&i| payments[i].date <= as_of);
    order.sort_by_key(|&i| (payments[i].date, payments[i].amount));
    let payee = match &options.payee {
        Some(p) => p.clone(),
        None => options
            .accounts
            .liability
            .rsplit(':')
            .next()
            .unwrap_or_default()
            .to_owned(),
    };
    let mut b = Builder {
        accounts: &options.accounts,
        payee,
        scale,
        out: Vec::new(),
        booked: Decimal::ZERO,
    };
    b.disbursement(terms.start(), terms.principal());
    let schedule = terms.schedule()?;
    let closing_date = match options.scope {
        Scope::Planned => {
            let mut last = terms.start();
            for row in schedule.installments() {
                let row = InstallmentRecord::from(row);
                b.planned(&row, row.due_date);
                last = row.due_date;
            }
            last
        }
        Scope::Actual | Scope::Projected => {
            let mut state = LedgerState::new(terms, &schedule)?;
            let (mut paid_i, mut paid_p) = (Decimal::ZERO, Decimal::ZERO);
            for &i in &order {
                let p = &payments[i];
                let ledger = LedgerPayment {
                    date: p.date,
                    amount: p.amount,
                };
                state.apply(&ledger).map_err(|e| in_payment(e, i))?;
                let pos = state.position(p.date)?;
                let interest = pos.paid_interest - paid_i;
                let principal = pos.paid_principal - paid_p;
                (paid_i, paid_p) = (pos.paid_interest, pos.paid_principal);
                // What the liability holds just before this payment's principal.
                b.capitalize_to(p.date, pos.principal_outstanding + principal, false);
                b.repayment(p, principal, interest);
            }
            let pos = state.position(as_of)?;
            b.capitalize_to(as_of, pos.principal_outstanding, false);
            if options.scope == Scope::Projected {
                let mut last = as_of;
                for row in &pos.projected {
                    last = row.due_date.max(as_of);
                    b.planned(row, last);
                }
                last
            } else {
                as_of
            }
        }
    };
    let closing_date = closing_date
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

/// A payment's validation error named by its index in the caller's list. The ledger names a
/// payment by its index in the replayed (date-ordered) list, `payments[k].amount`: that index
/// is replaced by the caller's, never prefixed twice.
fn in_payment(e: Error, i: usize) -> Error {
    match e {
        Error::Validation { field, reason } => {
            let own = field
                .strip_prefix("payments[")
                .and_then(|rest| rest.split_once("]."))
                .map_or(field.as_str(), |(_, own)| own);
            Error::validation(format!("payments[{i}].{own}"), reason)
        }
        other => other,
    }
}

fn rescale(mut d: Decimal, scale: u32) -> Decimal {
    d.rescale(scale);
    d
}

/// Appends transactions, tracking the principal the liability account holds (`booked`).
struct Builder<'a> {
    accounts: &'a Accounts,
    payee: String,
    scale: u32,
    out: Vec<Transaction>,
    booked: Decimal,
}

impl Builder<'_> {
    /// A transaction of `legs` (zero legs left out) and the `counter` leg balancing them.
    fn push(
        &mut self,
        date: NaiveDate,
        kind: Kind,
        pending: bool,
        narration: String,
        legs: &[(&str, Decimal)],
        counter: &str,
    ) {
        let mut postings: Vec<Posting> = legs
            .iter()
            .filter(|(_, amount)| !amount.is_zero())
            .map(|&(account, amount)| Posting {
                account: account.to_owned(),
                amount: rescale(amount, self.scale),
            })
            .collect();
        let sum: Decimal = postings.iter().map(|p| p.amount).sum();
        if postings.is_empty() || sum.is_zero() {
            return;
        }
        postings.push(Posting {
            account: counter.to_owned(),
            amount: rescale(-sum, self.scale),
        });
        for p in &postings {
            if p.account == self.accounts.liability {
                self.booked -= p.amount;
            }
        }
        self.out.push(Transaction {
            date,
            kind,
            pending,
            payee: self.payee.clone(),
            narration,
            postings,
        });
    }

    fn disbursement(&mut self, date: NaiveDate, principal: Decimal) {
        let a = self.accounts;
        self.push(
            date,
            Kind::Disbursement,
            false,
            "Loan disbursement".to_owned(),
            &[(&a.disbursement, principal)],
            &a.liability,
        );
    }

    /// Books the interest capitalized since the last transaction, so the liability holds
    /// `outstanding`.
    fn capitalize_to(&mut self, date: NaiveDate, outstanding: Decimal, pending: bool) {
        let added = outstanding - self.booked;
        if !added.is_zero() {
            let a = self.accounts;
            self.push(
                date,
                Kind::Capitalization,
                pending,
                "Interest capitalized".to_owned(),
                &[(&a.interest, added)],
                &a.liability,
            );
        }
    }

    fn repayment(&mut self, p: &Payment, principal: Decimal, interest: Decimal) {
        let a = self.accounts;
        let narration = if p.memo.trim().is_empty() {
            "Repayment".to_owned()
        } else {
            format!("Repayment: {}", p.memo.trim())
        };
        self.push(
            p.date,
            Kind::Repayment,
            false,
            narration,
            &[
                (&a.liability, principal),
                (&a.interest, interest),
                (&a.fees, p.fees),
                (&a.escrow, p.escrow),
            ],
            &a.cash,
        );
    }

    /// A planned installment, after the interest it capitalizes (the row's balance rises by
    /// more than its principal part says: deferred interest).
    fn planned(&mut self, row: &InstallmentRecord, date: NaiveDate) {
        self.capitalize_to(date, row.balance + row.principal, true);
        let a = self.accounts;
        // A negative principal part is interest capitalized (negative amortization).
        self.push(
            date,
            Kind::Planned,
            true,
            format!("Installment {}", row.number),
            &[(&a.liability, row.principal), (&a.interest, row.interest)],
            &a.cash,
        );
    }
}

#[cfg(test)]
mod tests;
