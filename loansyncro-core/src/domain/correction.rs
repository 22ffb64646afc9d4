//! Balance corrections: the user states the lender's principal balance on a date, and the
//! difference from the engine's balance on that date is booked as an adjustment with a reason.
//! A correction is its own record (never a repayment): it is listed in the loan's ledger,
//! undone by deleting it, and replayed as a [`LedgerAdjustment`] of its booked `amount`.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use crate::domain::ids::CorrectionId;
use crate::domain::ids::{LoanId, UserId};
use crate::domain::repayment::MAX_IDEMPOTENCY_KEY_LEN;
use crate::error::{Error, Result};
use crate::ledger::LedgerAdjustment;
use crate::math::calendar::check_supported_date;
use crate::math::money::Currency;

/// Longest reason accepted (in characters).
pub const MAX_REASON_LEN: usize = 500;
/// Most corrections one loan may hold (a statement a month for 40 years fits).
pub const MAX_CORRECTIONS_PER_LOAN: usize = 500;

/// The command that books a correction: what the user states.
///
/// ```
/// use loansyncro_core::domain::correction::NewCorrection;
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let date = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
/// let cmd = NewCorrection::new(date, dec!(8412.37), "lender statement 2026-03");
/// assert!(cmd.validate().is_ok());
/// assert_eq!(NewCorrection::new(date, dec!(1), "  ").validate().unwrap_err().field(), Some("reason"));
/// assert_eq!(NewCorrection::new(date, dec!(-1), "x").validate().unwrap_err().field(), Some("stated_balance"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCorrection {
    /// The date of the lender's balance (end of that day, after its payments).
    pub date: NaiveDate,
    /// The principal balance the lender states on `date` (>= 0).
    pub stated_balance: Decimal,
    /// Why (required), e.g. `lender statement 2026-03`.
    pub reason: String,
    /// Makes retries safe: a second correction with the same key on the loan returns the
    /// first one.
    #[serde(default)]
    pub idempotency_key: Option<String>,
}

impl NewCorrection {
    /// A command without an idempotency key.
    pub fn new(date: NaiveDate, stated_balance: Decimal, reason: impl Into<String>) -> Self {
        NewCorrection {
            date,
            stated_balance,
            reason: reason.into(),
            idempotency_key: None,
        }
    }

    /// The same command with an idempotency key.
    pub fn with_idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Checks what needs no loan: `date` in the supported range, `stated_balance` >= 0,
    /// `reason` not blank, at most 500 characters and without control characters,
    /// `idempotency_key` not blank and at most 200 characters. Errors name the field.
    pub fn validate(&self) -> Result<()> {
        check_supported_date("date", self.date)?;
        if self.stated_balance.is_sign_negative() && !self.stated_balance.is_zero() {
            return Err(Error::validation("stated_balance", "must not be negative"));
        }
        if self.reason.trim().is_empty() {
            return Err(Error::validation(
                "reason",
                "is required (e.g. \"lender statement 2026-03\")",
            ));
        }
        if self.reason.chars().count() > MAX_REASON_LEN {
            return Err(Error::validation(
                "reason",
                format!("must be at most {MAX_REASON_LEN} characters"),
            ));
        }
        if self.reason.chars().any(char::is_control) {
            return Err(Error::validation(
                "reason",
                "must not contain control characters",
            ));
        }
        if let Some(key) = &self.idempotency_key {
            if key.trim().is_empty() {
                return Err(Error::validation("idempotency_key", "must not be empty"));
            }
            if key.chars().count() > MAX_IDEMPOTENCY_KEY_LEN {
                return Err(Error::validation(
                    "idempotency_key",
                    format!("must be at most {MAX_IDEMPOTENCY_KEY_LEN} characters"),
                ));
            }
        }
        Ok(())
    }

    /// The checks against the loan: the balance in the currency's precision
    /// (`stated_balance`), `date` neither before the loan's `start` nor after `today` plus
    /// [`FUTURE_DATE_TOLERANCE_DAYS`](crate::domain::repayment::FUTURE_DATE_TOLERANCE_DAYS) (field `date`).
    ///
    /// ```
    /// use loansyncro_core::{domain::correction::NewCorrection, Currency};
    /// use chrono::NaiveDate;
    /// use rust_decimal_macros::dec;
    /// let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    /// let cmd = NewCorrection::new(d(1, 1), dec!(10), "statement");
    /// assert_eq!(cmd.validate_for(Currency::USD, d(2, 1), d(3, 1)).unwrap_err().field(), Some("date"));
    /// let cmd = NewCorrection::new(d(3, 5), dec!(10), "statement");
    /// assert_eq!(cmd.validate_for(Currency::USD, d(2, 1), d(3, 1)).unwrap_err().field(), Some("date"));
    /// let cmd = NewCorrection::new(d(3, 1), dec!(10.001), "statement");
    /// assert_eq!(cmd.validate_for(Currency::USD, d(2, 1), d(3, 1)).unwrap_err().field(), Some("stated_balance"));
    /// ```
    pub fn validate_for(
        &self,
        currency: Currency,
        start: NaiveDate,
        today: NaiveDate,
    ) -> Result<()> {
        self.validate()?;
        currency.check_precision("stated_balance", self.stated_balance)?;
        if self.date < start {
            return Err(Error::validation(
                "date",
                format!("{} is before the loan start {start}", self.date),
            ));
        }
        crate::domain::repayment::check_not_future_date("date", self.date, today)
    }
}

/// A booked correction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BalanceCorrection {
    /// Its id.
    pub id: CorrectionId,
    /// The loan it corrects.
    pub loan_id: LoanId,
    /// The loan's owner.
    pub owner: UserId,
    /// The date of the stated balance.
    pub date: NaiveDate,
    /// The principal balance the lender stated.
    pub stated_balance: Decimal,
    /// The adjustment booked: `stated_balance` minus the engine's principal balance on
    /// `date` when it was booked (signed; zero when they agreed).
    pub amount: Decimal,
    /// Why.
    pub reason: String,
    /// The idempotency key it was booked with, if any.
    pub idempotency_key: Option<String>,
    /// When it was booked.
    pub created_at: DateTime<Utc>,
}

impl BalanceCorrection {
    /// What the ledger replays.
    pub fn adjustment(&self) -> LedgerAdjustment {
        LedgerAdjustment {
            date: self.date,
            amount: self.amount,
        }
    }

    /// Ledger order: by date, then booking time, then id.
    pub fn ledger_order(a: &BalanceCorrection, b: &BalanceCorrection) -> std::cmp::Ordering {
        (a.date, a.created_at, &a.id).cmp(&(b.date, b.created_at, &b.id))
    }
}
