//! Many loans at once: each loan's [`Position`] on one date ([`positions`]) or its schedule
//! summary ([`schedules`]), in input order, every result its own `Result` so one bad loan never
//! fails the others. Large batches are spread over the machine's cores with
//! [`std::thread::scope`] (contiguous chunks, so the order is kept).
//!
//! A validation error names the loan by its index: `loans[7].as_of`,
//! `loans[7].payments[2].amount`, `loans[7].installments`.
//!
//! ```
//! use loansyncro_core::ledger::batch::{positions, schedules, BatchLoan};
//! use loansyncro_core::ledger::LedgerPayment;
//! use loansyncro_core::LoanTerms;
//! use chrono::NaiveDate;
//! use rust_decimal_macros::dec;
//! let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
//! // 1200 at 0%, 12 installments of 100 from 2025-02-01.
//! let terms = LoanTerms::builder().principal(dec!(1200)).installments(12).start(d(1, 1)).build()?;
//! let loans = vec![
//!     BatchLoan::new("a", terms.clone(), vec![LedgerPayment { date: d(2, 1), amount: dec!(100) }]),
//!     // Paid before the loan started: this loan fails, the others do not.
//!     BatchLoan::new("b", terms.clone(), vec![LedgerPayment { date: d(1, 1) - chrono::Days::new(1), amount: dec!(1) }]),
//!     BatchLoan::new("c", terms, vec![]),
//! ];
//! let out = positions(&loans, d(3, 11));
//! assert_eq!(out[0].key, "a");
//! assert_eq!(out[0].result.as_ref().unwrap().principal_outstanding, dec!(1100.00));
//! assert_eq!(out[1].result.as_ref().unwrap_err().field(), Some("loans[1].payments[0].date"));
//! assert_eq!(out[2].result.as_ref().unwrap().amount_due, dec!(200.00));
//!
//! let plans = schedules(&loans);
//! let plan = plans[2].result.as_ref().unwrap();
//! assert_eq!((plan.payment, plan.installments, plan.total_interest), (dec!(100.00), 12, dec!(0)));
//! assert_eq!(plan.payoff_date, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
//! # Ok::<(), loansyncro_core::Error>(())
//! ```

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::ledger::{position, LedgerPayment, Position};
use crate::schedule::biweekly::PlanSummary;
use crate::schedule::terms::LoanTerms;

/// Below this many loans a batch runs on the calling thread (threads cost more than they save).
const MIN_PARALLEL: usize = 64;

/// One loan of a batch: the caller's key, its terms and the repayments made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchLoan {
    /// The caller's name for the loan (returned with its result).
    pub key: String,
    /// The contractual terms.
    pub terms: LoanTerms,
    /// The repayments, in any order (as [`crate::ledger::position`] takes them).
    pub payments: Vec<LedgerPayment>,
}

impl BatchLoan {
    /// A loan of a batch.
    pub fn new(key: impl Into<String>, terms: LoanTerms, payments: Vec<LedgerPayment>) -> Self {
        BatchLoan {
            key: key.into(),
            terms,
            payments,
        }
    }
}

/// The result of one loan of a batch, with its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchResult<T> {
    /// The loan's key.
    pub key: String,
    /// Its result; a validation error names the field under `loans[i].`.
    pub result: Result<T>,
}

/// Each loan's [`Position`] on `as_of` (exactly [`crate::ledger::position`] of the loan), in
/// input order. A loan that started after `as_of` is an error naming `loans[i].as_of`.
pub fn positions(loans: &[BatchLoan], as_of: NaiveDate) -> Vec<BatchResult<Position>> {
    map_loans(loans, |loan| position(&loan.terms, &loan.payments, as_of))
}

/// Each loan's schedule summary (its payment, number of installments, total paid, total
/// interest and payoff date: [`PlanSummary::of`] its `terms.schedule()` at its frequency), in
/// input order. Repayments are not used.
pub fn schedules(loans: &[BatchLoan]) -> Vec<BatchResult<PlanSummary>> {
    map_loans(loans, |loan| {
        let schedule = loan.terms.schedule()?;
        PlanSummary::of(&schedule, loan.terms.frequency())
    })
}

