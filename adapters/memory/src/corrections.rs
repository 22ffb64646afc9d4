//! [`CorrectionStore`] for [`MemoryStore`]: the corrections by id under their own lock, always
//! taken after the ledger's write lock, so a correction and its loan's version change are one
//! atomic step for every reader. A loan's corrections are deleted with it.

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock, RwLockWriteGuard};

use loansyncro_core::app::ports::{
    check_correction_matches_loan, idempotency_conflict, CorrectionStore,
};
use loansyncro_core::domain::correction::{BalanceCorrection, CorrectionId};
use loansyncro_core::domain::loan::{Loan, LoanId};
use loansyncro_core::domain::user::UserId;
use loansyncro_core::error::{Error, Result};

use crate::MemoryStore;

/// The corrections by id.
#[derive(Debug, Default)]
pub(crate) struct Corrections {
    by_id: HashMap<CorrectionId, BalanceCorrection>,
}

fn lock(corrections: &RwLock<Corrections>) -> RwLockWriteGuard<'_, Corrections> {
    corrections.write().unwrap_or_else(PoisonError::into_inner)
}

impl MemoryStore {
    /// Drops the corrections of a deleted loan (called under the ledger's write lock).
    pub(crate) fn drop_corrections_of(&self, loan_id: &LoanId) {
        lock(&self.corrections)
            .by_id
            .retain(|_, c| &c.loan_id != loan_id);
    }
}

impl CorrectionStore for MemoryStore {
    async fn corrections_for_loan(
        &self,
        owner: &UserId,
        loan_id: &LoanId,
    ) -> Result<Vec<BalanceCorrection>> {
        let state = self.read();
        state.loan(owner, loan_id)?;
        let corrections = self
            .corrections
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        let mut found: Vec<BalanceCorrection> = corrections
            .by_id
            .values()
            .filter(|c| &c.owner == owner && &c.loan_id == loan_id)
            .cloned()
            .collect();
        found.sort_by(BalanceCorrection::ledger_order);
        Ok(found)
    }

    async fn record_correction(
        &self,
        correction: BalanceCorrection,
        loan: Loan,
        expected_version: u64,
    ) -> Result<Loan> {
        check_correction_matches_loan(&correction, &loan)?;
        let mut state = self.write();
        state.loan(loan.owner(), loan.id())?;
        let mut corrections = lock(&self.corrections);
        if corrections.by_id.contains_key(&correction.id) {
            return Err(Error::already_exists("correction", correction.id.as_str()));
        }
        if let Some(key) = correction.idempotency_key.as_deref() {
            let used = corrections.by_id.values().any(|c| {
                c.loan_id == correction.loan_id && c.idempotency_key.as_deref() == Some(key)
            });
            if used {
                return Err(idempotency_conflict(loan.id(), key));
            }
        }
        state.check_version(&loan, expected_version)?;
        corrections.by_id.insert(correction.id.clone(), correction);
        Ok(state.put_loan(loan, expected_version))
    }

    async fn remove_correction(
        &self,
        owner: &UserId,
        id: &CorrectionId,
        loan: Loan,
        expected_version: u64,
    ) -> Result<Loan> {
        loansyncro_core::app::ports::ensure_loan_owner(&loan, owner, "correction")?;
        let mut state = self.write();
        state.loan(owner, loan.id())?;
        let mut corrections = lock(&self.corrections);
        match corrections.by_id.get(id) {
            Some(c) if &c.owner == owner && &c.loan_id == loan.id() => {}
            _ => return Err(Error::not_found("correction", id.as_str())),
        }
        state.check_version(&loan, expected_version)?;
        corrections.by_id.remove(id);
        Ok(state.put_loan(loan, expected_version))
    }
}
