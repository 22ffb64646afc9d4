//! Repayments: money a borrower actually paid on a loan, the command that records one, and
//! recurring plans whose occurrences materialize as repayments with deterministic idempotency
//! keys (materializing twice records once).

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::domain::ids::LoanId;
use crate::domain::ids::UserId;
pub use crate::domain::ids::{PlanId, RepaymentId};
use crate::error::{Error, Result};
use crate::math::calendar::Frequency;
use crate::math::money::Currency;

/// Longest repayment note accepted (in characters).
pub const MAX_NOTES_LEN: usize = 1000;
/// Longest idempotency key accepted (in characters).
pub const MAX_IDEMPOTENCY_KEY_LEN: usize = 200;

/// The command that records a repayment: what the caller supplies. The service adds the id,
/// the loan, the owner and the timestamp to make a [`Repayment`].
///
/// ```
/// use loansyncro_core::domain::repayment::NewRepayment;
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let date = NaiveDate::from_ymd_opt(2025, 2, 1).unwrap();
/// let cmd = NewRepayment::new(dec!(150.00), date).with_notes("February");
/// assert!(cmd.validate().is_ok());
/// let err = NewRepayment::new(dec!(0), date).validate().unwrap_err();
/// assert_eq!(err.field(), Some("amount"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRepayment {
    /// Amount paid, strictly positive.
    pub amount: Decimal,
    /// Date of the payment.
    #[serde(deserialize_with = "crate::math::calendar::deserialize_iso_date")]
    pub date: NaiveDate,
    /// Free text, at most 1000 characters.
    #[serde(default)]
    pub notes: String,
    /// A key that makes retries safe: a second record with the same key on the same loan
    /// returns the first result instead of recording twice.
    #[serde(default)]
    pub idempotency_key: Option<String>,
}

impl NewRepayment {
    /// A command with no notes and no idempotency key.
    pub fn new(amount: Decimal, date: NaiveDate) -> NewRepayment {
        NewRepayment {
            amount,
            date,
            notes: String::new(),
            idempotency_key: None,
        }
    }

    /// The same command with `notes`.
    pub fn with_notes(mut self, notes: impl Into<String>) -> NewRepayment {
        self.notes = notes.into();
        self
    }

