//! Loans: the stored entity (owner, terms, status, optimistic-concurrency version, timestamps and
//! the repayment aggregates a dashboard reads), and the command that creates one.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use crate::domain::ids::LoanId;
use crate::domain::ids::UserId;
use crate::domain::repayment::Repayment;
use crate::domain::status::{LoanStatus, TransitionReason};
use crate::error::{Error, Result};
use crate::ledger::LedgerCheckpoint;
use crate::schedule::terms::LoanTerms;

/// Longest loan title accepted (in characters, after trimming).
pub const MAX_TITLE_LEN: usize = 200;
/// Longest loan description accepted (in characters).
pub const MAX_DESCRIPTION_LEN: usize = 2000;

/// What the stored loan knows about its repayments, so that a summary reads only loans.
///
/// Always recomputable from the loan's repayments with [`LoanAggregates::from_repayments`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LoanAggregates {
    /// Sum of the amounts of all repayments.
    pub total_repaid: Decimal,
    /// Number of repayments.
    pub repayment_count: u32,
    /// Latest repayment date, if any.
    #[serde(
        default,
        deserialize_with = "crate::math::calendar::deserialize_opt_iso_date"
    )]
    pub last_payment_date: Option<NaiveDate>,
    /// The date of the replayed position the fields below come from; `None` until the service
    /// first writes the loan (then the summary falls back to the terms: nothing paid yet).
    #[serde(default)]
    #[serde(deserialize_with = "crate::math::calendar::deserialize_opt_iso_date")]
    pub position_as_of: Option<NaiveDate>,
    /// Principal repaid, as of `position_as_of`.
    #[serde(default)]
    pub principal_paid: Decimal,
    /// Interest paid, as of `position_as_of`.
    #[serde(default)]
    pub interest_paid: Decimal,
    /// Principal outstanding, as of `position_as_of`.
    #[serde(default)]
    pub principal_outstanding: Decimal,
    /// Arrears (amount due and unpaid), as of `position_as_of`.
    #[serde(default)]
    pub amount_due: Decimal,
    /// Payoff amount (principal + accrued interest), as of `position_as_of`.
    #[serde(default)]
    pub payoff_amount: Decimal,
    /// Remaining scheduled amount (arrears + re-projected installments), as of
    /// `position_as_of`.
    #[serde(default)]
    pub remaining_scheduled: Decimal,
    /// Days since the oldest unpaid due date, as of `position_as_of` (0 when nothing is
    /// overdue): being behind schedule is shown here, the status changes only by the rules of
    /// [`crate::domain::status`].
    #[serde(default)]
    pub days_past_due: u32,
    /// The owner's explicit status (`defaulted` after declaring a default, `active` after a
    /// cure), kept until another explicit action or the position closing; `None` when the
    /// status is derived from the ledger alone. Not derived from the repayments.
    #[serde(default)]
    pub owner_status: Option<LoanStatus>,
    /// The replay state of the ledger after these repayments ([`LedgerCheckpoint`], stored as
    /// its versioned text): a repayment dated on or after the latest one updates the position
    /// from it instead of replaying every repayment. `None` (absent, of another version or
    /// malformed) means the next write replays the ledger and stores a new one.
    #[serde(default, deserialize_with = "crate::ledger::checkpoint::lenient")]
    pub ledger_checkpoint: Option<LedgerCheckpoint>,
}

impl LoanAggregates {
    /// The aggregates of a loan's full list of repayments (in any order).
    ///
    /// ```
    /// use loansyncro_core::domain::loan::{LoanAggregates, LoanId};
    /// use loansyncro_core::domain::repayment::{NewRepayment, Repayment, RepaymentId};
    /// use loansyncro_core::domain::user::UserId;
    /// use chrono::{NaiveDate, TimeZone, Utc};
    /// use rust_decimal_macros::dec;
    /// let at = Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).unwrap();
    /// let rep = |id: &str, amount, day| Repayment::new(
    ///     RepaymentId::new(id).unwrap(), LoanId::new("l1").unwrap(), UserId::new("u1").unwrap(),
    ///     NewRepayment::new(amount, NaiveDate::from_ymd_opt(2025, 2, day).unwrap()), at,
    /// ).unwrap();
    /// let agg = LoanAggregates::from_repayments(&[rep("a", dec!(10.50), 9), rep("b", dec!(4.25), 3)]);
    /// assert_eq!(agg.total_repaid, dec!(14.75));
    /// assert_eq!(agg.repayment_count, 2);
    /// assert_eq!(agg.last_payment_date, NaiveDate::from_ymd_opt(2025, 2, 9));
    /// ```
    pub fn from_repayments(repayments: &[Repayment]) -> LoanAggregates {
        repayments
            .iter()
            .fold(LoanAggregates::default(), |agg, r| agg.with_repayment(r))
    }