/// `f` of every loan, in order, on up to the machine's parallelism in threads.
fn map_loans<T, F>(loans: &[BatchLoan], f: F) -> Vec<BatchResult<T>>
where
    T: Send,
    F: Fn(&BatchLoan) -> Result<T> + Sync,
{
    let run = |offset: usize, chunk: &[BatchLoan]| -> Vec<BatchResult<T>> {
        chunk
            .iter()
            .enumerate()
            .map(|(i, loan)| BatchResult {
                key: loan.key.clone(),
                result: f(loan).map_err(|e| indexed(offset + i, e)),
            })
            .collect()
    };
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    if threads < 2 || loans.len() < MIN_PARALLEL {
        return run(0, loans);
    }
    let size = loans.len().div_ceil(threads);
    let run = &run;
    std::thread::scope(|scope| {
        let handles: Vec<_> = loans
            .chunks(size)
            .enumerate()
            .map(|(n, chunk)| scope.spawn(move || run(n * size, chunk)))
            .collect();
        let mut out = Vec::with_capacity(loans.len());
        for (n, handle) in handles.into_iter().enumerate() {
            match handle.join() {
                Ok(results) => out.extend(results),
                // A panicking loan (a bug) fails its chunk's loans, never the batch.
                Err(_) => out.extend(loans.chunks(size).nth(n).into_iter().flatten().map(|loan| {
                    BatchResult {
                        key: loan.key.clone(),
                        result: Err(Error::overflow("batch: a computation failed")),
                    }
                })),
            }
        }
        out
    })
}

/// A validation error's field under `loans[i].`.
fn indexed(i: usize, error: Error) -> Error {
    match error {
        Error::Validation { field, reason } => Error::Validation {
            field: format!("loans[{i}].{field}"),
            reason,
        },
        other => other,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::math::rate::Rate;
    use rust_decimal_macros::dec;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn terms(principal: rust_decimal::Decimal) -> LoanTerms {
        LoanTerms::builder()
            .principal(principal)
            .annual_rate(Rate::from_percent(dec!(6)).unwrap())
            .installments(24)
            .start(d(2025, 1, 1))
            .build()
            .unwrap()
    }

    fn pay(m: u32, amount: rust_decimal::Decimal) -> LedgerPayment {
        LedgerPayment {
            date: d(2025, m, 1),
            amount,
        }
    }

    /// 200 loans (threads), loan 101 overpaid: every other result is the per-loan position.
    #[test]
    fn positions_equal_the_per_loan_position_and_a_bad_loan_fails_alone() {
        let as_of = d(2025, 6, 15);
        let loans: Vec<BatchLoan> = (0..200u32)
            .map(|i| {
                let payments = if i == 101 {
                    vec![pay(2, dec!(1_000_000))]
                } else {
                    vec![pay(2, dec!(500)), pay(3, dec!(443.21))]
                };
                BatchLoan::new(
                    format!("k{i}"),
                    terms(dec!(10000) + rust_decimal::Decimal::from(i)),
                    payments,
                )
            })
            .collect();
        let out = positions(&loans, as_of);
        assert_eq!(out.len(), 200);
        for (i, (r, loan)) in out.iter().zip(&loans).enumerate() {
            assert_eq!(r.key, format!("k{i}"));
            let single = position(&loan.terms, &loan.payments, as_of);
            if i == 101 {
                assert_eq!(r.result.as_ref().unwrap_err().code(), "overpayment");
            } else {
                assert_eq!(r.result, single);
            }
        }
        // 10000 at 6 %: Feb 500 = 50 interest + 450 principal; Mar 443.21 = 47.75 + 395.46.
        let first = out[0].result.as_ref().unwrap();
        assert_eq!(first.paid_total, dec!(943.21));
        assert_eq!(first.principal_outstanding, dec!(9154.54));
    }

    #[test]
    fn a_validation_error_names_the_loan_index() {
        let late = LoanTerms::builder()
            .principal(dec!(100))
            .installments(2)
            .start(d(2025, 9, 1))
            .build()
            .unwrap();
        let loans = vec![
            BatchLoan::new("ok", terms(dec!(1000)), vec![]),
            BatchLoan::new("neg", terms(dec!(1000)), vec![pay(2, dec!(-5))]),
            BatchLoan::new("late", late, vec![]),
        ];
        let out = positions(&loans, d(2025, 6, 15));
        assert!(out[0].result.is_ok());
        assert_eq!(
            out[1].result.as_ref().unwrap_err().field(),
            Some("loans[1].payments[0].amount")
        );
        assert_eq!(
            out[2].result.as_ref().unwrap_err().field(),
            Some("loans[2].as_of")
        );
    }

    #[test]
    fn schedules_equal_the_per_loan_schedule() {
        let loans: Vec<BatchLoan> = (0..100u32)
            .map(|i| {
                BatchLoan::new(
                    i.to_string(),
                    terms(dec!(1000) * rust_decimal::Decimal::from(i + 1)),
                    vec![],
                )
            })
            .collect();
        let out = schedules(&loans);
        for (r, loan) in out.iter().zip(&loans) {
            let s = loan.terms.schedule().unwrap();
            let p = r.result.as_ref().unwrap();
            assert_eq!(p.payment, s.regular_payment());
            assert_eq!(p.installments, 24);
            assert_eq!(p.total_interest, s.totals().interest);
            assert_eq!(p.payoff_date, d(2027, 1, 1));
        }
        // 10000 at 6 % over 24 months: 443.21 a month.
        assert_eq!(out[9].result.as_ref().unwrap().payment, dec!(443.21));
    }
}