    /// The same command with an idempotency key.
    pub fn with_idempotency_key(mut self, key: impl Into<String>) -> NewRepayment {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Checks the command: `amount` > 0, `date` in the supported range (1900-01-01 to
    /// 2199-12-31, see [`crate::math::calendar::check_supported_date`]), `notes` at most 1000
    /// characters, `idempotency_key` (when given) non-empty and at most 200 characters. Errors
    /// name the field.
    pub fn validate(&self) -> Result<()> {
        validate_amount(self.amount)?;
        crate::math::calendar::check_supported_date("date", self.date)?;
        validate_notes(&self.notes)?;
        if let Some(key) = &self.idempotency_key {
            validate_idempotency_key(key)?;
        }
        Ok(())
    }

    /// [`NewRepayment::validate`] plus the currency's precision: the amount may not have more
    /// decimals than the currency's minor unit (field `amount`).
    ///
    /// ```
    /// use loansyncro_core::{domain::repayment::NewRepayment, Currency};
    /// use chrono::NaiveDate;
    /// use rust_decimal_macros::dec;
    /// let date = NaiveDate::from_ymd_opt(2025, 2, 1).unwrap();
    /// let err = NewRepayment::new(dec!(1.005), date).validate_for(Currency::USD).unwrap_err();
    /// assert_eq!(err.field(), Some("amount"));
    /// ```
    pub fn validate_for(&self, currency: Currency) -> Result<()> {
        self.validate()?;
        Ok(currency.check_precision("amount", self.amount)?)
    }

    /// Refuses a repayment dated after `today` (the store's clock, UTC) plus
    /// [`FUTURE_DATE_TOLERANCE_DAYS`] (a day of tolerance for time zones ahead of UTC): a
    /// repayment records money already paid; planned payments are what [`RecurringPlan`]s are
    /// for. The error names `date`.
    ///
    /// ```
    /// use loansyncro_core::domain::repayment::NewRepayment;
    /// use chrono::NaiveDate;
    /// use rust_decimal_macros::dec;
    /// let d = |day| NaiveDate::from_ymd_opt(2025, 3, day).unwrap();
    /// assert!(NewRepayment::new(dec!(10), d(2)).check_not_future(d(1)).is_ok());
    /// let err = NewRepayment::new(dec!(10), d(3)).check_not_future(d(1)).unwrap_err();
    /// assert_eq!(err.field(), Some("date"));
    /// ```
    pub fn check_not_future(&self, today: NaiveDate) -> Result<()> {
        check_not_future_date("date", self.date, today)
    }
}

/// The rule for a date of money already moved (a repayment, a balance correction, the date
/// recurring plans are materialized up to): at most `today` (UTC) plus
/// [`FUTURE_DATE_TOLERANCE_DAYS`]; a validation error on `field`.
pub(crate) fn check_not_future_date(field: &str, date: NaiveDate, today: NaiveDate) -> Result<()> {
    let latest = today
        .checked_add_days(chrono::Days::new(FUTURE_DATE_TOLERANCE_DAYS))
        .unwrap_or(today);
    if date > latest {
        return Err(Error::validation(
            field,
            format!("{date} is in the future (today is {today} UTC, at most {latest} accepted)"),
        ));
    }
    Ok(())
}

/// Days after the store's today (UTC) a repayment date may still fall on.
pub const FUTURE_DATE_TOLERANCE_DAYS: u64 = 1;

fn validate_amount(amount: Decimal) -> Result<()> {
    if amount <= Decimal::ZERO {
        return Err(Error::validation("amount", "must be greater than zero"));
    }
    Ok(())
}

fn validate_notes(notes: &str) -> Result<()> {
    if notes.chars().count() > MAX_NOTES_LEN {
        return Err(Error::validation(
            "notes",
            format!("must be at most {MAX_NOTES_LEN} characters"),
        ));
    }
    Ok(())
}

fn validate_idempotency_key(key: &str) -> Result<()> {
    if key.trim().is_empty() {
        return Err(Error::validation("idempotency_key", "must not be empty"));
    }
    if key.chars().count() > MAX_IDEMPOTENCY_KEY_LEN {
        return Err(Error::validation(
            "idempotency_key",
            format!("must be at most {MAX_IDEMPOTENCY_KEY_LEN} characters"),
        ));
    }
    Ok(())
}

/// A recorded repayment.
///
/// ```
/// use loansyncro_core::{domain::loan::LoanId, domain::repayment::{NewRepayment, Repayment, RepaymentId}, domain::user::UserId};
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use rust_decimal_macros::dec;
/// let cmd = NewRepayment::new(dec!(150), NaiveDate::from_ymd_opt(2025, 2, 1).unwrap());
/// let at = Utc.with_ymd_and_hms(2025, 2, 1, 12, 0, 0).unwrap();
/// let r = Repayment::new(RepaymentId::new("rep_1")?, LoanId::new("loan_1")?, UserId::new("u1")?, cmd, at)?;
/// assert_eq!(r.amount, dec!(150));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Repayment {
    /// The repayment's id.
    pub id: RepaymentId,
    /// The loan it pays.
    pub loan_id: LoanId,
    /// The loan's owner (repayments are scoped to the owner like loans).
    pub owner: UserId,
    /// Amount paid, strictly positive.
    pub amount: Decimal,
    /// Date of the payment.
    #[serde(deserialize_with = "crate::math::calendar::deserialize_iso_date")]
    pub date: NaiveDate,
    /// Free text, at most 1000 characters.
    pub notes: String,
    /// Idempotency key of the command that recorded it, if any (unique per loan).
    pub idempotency_key: Option<String>,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
}

impl Repayment {
    /// A repayment from a validated command.
    pub fn new(
        id: RepaymentId,
        loan_id: LoanId,
        owner: UserId,
        command: NewRepayment,
        created_at: DateTime<Utc>,
    ) -> Result<Repayment> {
        command.validate()?;
        Ok(Repayment {
            id,
            loan_id,
            owner,
            amount: command.amount,
            date: command.date,
            notes: command.notes,
            idempotency_key: command.idempotency_key,
            created_at,
        })
    }

    /// Re-checks the fields a command could have set.
    pub fn validate(&self) -> Result<()> {
        self.to_command().validate()
    }

    /// The command that would record this repayment again (same amount, date, notes, key).
    pub fn to_command(&self) -> NewRepayment {
        NewRepayment {
            amount: self.amount,
            date: self.date,
            notes: self.notes.clone(),
            idempotency_key: self.idempotency_key.clone(),
        }
    }

