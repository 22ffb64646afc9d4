//! Partial edits of a loan's descriptive fields (an HTTP `PATCH`): the financial terms are
//! never touched, so nothing is recomputed.

use serde::{Deserialize, Serialize};

use crate::app::ports::{
    stale_version, Clock, IdGenerator, LedgerStore, LoanRepository, Notifier, UserRepository,
};
use crate::app::service::{LedgerOutcome, LoanService};
use crate::domain::loan::{LoanId, NewLoan};
use crate::domain::user::UserId;
use crate::error::Result;

/// The descriptive fields to change; `None` keeps the stored value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanPatch {
    /// The new title (1..=200 characters once trimmed).
    pub title: Option<String>,
    /// The new description (at most 2000 characters; empty clears it).
    pub description: Option<String>,
}

impl<S, N, C, I> LoanService<S, N, C, I>
where
    S: LedgerStore + UserRepository,
    N: Notifier,
    C: Clock,
    I: IdGenerator,
{
    /// Applies `patch` to the user's loan, keeping its terms (so status and aggregates stay as
    /// they are; see [`LoanService::update_loan`]). With `expected_version` (an HTTP
    /// `If-Match`) a stored version that differs is the [`crate::ConflictKind::StaleVersion`]
    /// conflict; without it the patch applies to the latest version, re-read when a
    /// concurrent write moved it (at most [`crate::app::service::ServiceConfig::max_attempts`]
    /// attempts, then a retryable [`crate::Error::Storage`]). Errors name the field (`title`,
    /// `description`).
    pub async fn patch_loan(
        &self,
        user: &UserId,
        id: &LoanId,
        patch: &LoanPatch,
        expected_version: Option<u64>,
    ) -> Result<LedgerOutcome> {
        let attempt = || async move {
            let loan = LoanRepository::get(self.store(), user, id).await?;
            if let Some(expected) = expected_version.filter(|v| *v != loan.version()) {
                return Err(stale_version(id, expected, loan.version()));
            }
            let title = patch
                .title
                .clone()
                .unwrap_or_else(|| loan.title().to_owned());
            let description = patch
                .description
                .clone()
                .unwrap_or_else(|| loan.description().to_owned());
            let command = NewLoan::new(title, loan.terms().clone()).with_description(description);
            command.validate()?;
            self.update_loan(user, id, command, loan.version()).await
        };
        match expected_version {
            // The caller named a version: a concurrent write is theirs to see (412), not ours to
            // paper over.
            Some(_) => attempt().await,
            None => self.retry_on_stale(&format!("loan {id}"), attempt).await,
        }
    }
}
