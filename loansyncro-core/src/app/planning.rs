//! The debt planner over the user's loans, as the HTTP API asks for it: the currency chosen
//! from the loans when not given, a custom order checked against the user's loans, and a
//! budget that never pays a loan off answered as an invalid `monthly_budget`.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::app::ports::{Clock, IdGenerator, LedgerStore, Notifier, UserRepository};
use crate::app::service::{LoanService, PlanRequest};
use crate::domain::loan::Loan;
use crate::domain::status::LoanStatus;
use crate::domain::user::UserId;
use crate::error::{Error, Result};
use crate::ledger::planner::{PlanResult, Strategy};
use crate::math::money::Currency;

/// What to plan ([`LoanService::plan_loans`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanOptions {
    /// The currency of the loans planned; `None`: the one currency of the user's unpaid
    /// loans (a validation error on `currency` when they use several).
    pub currency: Option<Currency>,
    /// Money available every month.
    pub monthly_budget: Decimal,
    /// Avalanche, snowball or a custom order of the user's loan ids.
    pub strategy: Strategy,
    /// Date of the first month's payment (default: today).
    #[serde(
        default,
        deserialize_with = "crate::math::calendar::deserialize_opt_iso_date"
    )]
    pub start: Option<NaiveDate>,
}

impl<S, N, C, I> LoanService<S, N, C, I>
where
    S: LedgerStore + UserRepository,
    N: Notifier,
    C: Clock,
    I: IdGenerator,
{
    /// [`LoanService::plan`] over the user's unpaid loans in `options.currency`.
    ///
    /// Errors: a custom order naming a loan that is not the user's is [`Error::NotFound`];
    /// several currencies and no `currency` is a validation error on `currency`; a budget
    /// that never pays a loan off is a validation error on `monthly_budget` whose reason names
    /// the loan (the planner's [`Error::NoSolution`]); the planner's other errors as they are.
    pub async fn plan_loans(&self, user: &UserId, options: &PlanOptions) -> Result<PlanResult> {
        let loans = self.all_loans(user).await?;
        if let Strategy::Custom(order) = &options.strategy {
            for id in order {
                if !loans.iter().any(|l| l.id().as_str() == id) {
                    return Err(Error::not_found("loan", id.clone()));
                }
            }
        }
        let currency = match options.currency {
            Some(c) => c,
            None => single_currency(&loans)?,
        };
        let request = PlanRequest {
            currency,
            monthly_budget: options.monthly_budget,
            strategy: options.strategy.clone(),
            start: options.start,
        };
        self.plan(user, &request).await.map_err(|e| match e {
            Error::NoSolution { reason } => Error::validation("monthly_budget", reason),
            other => other,
        })
    }
}

/// The one currency of the unpaid `loans` (USD when there is none: the plan then has no
/// debt, which the planner reports).
fn single_currency(loans: &[Loan]) -> Result<Currency> {
    let mut codes: Vec<Currency> = loans
        .iter()
        .filter(|l| l.status() != LoanStatus::Paid)
        .map(|l| l.terms().currency())
        .collect();
    codes.sort_by(|a, b| a.code().cmp(b.code()));
    codes.dedup();
    match codes.as_slice() {
        [] => Ok(Currency::USD),
        [one] => Ok(*one),
        several => Err(Error::validation(
            "currency",
            format!(
                "your unpaid loans are in {}: name the currency to plan",
                several
                    .iter()
                    .map(Currency::code)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}
