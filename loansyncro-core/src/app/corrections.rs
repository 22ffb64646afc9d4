//! Balance corrections of a loan: book the lender's stated balance as an adjustment, list the
//! corrected ledger, undo a correction.
//!
//! # Rules
//! * **Never silent.** The difference between the stated balance and the engine's principal
//!   balance on the date (repayments and earlier corrections replayed, the payments of that
//!   date included) is booked as a [`BalanceCorrection`] with its reason: its own record, never
//!   a repayment. The corrected position shows it apart from the repayments
//!   ([`AdjustedPosition::adjustments`]).
//! * **A booked amount.** The replay applies the amount booked, like a journal entry: a
//!   repayment or correction dated earlier and added later does not change it (book another
//!   correction to restate the balance). A correction that the later ledger can no longer
//!   apply (it would make the principal negative) is reported by the ledger as a validation
//!   error naming it; delete it to undo it.
//! * **Dates.** Not before the loan's start, not in the future (today plus the one-day
//!   tolerance of repayments): a validation error on `date`.
//! * **Idempotent.** A second correction with the same idempotency key on the loan returns
//!   the first one (`replayed: true`), also when two arrive at once; one that states another
//!   date, balance or reason is the idempotency conflict ([`Error::Conflict`]).
//! * **Consistent.** Booking or deleting writes the loan (version + 1) with the correction in
//!   one conditional write ([`CorrectionStore`]): booked against a stale ledger, it is retried
//!   on the fresh one.
//! * **Separate from the stored aggregates.** The loan's stored aggregates, status and ledger
//!   checkpoint stay those of its repayments (the contractual ledger); the corrected position
//!   is computed by [`LoanService::corrected_ledger`] and [`LoanService::corrected_position`]
//!   (what the HTTP position answers).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::app::ports::{
    idempotency_conflict, is_idempotency_conflict, Clock, CorrectionStore, IdGenerator,
    LedgerStore, Notifier, UserRepository,
};
use crate::app::service::LoanService;
use crate::domain::correction::{
    BalanceCorrection, CorrectionId, NewCorrection, MAX_CORRECTIONS_PER_LOAN,
};
use crate::domain::loan::{Loan, LoanId};
use crate::domain::repayment::Repayment;
use crate::domain::user::UserId;
use crate::error::{Error, Result};
use crate::ledger::{
    adjusted_position, booked_adjustment, AdjustedPosition, LedgerAdjustment, LedgerPayment,
};

/// What booking a correction answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionOutcome {
    /// The correction (the first one when `replayed`).
    pub correction: BalanceCorrection,
    /// The corrected position on the correction's date: its principal outstanding is the
    /// stated balance (unless later-added entries dated before it changed the ledger).
    pub position: AdjustedPosition,
    /// True when the idempotency key was used already and nothing new was booked.
    pub replayed: bool,
}

/// The corrected ledger of a loan on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectedLedger {
    /// Every correction of the loan, in ledger order (also those after `as_of`).
    pub corrections: Vec<BalanceCorrection>,
    /// The position on `as_of` with the repayments and the corrections up to then.
    pub position: AdjustedPosition,
}

fn payments(repayments: &[Repayment]) -> Vec<LedgerPayment> {
    repayments
        .iter()
        .map(|r| LedgerPayment {
            date: r.date,
            amount: r.amount,
        })
        .collect()
}

fn adjustments(corrections: &[BalanceCorrection]) -> Vec<LedgerAdjustment> {
    corrections
        .iter()
        .map(BalanceCorrection::adjustment)
        .collect()
}

