//! Balance corrections on the embedded store and the [`Tracker`]: the [`CorrectionStore`]
//! port forwarded to the store inside, and the service's correction use cases as plain
//! functions.

use chrono::NaiveDate;
use loansyncro_core::app::corrections::{CorrectedLedger, CorrectionOutcome};
use loansyncro_core::app::ports::CorrectionStore;
use loansyncro_core::domain::correction::{BalanceCorrection, CorrectionId, NewCorrection};
use loansyncro_core::domain::loan::{Loan, LoanId};
use loansyncro_core::domain::user::UserId;
use loansyncro_core::error::Result;

use super::{block_on, EmbeddedStore, Tracker};

impl CorrectionStore for EmbeddedStore {
    async fn corrections_for_loan(
        &self,
        owner: &UserId,
        loan_id: &LoanId,
    ) -> Result<Vec<BalanceCorrection>> {
        forward!(self, s => s.corrections_for_loan(owner, loan_id))
    }
    async fn record_correction(
        &self,
        correction: BalanceCorrection,
        loan: Loan,
        expected_version: u64,
    ) -> Result<Loan> {
        forward!(self, s => s.record_correction(correction, loan, expected_version))
    }
    async fn remove_correction(
        &self,
        owner: &UserId,
        id: &CorrectionId,
        loan: Loan,
        expected_version: u64,
    ) -> Result<Loan> {
        forward!(self, s => s.remove_correction(owner, id, loan, expected_version))
    }
}

impl Tracker {
    /// Books the lender's stated balance on the user's loan
    /// ([`loansyncro_core::app::service::LoanService::record_correction`]).
    pub fn record_correction(
        &self,
        user: &UserId,
        loan_id: &LoanId,
        command: NewCorrection,
    ) -> Result<CorrectionOutcome> {
        block_on(self.service().record_correction(user, loan_id, command))
    }

    /// The loan's corrections and its corrected position on `as_of` (default today).
    pub fn corrected_ledger(
        &self,
        user: &UserId,
        loan_id: &LoanId,
        as_of: Option<NaiveDate>,
    ) -> Result<CorrectedLedger> {
        block_on(self.service().corrected_ledger(user, loan_id, as_of))
    }

    /// Undoes a correction; answers the corrected ledger without it.
    pub fn delete_correction(
        &self,
        user: &UserId,
        loan_id: &LoanId,
        id: &CorrectionId,
    ) -> Result<CorrectedLedger> {
        block_on(self.service().delete_correction(user, loan_id, id))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use loansyncro_core::domain::loan::NewLoan;
    use loansyncro_core::domain::repayment::NewRepayment;
    use loansyncro_core::{LoanTerms, Rate};
    use rust_decimal_macros::dec;

    #[test]
    fn a_tracker_books_lists_and_undoes_a_correction() {
        let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
        let tracker = Tracker::at_date(d(6, 15));
        let ada = UserId::new("ada").unwrap();
        let terms = LoanTerms::builder()
            .principal(dec!(1000))
            .annual_rate(Rate::from_percent(dec!(12)).unwrap())
            .installments(12)
            .start(d(1, 1))
            .build()
            .unwrap();
        let id = tracker
            .create_loan(&ada, NewLoan::new("Car", terms))
            .unwrap()
            .loan
            .id()
            .clone();
        for on in [d(2, 1), d(3, 1)] {
            tracker
                .record_repayment(&ada, &id, NewRepayment::new(dec!(88.85), on))
                .unwrap();
        }
        let cmd = NewCorrection::new(d(3, 20), dec!(850.00), "lender statement");
        let booked = tracker.record_correction(&ada, &id, cmd).unwrap();
        assert_eq!(booked.correction.amount, dec!(8.49));
        let ledger = tracker.corrected_ledger(&ada, &id, Some(d(3, 20))).unwrap();
        assert_eq!(ledger.position.position.principal_outstanding, dec!(850.00));
        let undone = tracker
            .delete_correction(&ada, &id, &booked.correction.id)
            .unwrap();
        assert!(undone.corrections.is_empty());
    }
}