    /// These aggregates with one more repayment added.
    ///
    /// Amounts are validated far below `Decimal`'s range, so the sum saturates rather than
    /// overflowing in any reachable case.
    pub fn with_repayment(&self, repayment: &Repayment) -> LoanAggregates {
        LoanAggregates {
            total_repaid: self.total_repaid.saturating_add(repayment.amount),
            repayment_count: self.repayment_count.saturating_add(1),
            last_payment_date: match self.last_payment_date {
                Some(d) if d >= repayment.date => Some(d),
                _ => Some(repayment.date),
            },
            // The position fields and the owner's status are kept; the service refreshes the
            // position fields after a replay.
            ..self.clone()
        }
    }
}

/// The command that creates (or replaces the editable part of) a loan.
///
/// ```
/// use loansyncro_core::{domain::loan::NewLoan, LoanTerms, Rate};
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let terms = LoanTerms::builder()
///     .principal(dec!(12000))
///     .annual_rate(Rate::from_percent(dec!(5))?)
///     .installments(24)
///     .start(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
///     .build()?;
/// let cmd = NewLoan::new("  Car  ", terms.clone()).with_description("Blue hatchback");
/// assert!(cmd.validate().is_ok());
/// assert_eq!(NewLoan::new("   ", terms).validate().unwrap_err().field(), Some("title"));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewLoan {
    /// Title: 1 to 200 characters once trimmed.
    pub title: String,
    /// Free text, at most 2000 characters.
    #[serde(default)]
    pub description: String,
    /// The contractual terms (validated by construction).
    pub terms: LoanTerms,
}

impl NewLoan {
    /// A command with an empty description.
    pub fn new(title: impl Into<String>, terms: LoanTerms) -> NewLoan {
        NewLoan {
            title: title.into(),
            description: String::new(),
            terms,
        }
    }

    /// The same command with a description.
    pub fn with_description(mut self, description: impl Into<String>) -> NewLoan {
        self.description = description.into();
        self
    }

    /// Checks the command: `title` 1..=200 characters once trimmed and free of control
    /// characters, `description` at most 2000 characters. Errors name the field.
    pub fn validate(&self) -> Result<()> {
        validate_title(&self.title)?;
        validate_description(&self.description)
    }
}

fn validate_title(title: &str) -> Result<()> {
    let trimmed = title.trim();
    if trimmed.is_empty() {
        return Err(Error::validation("title", "must not be empty"));
    }
    if trimmed.chars().count() > MAX_TITLE_LEN {
        return Err(Error::validation(
            "title",
            format!("must be at most {MAX_TITLE_LEN} characters"),
        ));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(Error::validation(
            "title",
            "must not contain control characters",
        ));
    }
    Ok(())
}

fn validate_description(description: &str) -> Result<()> {
    if description.chars().count() > MAX_DESCRIPTION_LEN {
        return Err(Error::validation(
            "description",
            format!("must be at most {MAX_DESCRIPTION_LEN} characters"),
        ));
    }
    Ok(())
}

