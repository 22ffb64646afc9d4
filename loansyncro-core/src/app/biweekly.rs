//! The biweekly comparison of a stored loan ([`compare_biweekly`] on its terms).

use crate::app::ports::{
    Clock, IdGenerator, LedgerStore, LoanRepository, Notifier, UserRepository,
};
use crate::app::service::LoanService;
use crate::domain::loan::LoanId;
use crate::domain::user::UserId;
use crate::error::Result;
use crate::math::calendar::DayCount;
use crate::schedule::biweekly::{compare_biweekly, BiweeklyComparison};

impl<S, N, C, I> LoanService<S, N, C, I>
where
    S: LedgerStore + UserRepository,
    N: Notifier,
    C: Clock,
    I: IdGenerator,
{
    /// Monthly vs biweekly vs accelerated biweekly for the user's loan (its contractual
    /// terms; repayments play no part). [`crate::Error::NotFound`] for a loan that is not
    /// the user's; terms the comparison does not support are validation errors naming the
    /// field (see [`compare_biweekly`]).
    pub async fn biweekly_comparison(
        &self,
        user: &UserId,
        loan_id: &LoanId,
        day_count: Option<DayCount>,
    ) -> Result<BiweeklyComparison> {
        let loan = LoanRepository::get(self.store(), user, loan_id).await?;
        compare_biweekly(&loan.terms, day_count)
    }
}
