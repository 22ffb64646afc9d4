//! Timeline events on a stored loan: a renewal (or refinance) appended to its terms, written
//! like a `PUT` of the terms (version-checked, the ledger replayed under the renewed terms).
//! Another user's loan is [`Error::NotFound`], like an absent one.

use crate::app::ports::{
    Clock, IdGenerator, LedgerStore, LoanRepository, Notifier, UserRepository,
};
use crate::app::service::{LedgerOutcome, LoanService};
use crate::domain::loan::{LoanId, NewLoan};
use crate::domain::user::UserId;
use crate::error::{Error, Result};
use crate::schedule::terms::{LoanTerms, Renewal};

/// A renewal's fields, as [`renewed`] names them in its errors.
pub const RENEWAL_FIELDS: [&str; 4] = [
    "effective",
    "annual_rate",
    "amortization_installments",
    "term_installments",
];

/// `terms` with `renewal` appended. It must come after the loan's latest renewal (else a
/// validation error on `effective`); the renewed terms' errors on that renewal name its own
/// field (`effective`, `annual_rate`, `amortization_installments`, `term_installments`), any
/// other is the terms' own.
///
/// ```
/// use loansyncro_core::app::timeline::renewed;
/// use loansyncro_core::{LoanTerms, Rate, Renewal};
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let terms = LoanTerms::builder()
///     .principal(dec!(320000))
///     .annual_rate(Rate::from_percent(dec!(7.125))?)
///     .installments(360)
///     .start(NaiveDate::from_ymd_opt(2023, 5, 1).unwrap())
///     .build()?;
/// let refinance = Renewal::new(NaiveDate::from_ymd_opt(2026, 5, 1).unwrap())
///     .rate(Rate::from_percent(dec!(5.5))?)
///     .amortization(360);
/// let s = renewed(&terms, refinance)?.schedule()?;
/// assert_eq!((s.len(), s.adjustments()[0].payment), (396, dec!(1758.80)));
/// let late = Renewal::new(NaiveDate::from_ymd_opt(2060, 1, 1).unwrap());
/// assert_eq!(renewed(&terms, late).unwrap_err().field(), Some("effective"));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn renewed(terms: &LoanTerms, renewal: Renewal) -> Result<LoanTerms> {
    if let Some(latest) = terms.renewals().last() {
        if renewal.effective <= latest.effective {
            return Err(Error::validation(
                "effective",
                format!(
                    "must be after the loan's latest renewal ({})",
                    latest.effective
                ),
            ));
        }
    }
    let index = terms.renewals().len();
    let mut all = terms.renewals().to_vec();
    all.push(renewal);
    terms
        .to_builder()
        .renewals(all)
        .build()
        .map_err(|e| match e {
            Error::Validation { field, reason } => {
                let own = field
                    .strip_prefix(&format!("renewals[{index}]."))
                    .filter(|rest| RENEWAL_FIELDS.contains(rest))
                    .map(str::to_owned);
                Error::Validation {
                    field: own.unwrap_or(field),
                    reason,
                }
            }
            other => other,
        })
}

impl<S, N, C, I> LoanService<S, N, C, I>
where
    S: LedgerStore + UserRepository,
    N: Notifier,
    C: Clock,
    I: IdGenerator,
{
    /// Appends `renewal` to the user's loan (see [`renewed`]) and writes it like
    /// [`LoanService::update_loan`]: at `expected_version` (a stale version is a conflict),
    /// or, without one, at the latest version (internal races retried). The ledger is
    /// replayed under the renewed terms.
    pub async fn renew_loan(
        &self,
        user: &UserId,
        id: &LoanId,
        renewal: Renewal,
        expected_version: Option<u64>,
    ) -> Result<LedgerOutcome> {
        let attempt = || async {
            let loan = LoanRepository::get(self.store(), user, id).await?;
            let version = expected_version.unwrap_or(loan.version());
            let terms = renewed(loan.terms(), renewal)?;
            let command = NewLoan::new(loan.title(), terms).with_description(loan.description());
            self.update_loan(user, id, command, version).await
        };
        match expected_version {
            Some(_) => attempt().await,
            None => self.retry_on_stale("renewal", attempt).await,
        }
    }
}