impl<S, N, C, I> LoanService<S, N, C, I>
where
    S: LedgerStore + UserRepository + CorrectionStore,
    N: Notifier,
    C: Clock,
    I: IdGenerator,
{
    /// Books the lender's stated balance on a date (see the [module rules](self)).
    /// [`Error::NotFound`] for a loan that is not the user's; validation errors name
    /// `stated_balance`, `reason`, `date`, `idempotency_key`.
    pub async fn record_correction(
        &self,
        user: &UserId,
        loan_id: &LoanId,
        command: NewCorrection,
    ) -> Result<CorrectionOutcome> {
        command.validate()?;
        let id = CorrectionId::new(self.ids().new_id("corr"))?;
        let now = self.clock().now();
        let (command, id) = (&command, &id);
        self.retry_on_stale(&format!("loan {loan_id}"), || async move {
            let (loan, repayments) = self.store().loan_with_repayments(user, loan_id).await?;
            let mut corrections = self.store().corrections_for_loan(user, loan_id).await?;
            let paid = payments(&repayments);
            if let Some(first) = with_key(&corrections, command.idempotency_key.as_deref()) {
                return replayed(&loan, &paid, &corrections, first, command);
            }
            command.validate_for(
                loan.terms.currency(),
                loan.terms.start(),
                self.clock().today(),
            )?;
            if corrections.len() >= MAX_CORRECTIONS_PER_LOAN {
                return Err(Error::validation(
                    "loan_id",
                    format!(
                        "has {MAX_CORRECTIONS_PER_LOAN} corrections, the most one loan may hold"
                    ),
                ));
            }
            let mut adjust = adjustments(&corrections);
            let booked = booked_adjustment(
                &loan.terms,
                &paid,
                &adjust,
                command.date,
                command.stated_balance,
            )?;
            let correction = BalanceCorrection {
                id: id.clone(),
                loan_id: loan.id.clone(),
                owner: user.clone(),
                date: command.date,
                stated_balance: command.stated_balance,
                amount: booked.amount,
                reason: command.reason.trim().to_owned(),
                idempotency_key: command.idempotency_key.clone(),
                created_at: now,
            };
            adjust.push(correction.adjustment());
            let position = adjusted_position(&loan.terms, &paid, &adjust, command.date)?;
            // The whole ledger must still replay with it (up to the latest entry).
            let latest = repayments
                .iter()
                .map(|r| r.date)
                .chain(corrections.iter().map(|c| c.date))
                .fold(command.date, NaiveDate::max);
            adjusted_position(&loan.terms, &paid, &adjust, latest)?;
            let version = loan.version;
            match self
                .store()
                .record_correction(correction.clone(), loan.clone(), version)
                .await
            {
                Ok(_) => Ok(CorrectionOutcome {
                    correction,
                    position,
                    replayed: false,
                }),
                Err(e) if is_idempotency_conflict(&e) => {
                    // A concurrent retry with the same key won: answer with its correction.
                    corrections = self.store().corrections_for_loan(user, loan_id).await?;
                    match with_key(&corrections, command.idempotency_key.as_deref()) {
                        Some(first) => replayed(&loan, &paid, &corrections, first, command),
                        None => Err(e),
                    }
                }
                Err(e) => Err(e),
            }
        })
        .await
    }

    /// The user's loan's corrections and its corrected position on `as_of` (default: today,
    /// or the loan's start when it starts later). [`Error::NotFound`] for a loan that is not
    /// the user's; `as_of` before the start is a validation error on `as_of`.
    pub async fn corrected_ledger(
        &self,
        user: &UserId,
        loan_id: &LoanId,
        as_of: Option<NaiveDate>,
    ) -> Result<CorrectedLedger> {
        let (loan, repayments) = self.store().loan_with_repayments(user, loan_id).await?;
        let corrections = self.store().corrections_for_loan(user, loan_id).await?;
        let as_of = as_of.unwrap_or_else(|| self.clock().today().max(loan.terms.start()));
        let position = adjusted_position(
            &loan.terms,
            &payments(&repayments),
            &adjustments(&corrections),
            as_of,
        )?;
        Ok(CorrectedLedger {
            corrections,
            position,
        })
    }

    /// The position of the user's loan on `as_of` (default: today on the service's clock) with
    /// its balance corrections applied: what `GET /loans/{id}/position` answers. Without
    /// corrections it is exactly [`LoanService::position`]. [`Error::NotFound`] for a loan that
    /// is not the user's.
    pub async fn corrected_position(
        &self,
        user: &UserId,
        loan_id: &LoanId,
        as_of: Option<NaiveDate>,
    ) -> Result<crate::ledger::Position> {
        let (loan, repayments) = self.store().loan_with_repayments(user, loan_id).await?;
        let corrections = self.store().corrections_for_loan(user, loan_id).await?;
        let as_of = as_of.unwrap_or_else(|| self.clock().today());
        if corrections.is_empty() {
            return crate::ledger::position(&loan.terms, &payments(&repayments), as_of);
        }
        let adjusted = adjusted_position(
            &loan.terms,
            &payments(&repayments),
            &adjustments(&corrections),
            as_of,
        )?;
        Ok(adjusted.position)
    }

    /// Deletes one correction of the user's loan (the undo), and answers the corrected ledger
    /// without it on the default date of [`LoanService::corrected_ledger`].
    /// [`Error::NotFound`] for a loan or correction that is not the user's, or a correction
    /// of another loan.
    pub async fn delete_correction(
        &self,
        user: &UserId,
        loan_id: &LoanId,
        id: &CorrectionId,
    ) -> Result<CorrectedLedger> {
        self.retry_on_stale(&format!("loan {loan_id}"), || async move {
            let loan: Loan =
                crate::app::ports::LoanRepository::get(self.store(), user, loan_id).await?;
            let version = loan.version;
            self.store()
                .remove_correction(user, id, loan, version)
                .await
        })
        .await?;
        self.corrected_ledger(user, loan_id, None).await
    }
}

fn with_key<'a>(
    corrections: &'a [BalanceCorrection],
    key: Option<&str>,
) -> Option<&'a BalanceCorrection> {
    let key = key?;
    corrections
        .iter()
        .find(|c| c.idempotency_key.as_deref() == Some(key))
}

/// The answer to a retry: the first correction and the corrected position on its date; a
/// retry that states another date, balance or reason is the idempotency conflict.
fn replayed(
    loan: &Loan,
    paid: &[LedgerPayment],
    corrections: &[BalanceCorrection],
    first: &BalanceCorrection,
    command: &NewCorrection,
) -> Result<CorrectionOutcome> {
    let same = (first.date, first.stated_balance, first.reason.as_str())
        == (command.date, command.stated_balance, command.reason.trim());
    if !same {
        let key = command.idempotency_key.as_deref().unwrap_or_default();
        return Err(idempotency_conflict(&loan.id, key));
    }
    let position = adjusted_position(&loan.terms, paid, &adjustments(corrections), first.date)?;
    Ok(CorrectionOutcome {
        correction: first.clone(),
        position,
        replayed: true,
    })
}