    /// The order repayments are listed in: by date, then by recording time, then by id.
    pub fn ledger_order(a: &Repayment, b: &Repayment) -> std::cmp::Ordering {
        (a.date, a.created_at, &a.id).cmp(&(b.date, b.created_at, &b.id))
    }
}

/// A standing order: the same amount paid on a loan at a fixed frequency from `first_date`,
/// optionally until `end` (inclusive).
///
/// Its occurrences up to a date materialize as [`NewRepayment`]s whose idempotency key is
/// `plan:{plan id}:{occurrence date}`, so materializing the same span twice records once.
///
/// ```
/// use loansyncro_core::{domain::loan::LoanId, domain::repayment::{PlanId, RecurringPlan}, Frequency};
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
/// let plan = RecurringPlan::new(
///     PlanId::new("p1")?, LoanId::new("l1")?, dec!(100), Frequency::Monthly, d(2024, 1, 31), None,
/// )?;
/// assert_eq!(plan.occurrences_until(d(2024, 3, 31)), vec![d(2024, 1, 31), d(2024, 2, 29), d(2024, 3, 31)]);
/// let due = plan.materialize_until(d(2024, 2, 29));
/// assert_eq!(due[1].idempotency_key.as_deref(), Some("plan:p1:2024-02-29"));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecurringPlan {
    /// The plan's id (part of every materialized idempotency key).
    pub id: PlanId,
    /// The loan the payments go to.
    pub loan_id: LoanId,
    /// Amount of every payment, strictly positive.
    pub amount: Decimal,
    /// How often it pays (month-based frequencies keep the first date's day and clamp).
    pub frequency: Frequency,
    /// Date of the first payment (the anchor of the stepping).
    #[serde(deserialize_with = "crate::math::calendar::deserialize_iso_date")]
    pub first_date: NaiveDate,
    /// Last day a payment may fall on (inclusive), if the plan ends.
    #[serde(
        default,
        deserialize_with = "crate::math::calendar::deserialize_opt_iso_date"
    )]
    pub end: Option<NaiveDate>,
}

impl RecurringPlan {
    /// A validated plan: `amount` > 0, a valid `frequency`, and `end` (if any) not before
    /// `first_date`. Errors name the field.
    pub fn new(
        id: PlanId,
        loan_id: LoanId,
        amount: Decimal,
        frequency: Frequency,
        first_date: NaiveDate,
        end: Option<NaiveDate>,
    ) -> Result<RecurringPlan> {
        let plan = RecurringPlan {
            id,
            loan_id,
            amount,
            frequency,
            first_date,
            end,
        };
        plan.validate()?;
        Ok(plan)
    }

    /// Checks the plan (see [`RecurringPlan::new`]).
    pub fn validate(&self) -> Result<()> {
        validate_amount(self.amount)?;
        self.frequency.validate()?;
        if let Some(end) = self.end {
            if end < self.first_date {
                return Err(Error::validation("end", "must not be before first_date"));
            }
        }
        Ok(())
    }

    /// Every payment date from `first_date` up to and including `until` (and `end`), stepped
    /// from the first date: month-based frequencies keep its day of month and clamp to the
    /// month's end (Jan 31 → Feb 29 → Mar 31), never chaining from a clamped date.
    pub fn occurrences_until(&self, until: NaiveDate) -> Vec<NaiveDate> {
        let last = match self.end {
            Some(end) => end.min(until),
            None => until,
        };
        let mut dates = Vec::new();
        let mut k: u32 = 0;
        while let Some(date) = self.frequency.step(self.first_date, k) {
            if date > last {
                break;
            }
            // Stepping is strictly increasing for valid frequencies; guard anyway.
            if dates.last().is_some_and(|prev| *prev >= date) {
                break;
            }
            dates.push(date);
            match k.checked_add(1) {
                Some(next) => k = next,
                None => break,
            }
        }
        dates
    }

    /// The deterministic idempotency key of the occurrence on `date`:
    /// `plan:{plan id}:{date}` (ISO 8601 date).
    pub fn idempotency_key(&self, date: NaiveDate) -> String {
        format!("plan:{}:{}", self.id, date)
    }