/// A stored loan.
///
/// `version` is the optimistic-concurrency token: every write through a repository port is
/// guarded by the version the writer read, and the stored loan's version then becomes that
/// version + 1. A new loan starts at version 1.
///
/// ```
/// use loansyncro_core::{domain::loan::{Loan, LoanId, NewLoan}, domain::user::UserId, LoanTerms, Rate};
/// use loansyncro_core::domain::status::LoanStatus;
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use rust_decimal_macros::dec;
/// let terms = LoanTerms::builder()
///     .principal(dec!(12000))
///     .annual_rate(Rate::from_percent(dec!(5))?)
///     .installments(24)
///     .start(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
///     .build()?;
/// let now = Utc.with_ymd_and_hms(2025, 1, 1, 8, 0, 0).unwrap();
/// let loan = Loan::new(LoanId::new("loan_1")?, UserId::new("u1")?, NewLoan::new(" Car ", terms), now)?;
/// assert_eq!(loan.title(), "Car");
/// assert_eq!(loan.version(), 1);
/// assert_eq!(loan.status(), LoanStatus::Active);
/// assert_eq!(loan.aggregates().repayment_count, 0);
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Loan {
    /// The loan's id.
    pub(crate) id: LoanId,
    /// The user who owns it; nobody else can see it.
    pub(crate) owner: UserId,
    /// Title (trimmed, 1..=200 characters).
    pub(crate) title: String,
    /// Free text (at most 2000 characters).
    pub(crate) description: String,
    /// The contractual terms.
    pub(crate) terms: LoanTerms,
    /// Lifecycle status.
    #[serde(default)]
    pub(crate) status: LoanStatus,
    /// Optimistic-concurrency version (1 for a new loan, +1 on every write).
    pub(crate) version: u64,
    /// When it was created.
    pub(crate) created_at: DateTime<Utc>,
    /// When it was last written.
    pub(crate) updated_at: DateTime<Utc>,
    /// Aggregates of its repayments.
    #[serde(default)]
    pub(crate) aggregates: LoanAggregates,
}

/// Every stored field of a [`Loan`], for a storage adapter rebuilding a loan it wrote from its
/// own columns or items ([`Loan::restore`]). Only stores build one: everywhere else a loan is
/// made by [`Loan::new`] and changed through its methods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoanRecord {
    /// The loan's id.
    pub id: LoanId,
    /// The owner.
    pub owner: UserId,
    /// Title as stored.
    pub title: String,
    /// Description as stored.
    pub description: String,
    /// Terms as stored (validated when they were written).
    pub terms: LoanTerms,
    /// Status as stored.
    pub status: LoanStatus,
    /// Version as stored.
    pub version: u64,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last write time.
    pub updated_at: DateTime<Utc>,
    /// Aggregates as stored.
    pub aggregates: LoanAggregates,
}

impl Loan {
    /// The loan a store wrote, rebuilt from its record (no validation: the store validated it
    /// on the way in).
    pub fn restore(record: LoanRecord) -> Loan {
        let LoanRecord {
            id,
            owner,
            title,
            description,
            terms,
            status,
            version,
            created_at,
            updated_at,
            aggregates,
        } = record;
        Loan {
            id,
            owner,
            title,
            description,
            terms,
            status,
            version,
            created_at,
            updated_at,
            aggregates,
        }
    }

    /// Every stored field, for a store writing the loan to its own columns or items (the
    /// inverse of [`Loan::restore`]).
    pub fn into_record(self) -> LoanRecord {
        LoanRecord {
            id: self.id,
            owner: self.owner,
            title: self.title,
            description: self.description,
            terms: self.terms,
            status: self.status,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
            aggregates: self.aggregates,
        }
    }

    /// A new active loan at version 1 with no repayments, from a validated command (the title is
    /// trimmed).
    pub fn new(id: LoanId, owner: UserId, command: NewLoan, now: DateTime<Utc>) -> Result<Loan> {
        command.validate()?;
        Ok(Loan {
            id,
            owner,
            title: command.title.trim().to_owned(),
            description: command.description,
            terms: command.terms,
            status: LoanStatus::default(),
            version: 1,
            created_at: now,
            updated_at: now,
            aggregates: LoanAggregates::default(),
        })
    }

    /// The loan's id.
    pub fn id(&self) -> &LoanId {
        &self.id
    }

    /// The user who owns it; nobody else can see it.
    pub fn owner(&self) -> &UserId {
        &self.owner
    }

    /// Title (trimmed, 1..=200 characters).
    pub fn title(&self) -> &str {
        &self.title
    }

