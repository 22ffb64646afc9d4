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

/// The terms a replacement of a stored loan's terms (a `PUT`) keeps: `replacement` as given
/// when it carries timeline events of its own or the stored terms carry none; otherwise
/// `replacement` with the stored renewals and mid-term opening carried over, so replacing the
/// contract's figures never silently drops the loan's timeline (the HTTP loan input has no
/// events). The carried events are checked against the new terms like any others (errors name
/// `renewals[i].…` or `opening.…`).
///
/// ```
/// use loansyncro_core::app::timeline::{keeping_events, renewed};
/// use loansyncro_core::{LoanTerms, Rate, Renewal};
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let base = |rate| LoanTerms::builder()
///     .principal(dec!(400000))
///     .annual_rate(Rate::from_percent(rate).unwrap())
///     .installments(300)
///     .start(NaiveDate::from_ymd_opt(2020, 1, 1).unwrap())
///     .build();
/// let renewal = Renewal::new(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
///     .rate(Rate::from_percent(dec!(6))?);
/// let stored = renewed(&base(dec!(4.5))?, renewal)?;
/// let replaced = keeping_events(base(dec!(4.25))?, &stored)?;
/// assert_eq!(replaced.renewals(), stored.renewals());
/// assert_eq!(replaced.annual_rate().percent(), dec!(4.25));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn keeping_events(replacement: LoanTerms, stored: &LoanTerms) -> Result<LoanTerms> {
    if replacement.has_events() || !stored.has_events() {
        return Ok(replacement);
    }
    let mut builder = replacement
        .to_builder()
        .renewals(stored.renewals().to_vec());
    if let Some(opening) = stored.opening() {
        builder = builder.opening(*opening);
    }
    builder.build()
}

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