    /// The repayment commands for every occurrence up to `until` (see
    /// [`RecurringPlan::occurrences_until`]), each with its deterministic idempotency key and
    /// the note `recurring plan {id}`.
    pub fn materialize_until(&self, until: NaiveDate) -> Vec<NewRepayment> {
        self.occurrences_until(until)
            .into_iter()
            .map(|date| NewRepayment {
                amount: self.amount,
                date,
                notes: format!("recurring plan {}", self.id),
                idempotency_key: Some(self.idempotency_key(date)),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use rust_decimal_macros::dec;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn plan(freq: Frequency, first: &str, end: Option<&str>) -> RecurringPlan {
        RecurringPlan::new(
            PlanId::new("p1").unwrap(),
            LoanId::new("l1").unwrap(),
            dec!(25.50),
            freq,
            d(first),
            end.map(d),
        )
        .unwrap()
    }

    #[test]
    fn new_repayment_validation_names_fields() {
        let date = d("2025-01-01");
        assert_eq!(
            NewRepayment::new(dec!(-1), date)
                .validate()
                .unwrap_err()
                .field(),
            Some("amount")
        );
        assert_eq!(
            NewRepayment::new(dec!(0), date)
                .validate()
                .unwrap_err()
                .field(),
            Some("amount")
        );
        assert!(NewRepayment::new(dec!(0.01), date).validate().is_ok());
        let notes = NewRepayment::new(dec!(1), date).with_notes("n".repeat(1001));
        assert_eq!(notes.validate().unwrap_err().field(), Some("notes"));
        let notes = NewRepayment::new(dec!(1), date).with_notes("n".repeat(1000));
        assert!(notes.validate().is_ok());
        let key = NewRepayment::new(dec!(1), date).with_idempotency_key("  ");
        assert_eq!(key.validate().unwrap_err().field(), Some("idempotency_key"));
        let key = NewRepayment::new(dec!(1), date).with_idempotency_key("k".repeat(201));
        assert_eq!(key.validate().unwrap_err().field(), Some("idempotency_key"));
        assert_eq!(
            NewRepayment::new(dec!(1.001), date)
                .validate_for(Currency::USD)
                .unwrap_err()
                .field(),
            Some("amount")
        );
        assert!(NewRepayment::new(dec!(1.01), date)
            .validate_for(Currency::USD)
            .is_ok());
    }

    #[test]
    fn repayment_new_validates_and_round_trips() {
        let at = Utc.with_ymd_and_hms(2025, 1, 2, 3, 4, 5).unwrap();
        let cmd = NewRepayment::new(dec!(10.10), d("2025-01-02")).with_idempotency_key("k1");
        let r = Repayment::new(
            RepaymentId::new("r1").unwrap(),
            LoanId::new("l1").unwrap(),
            UserId::new("u1").unwrap(),
            cmd.clone(),
            at,
        )
        .unwrap();
        assert_eq!(r.to_command(), cmd);
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.contains("\"amount\":\"10.10\""), "{json}");
        assert_eq!(serde_json::from_str::<Repayment>(&json).unwrap(), r);
        let bad = Repayment::new(
            RepaymentId::new("r2").unwrap(),
            LoanId::new("l1").unwrap(),
            UserId::new("u1").unwrap(),
            NewRepayment::new(dec!(0), d("2025-01-02")),
            at,
        );
        assert_eq!(bad.unwrap_err().field(), Some("amount"));
    }

    #[test]
    fn monthly_plan_anchors_to_the_first_day_and_clamps() {
        let p = plan(Frequency::Monthly, "2024-01-31", None);
        assert_eq!(
            p.occurrences_until(d("2024-05-30")),
            vec![
                d("2024-01-31"),
                d("2024-02-29"),
                d("2024-03-31"),
                d("2024-04-30")
            ]
        );
        assert!(p.occurrences_until(d("2024-01-30")).is_empty());
        assert_eq!(p.occurrences_until(d("2024-01-31")), vec![d("2024-01-31")]);
    }

    #[test]
    fn plan_end_is_inclusive() {
        let p = plan(Frequency::Weekly, "2025-01-01", Some("2025-01-15"));
        assert_eq!(
            p.occurrences_until(d("2025-12-31")),
            vec![d("2025-01-01"), d("2025-01-08"), d("2025-01-15")]
        );
        let p = plan(Frequency::Biweekly, "2025-01-01", Some("2025-01-14"));
        assert_eq!(p.occurrences_until(d("2025-12-31")), vec![d("2025-01-01")]);
    }

    #[test]
    fn materialize_is_deterministic() {
        let p = plan(Frequency::Quarterly, "2024-11-30", None);
        let a = p.materialize_until(d("2025-06-01"));
        let b = p.materialize_until(d("2025-06-01"));
        assert_eq!(a, b);
        let keys: Vec<_> = a
            .iter()
            .map(|r| r.idempotency_key.clone().unwrap())
            .collect();
        assert_eq!(
            keys,
            vec![
                "plan:p1:2024-11-30",
                "plan:p1:2025-02-28",
                "plan:p1:2025-05-30"
            ]
        );
        assert!(a
            .iter()
            .all(|r| r.amount == dec!(25.50) && r.validate().is_ok()));
        // A later horizon extends the list without changing the earlier keys.
        let longer = p.materialize_until(d("2025-09-01"));
        assert_eq!(&longer[..3], &a[..]);
        assert_eq!(longer.len(), 4);
    }

    #[test]
    fn plan_validation_names_fields() {
        let mk = |amount, freq, end: Option<&str>| {
            RecurringPlan::new(
                PlanId::new("p").unwrap(),
                LoanId::new("l").unwrap(),
                amount,
                freq,
                d("2025-01-10"),
                end.map(d),
            )
        };
        assert_eq!(
            mk(dec!(0), Frequency::Monthly, None).unwrap_err().field(),
            Some("amount")
        );
        assert_eq!(
            mk(dec!(1), Frequency::EveryNDays(0), None)
                .unwrap_err()
                .field(),
            Some("frequency")
        );
        assert_eq!(
            mk(dec!(1), Frequency::Monthly, Some("2025-01-09"))
                .unwrap_err()
                .field(),
            Some("end")
        );
        assert!(mk(dec!(1), Frequency::Monthly, Some("2025-01-10")).is_ok());
    }
}