    /// Free text (at most 2000 characters).
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The contractual terms.
    pub fn terms(&self) -> &LoanTerms {
        &self.terms
    }

    /// Lifecycle status; changes only through [`Loan::transition`] (the state machine).
    pub fn status(&self) -> LoanStatus {
        self.status
    }

    /// Optimistic-concurrency version: 1 for a new loan, then set only by the store
    /// ([`Loan::stored_after`]) on every write.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// When it was created.
    pub fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }

    /// When it was last written.
    pub fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }

    /// Aggregates of its repayments.
    pub fn aggregates(&self) -> &LoanAggregates {
        &self.aggregates
    }

    /// Moves the loan to status `to` for `reason` through the state machine
    /// ([`LoanStatus::transition`]); an illegal move is an error and changes nothing.
    ///
    /// ```
    /// # use loansyncro_core::{domain::loan::{Loan, LoanId, NewLoan}, domain::user::UserId, LoanTerms};
    /// # use loansyncro_core::domain::status::{LoanStatus, TransitionReason};
    /// # use chrono::{NaiveDate, TimeZone, Utc};
    /// # use rust_decimal_macros::dec;
    /// # let terms = LoanTerms::builder().principal(dec!(100)).installments(1)
    /// #     .start(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()).build()?;
    /// let mut loan = Loan::new(LoanId::new("l1")?, UserId::new("u1")?, NewLoan::new("Car", terms), Utc.timestamp_opt(0, 0).unwrap())?;
    /// loan.transition(LoanStatus::Defaulted, TransitionReason::DefaultedByOwner)?;
    /// assert_eq!(loan.status(), LoanStatus::Defaulted);
    /// assert!(loan.transition(LoanStatus::Defaulted, TransitionReason::DefaultedByOwner).is_err());
    /// # Ok::<(), loansyncro_core::Error>(())
    /// ```
    pub fn transition(&mut self, to: LoanStatus, reason: TransitionReason) -> Result<()> {
        self.status = self.status.transition(to, reason)?;
        Ok(())
    }

    /// The loan as a store writes it after a write checked against `expected_version`: version
    /// `expected_version + 1`. Storage adapters call this; nothing else sets a version.
    pub fn stored_after(mut self, expected_version: u64) -> Loan {
        self.version = expected_version.saturating_add(1);
        self
    }

    /// Replaces the aggregates with those of a replay (see
    /// [`crate::domain::portfolio::aggregates_from_position`]) and stamps `updated_at`.
    pub fn set_aggregates(&mut self, aggregates: LoanAggregates, now: DateTime<Utc>) {
        self.aggregates = aggregates;
        self.updated_at = now;
    }

    /// Re-checks title and description.
    pub fn validate(&self) -> Result<()> {
        validate_title(&self.title)?;
        validate_description(&self.description)
    }

    /// Replaces title, description and terms from a validated command and stamps `updated_at`
    /// (status, version and aggregates are left to the caller).
    pub fn apply(&mut self, command: NewLoan, now: DateTime<Utc>) -> Result<()> {
        command.validate()?;
        self.title = command.title.trim().to_owned();
        self.description = command.description;
        self.terms = command.terms;
        self.updated_at = now;
        Ok(())
    }

    /// Recomputes the aggregates from the loan's full repayment list and stamps `updated_at`.
    pub fn refresh_aggregates(&mut self, repayments: &[Repayment], now: DateTime<Utc>) {
        self.aggregates = LoanAggregates::from_repayments(repayments);
        self.updated_at = now;
    }

    /// Whether `title` contains `needle`, ignoring case (the search rule of loan listings).
    /// An empty needle matches every loan.
    pub fn title_matches(&self, needle: &str) -> bool {
        self.title.to_lowercase().contains(&needle.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::repayment::{NewRepayment, RepaymentId};
    use crate::Rate;
    use chrono::TimeZone;
    use rust_decimal_macros::dec;

    fn terms() -> LoanTerms {
        LoanTerms::builder()
            .principal(dec!(1000))
            .annual_rate(Rate::from_percent(dec!(6)).unwrap())
            .installments(12)
            .start(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
            .build()
            .unwrap()
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap()
    }

    #[test]
    fn title_and_description_rules_name_fields() {
        let t = terms();
        assert_eq!(
            NewLoan::new("", t.clone()).validate().unwrap_err().field(),
            Some("title")
        );
        assert_eq!(
            NewLoan::new("a\u{7}b", t.clone())
                .validate()
                .unwrap_err()
                .field(),
            Some("title")
        );
        assert!(NewLoan::new("x".repeat(200), t.clone()).validate().is_ok());
        // Surrounding whitespace does not count towards the limit.
        assert!(NewLoan::new(format!("  {}  ", "x".repeat(200)), t.clone())
            .validate()
            .is_ok());
        assert_eq!(
            NewLoan::new("x".repeat(201), t.clone())
                .validate()
                .unwrap_err()
                .field(),
            Some("title")
        );
        let desc = NewLoan::new("ok", t.clone()).with_description("d".repeat(2001));
        assert_eq!(desc.validate().unwrap_err().field(), Some("description"));
        let desc = NewLoan::new("ok", t).with_description("d".repeat(2000));
        assert!(desc.validate().is_ok());
    }

    #[test]
    fn new_loan_defaults_and_json_round_trip() {
        let loan = Loan::new(
            LoanId::new("l1").unwrap(),
            UserId::new("u1").unwrap(),
            NewLoan::new("  Car ", terms()),
            now(),
        )
        .unwrap();
        assert_eq!(loan.title, "Car");
        assert_eq!(loan.version, 1);
        assert_eq!(loan.status, LoanStatus::Active);
        assert_eq!(loan.aggregates, LoanAggregates::default());
        assert_eq!(loan.created_at, loan.updated_at);
        let json = serde_json::to_string(&loan).unwrap();
        assert!(json.contains("\"total_repaid\":\"0\""), "{json}");
        assert_eq!(serde_json::from_str::<Loan>(&json).unwrap(), loan);
    }

    #[test]
    fn aggregates_from_repayments() {
        let rep = |id: &str, amount, day| {
            Repayment::new(
                RepaymentId::new(id).unwrap(),
                LoanId::new("l1").unwrap(),
                UserId::new("u1").unwrap(),
                NewRepayment::new(amount, NaiveDate::from_ymd_opt(2025, 3, day).unwrap()),
                now(),
            )
            .unwrap()
        };
        assert_eq!(
            LoanAggregates::from_repayments(&[]),
            LoanAggregates::default()
        );
        let reps = [
            rep("a", dec!(0.10), 5),
            rep("b", dec!(0.20), 20),
            rep("c", dec!(0.30), 1),
        ];
        let agg = LoanAggregates::from_repayments(&reps);
        assert_eq!(agg.total_repaid, dec!(0.60));
        assert_eq!(agg.repayment_count, 3);
        assert_eq!(agg.last_payment_date, NaiveDate::from_ymd_opt(2025, 3, 20));
        let mut loan = Loan::new(
            LoanId::new("l1").unwrap(),
            UserId::new("u1").unwrap(),
            NewLoan::new("Car", terms()),
            now(),
        )
        .unwrap();
        let later = now() + chrono::Duration::days(1);
        loan.refresh_aggregates(&reps, later);
        assert_eq!(loan.aggregates, agg);
        assert_eq!(loan.updated_at, later);
    }

    #[test]
    fn apply_replaces_editable_fields() {
        let mut loan = Loan::new(
            LoanId::new("l1").unwrap(),
            UserId::new("u1").unwrap(),
            NewLoan::new("Car", terms()),
            now(),
        )
        .unwrap();
        let later = now() + chrono::Duration::hours(1);
        assert_eq!(
            loan.apply(NewLoan::new(" ", terms()), later)
                .unwrap_err()
                .field(),
            Some("title")
        );
        assert_eq!(loan.title, "Car");
        loan.apply(NewLoan::new(" Van ", terms()).with_description("d"), later)
            .unwrap();
        assert_eq!(
            (loan.title.as_str(), loan.description.as_str()),
            ("Van", "d")
        );
        assert_eq!(loan.updated_at, later);
        assert!(loan.title_matches("vA"));
        assert!(!loan.title_matches("car"));
    }
}
