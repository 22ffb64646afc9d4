//! Recurring repayments: the owner's plans on a loan, and the run that materializes every due
//! occurrence of every plan as an ordinary repayment.
//!
//! # Rules
//! * **Ownership.** Plans hang off a loan: creating, listing and deleting name the loan, and
//!   another user's loan (or plan) is [`Error::NotFound`], like an absent one.
//! * **One write path.** An occurrence is recorded by [`LoanService::record_repayment`] with
//!   the plan's deterministic idempotency key `plan:{plan id}:{date}`
//!   ([`RecurringPlan::idempotency_key`]): validation, overpayment, status and notifications are
//!   those of any repayment.
//! * **How far a plan has materialized.** Each plan stores `next_due`, the earliest occurrence
//!   not recorded yet, and a run records the occurrences from there up to its `as_of` date, then
//!   moves `next_due` forward ([`RecurringPlanRepository::advance_plan`], a conditional write
//!   that never moves it back). The idempotency keys make a rerun or two runners at once
//!   record nothing twice (the second sees the key used and gets the first result); `next_due`
//!   keeps runs cheap (a run reads only the due plans, never a plan's whole history) and keeps
//!   a repayment that its owner deleted deleted (an idempotency-only design would record it
//!   again on the next run). A run that stops between recording and advancing is safe: the
//!   next one replays the recorded occurrences by their keys.
//! * **A missed day** (no run, or a failed one) is caught up by the next run: every occurrence
//!   up to its date is recorded, in date order.
//! * **Failures.** An occurrence the ledger refuses (an overpayment on a loan nearly paid off, a
//!   validation error) stops that plan at that occurrence: `next_due` stays on it, so it is
//!   visible on the plan and retried by every run until the owner changes the plan; it is
//!   reported in [`MaterializeReport::failures`]. A storage error does the same (and is
//!   retried the same way). A plan whose loan is gone is deleted.

use std::collections::HashSet;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::app::ports::{
    Clock, DueCursor, IdGenerator, LedgerStore, LoanRepository, Notifier, RecurringPlanRepository,
    StoredPlan, UserRepository,
};
use crate::app::service::LoanService;
use crate::domain::loan::LoanId;
use crate::domain::repayment::{PlanId, RecurringPlan};
use crate::domain::user::UserId;
use crate::error::{Error, Result};
use crate::math::calendar::{check_supported_date, Frequency};

/// Plans read per batch by [`LoanService::materialize_due`].
pub const DUE_BATCH: u32 = 100;

/// The command that creates a recurring plan on a loan: what the owner supplies.
///
/// ```
/// use loansyncro_core::app::recurring::NewRecurringPlan;
/// use loansyncro_core::Frequency;
/// let cmd: NewRecurringPlan = serde_json::from_str(
///     r#"{"amount":"150.00","frequency":"monthly","first_date":"2025-02-01"}"#,
/// ).unwrap();
/// assert_eq!(cmd.frequency, Frequency::Monthly);
/// assert_eq!(cmd.end, None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRecurringPlan {
    /// Amount of every payment: > 0, at most the loan currency's minor unit.
    pub amount: Decimal,
    /// How often it pays (month-based frequencies keep the first date's day and clamp).
    pub frequency: Frequency,
    /// Date of the first payment, on or after the loan's start.
    #[serde(deserialize_with = "crate::math::calendar::deserialize_iso_date")]
    pub first_date: NaiveDate,
    /// Last day a payment may fall on (inclusive), if the plan ends.
    #[serde(default)]
    #[serde(deserialize_with = "crate::math::calendar::deserialize_opt_iso_date")]
    pub end: Option<NaiveDate>,
}

/// An occurrence a run could not record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanFailure {
    /// The plan.
    pub plan_id: PlanId,
    /// Its owner.
    pub owner: UserId,
    /// Its loan.
    pub loan_id: LoanId,
    /// The occurrence that failed (the plan's `next_due` stays on it).
    #[serde(deserialize_with = "crate::math::calendar::deserialize_iso_date")]
    pub date: NaiveDate,
    /// Why.
    pub error: Error,
}

/// What a run of [`LoanService::materialize_due`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaterializeReport {
    /// The date the run materialized up to (inclusive).
    #[serde(deserialize_with = "crate::math::calendar::deserialize_iso_date")]
    pub as_of: NaiveDate,
    /// Due plans visited.
    pub plans: u32,
    /// Occurrences recorded by this run.
    pub recorded: u32,
    /// Occurrences found recorded already (their key was used: a rerun, or another runner).
    pub already_recorded: u32,
    /// Plans deleted because their loan is gone.
    pub removed_plans: u32,
    /// Occurrences that could not be recorded (at most one per plan).
    pub failures: Vec<PlanFailure>,
}

impl MaterializeReport {
    fn new(as_of: NaiveDate) -> MaterializeReport {
        MaterializeReport {
            as_of,
            plans: 0,
            recorded: 0,
            already_recorded: 0,
            removed_plans: 0,
            failures: Vec::new(),
        }
    }
}

/// The first occurrence of `plan` strictly after `date`, or `None` when the plan ends first.
///
/// ```
/// use loansyncro_core::app::recurring::next_occurrence_after;
/// use loansyncro_core::{domain::loan::LoanId, domain::repayment::{PlanId, RecurringPlan}, Frequency};
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day).unwrap();
/// let plan = RecurringPlan::new(PlanId::new("p")?, LoanId::new("l")?, dec!(10), Frequency::Monthly, d(1, 31), Some(d(3, 31)))?;
/// assert_eq!(next_occurrence_after(&plan, d(1, 1)), Some(d(1, 31)));
/// assert_eq!(next_occurrence_after(&plan, d(1, 31)), Some(d(2, 29)));
/// assert_eq!(next_occurrence_after(&plan, d(3, 31)), None);
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn next_occurrence_after(plan: &RecurringPlan, date: NaiveDate) -> Option<NaiveDate> {
    let k = u32::try_from(plan.occurrences_until(date).len()).ok()?;
    let next = plan.frequency.step(plan.first_date, k)?;
    let within_end = plan.end.is_none_or(|end| next <= end);
    (next > date && within_end).then_some(next)
}

impl<S, N, C, I> LoanService<S, N, C, I>
where
    S: LedgerStore + UserRepository + RecurringPlanRepository,
    N: Notifier,
    C: Clock,
    I: IdGenerator,
{
    /// Creates a recurring plan on the user's loan ([`Error::NotFound`] for a loan that is not
    /// the user's). Errors name the field: `amount` (> 0, the currency's precision),
    /// `frequency`, `first_date` (supported range, not before the loan's start), `end` (not
    /// before `first_date`). Nothing is recorded now: the next run of
    /// [`LoanService::materialize_due`] records the occurrences due by then.
    pub async fn create_recurring_plan(
        &self,
        user: &UserId,
        loan_id: &LoanId,
        command: NewRecurringPlan,
    ) -> Result<StoredPlan> {
        check_supported_date("first_date", command.first_date)?;
        if let Some(end) = command.end {
            check_supported_date("end", end)?;
        }
        let loan = LoanRepository::get(self.store(), user, loan_id).await?;
        // Validated before an id is drawn: a refused command uses no id.
        let mut plan = RecurringPlan::new(
            PlanId::new("new")?,
            loan_id.clone(),
            command.amount,
            command.frequency,
            command.first_date,
            command.end,
        )?;
        loan.terms
            .currency()
            .check_precision("amount", plan.amount)?;
        let start = loan.terms.start();
        if plan.first_date < start {
            return Err(Error::validation(
                "first_date",
                format!("must not be before the loan's start {start}"),
            ));
        }
        plan.id = PlanId::new(self.ids().new_id("plan"))?;
        let stored = StoredPlan::new(plan, user.clone(), self.clock().now());
        self.store().insert_plan(stored.clone()).await?;
        Ok(stored)
    }

    /// The recurring plans of the user's loan, oldest first ([`Error::NotFound`] for a loan
    /// that is not the user's).
    pub async fn list_recurring_plans(
        &self,
        user: &UserId,
        loan_id: &LoanId,
    ) -> Result<Vec<StoredPlan>> {
        LoanRepository::get(self.store(), user, loan_id).await?;
        self.store().plans_for_loan(user, loan_id).await
    }

    /// Deletes one recurring plan of the user's loan ([`Error::NotFound`] for a loan or plan
    /// that is not the user's, or a plan of another loan). Repayments it recorded stay.
    pub async fn delete_recurring_plan(
        &self,
        user: &UserId,
        loan_id: &LoanId,
        plan_id: &PlanId,
    ) -> Result<()> {
        LoanRepository::get(self.store(), user, loan_id).await?;
        let plan = self.store().get_plan(user, plan_id).await?;
        if plan.plan.loan_id != *loan_id {
            return Err(Error::not_found("plan", plan_id.as_str()));
        }
        self.store().delete_plan(user, plan_id).await
    }

    /// Deletes every recurring plan of the user's loan; returns how many there were
    /// ([`Error::NotFound`] for a loan that is not the user's).
    pub async fn delete_recurring_plans(&self, user: &UserId, loan_id: &LoanId) -> Result<u32> {
        let plans = self.list_recurring_plans(user, loan_id).await?;
        let mut deleted = 0u32;
        for plan in plans {
            match self.store().delete_plan(user, plan.id()).await {
                Ok(()) => deleted = deleted.saturating_add(1),
                // Deleted by somebody else meanwhile: gone either way.
                Err(Error::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(deleted)
    }

    /// Records every occurrence due on or before `as_of` of every plan of every user (see the
    /// [module rules](self)): the scheduled job. `as_of` may be at most one day after today
    /// (the tolerance of [`crate::domain::repayment::NewRepayment::check_not_future`]); a
    /// later date is a validation error on `as_of`. Per-plan failures are in the report; the
    /// run itself fails only when the listing of due plans does.
    pub async fn materialize_due(&self, as_of: NaiveDate) -> Result<MaterializeReport> {
        check_supported_date("as_of", as_of)?;
        crate::domain::repayment::check_not_future_date("as_of", as_of, self.clock().today())?;
        let mut report = MaterializeReport::new(as_of);
        let mut seen: HashSet<PlanId> = HashSet::new();
        let mut after: Option<DueCursor> = None;
        loop {
            let batch = self
                .store()
                .due_plans(as_of, after.as_ref(), DUE_BATCH)
                .await?;
            let full = u32::try_from(batch.len()).is_ok_and(|n| n >= DUE_BATCH);
            if let Some(last) = batch.last() {
                after = last.due_cursor();
            }
            for plan in batch {
                // A plan that stopped on a failure may come round again in the same run.
                if seen.insert(plan.plan.id.clone()) {
                    report.plans = report.plans.saturating_add(1);
                    self.materialize_plan(&plan, as_of, &mut report).await;
                }
            }
            if !full || after.is_none() {
                return Ok(report);
            }
        }
    }

    /// Records `stored`'s occurrences from its `next_due` up to `as_of`, then advances it.
    async fn materialize_plan(
        &self,
        stored: &StoredPlan,
        as_of: NaiveDate,
        report: &mut MaterializeReport,
    ) {
        let Some(from) = stored.next_due else {
            return;
        };
        let plan = &stored.plan;
        let mut next = Some(from);
        for command in plan.materialize_until(as_of) {
            if command.date < from {
                continue;
            }
            let date = command.date;
            match self
                .record_repayment(&stored.owner, &plan.loan_id, command)
                .await
            {
                Ok(outcome) => {
                    if outcome.replayed {
                        report.already_recorded = report.already_recorded.saturating_add(1);
                    } else {
                        report.recorded = report.recorded.saturating_add(1);
                    }
                    next = next_occurrence_after(plan, date);
                }
                Err(Error::NotFound { entity, .. }) if entity == "loan" => {
                    // The loan is gone (deleted with its repayments): so is the plan.
                    if self
                        .store()
                        .delete_plan(&stored.owner, &plan.id)
                        .await
                        .is_ok()
                    {
                        report.removed_plans = report.removed_plans.saturating_add(1);
                    }
                    return;
                }
                Err(error) => {
                    report.failures.push(PlanFailure {
                        plan_id: plan.id.clone(),
                        owner: stored.owner.clone(),
                        loan_id: plan.loan_id.clone(),
                        date,
                        error,
                    });
                    break;
                }
            }
        }
        if next != stored.next_due {
            let advanced = self
                .store()
                .advance_plan(&stored.owner, &plan.id, next)
                .await;
            if let Err(error) = advanced {
                if !matches!(error, Error::NotFound { .. }) {
                    report.failures.push(PlanFailure {
                        plan_id: plan.id.clone(),
                        owner: stored.owner.clone(),
                        loan_id: plan.loan_id.clone(),
                        date: from,
                        error,
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn plan(freq: Frequency, first: &str, end: Option<&str>) -> RecurringPlan {
        RecurringPlan::new(
            PlanId::new("p1").unwrap(),
            LoanId::new("l1").unwrap(),
            dec!(25.00),
            freq,
            d(first),
            end.map(d),
        )
        .unwrap()
    }

    #[test]
    fn next_occurrence_steps_from_the_anchor_and_clamps() {
        let p = plan(Frequency::Monthly, "2024-01-31", None);
        assert_eq!(
            next_occurrence_after(&p, d("2023-12-31")),
            Some(d("2024-01-31"))
        );
        assert_eq!(
            next_occurrence_after(&p, d("2024-01-31")),
            Some(d("2024-02-29"))
        );
        assert_eq!(
            next_occurrence_after(&p, d("2024-02-29")),
            Some(d("2024-03-31"))
        );
        assert_eq!(
            next_occurrence_after(&p, d("2024-03-30")),
            Some(d("2024-03-31"))
        );
        assert_eq!(
            next_occurrence_after(&p, d("2024-04-01")),
            Some(d("2024-04-30"))
        );
    }

    #[test]
    fn next_occurrence_respects_the_end_inclusive() {
        let p = plan(Frequency::Weekly, "2025-01-01", Some("2025-01-15"));
        assert_eq!(
            next_occurrence_after(&p, d("2025-01-08")),
            Some(d("2025-01-15"))
        );
        assert_eq!(next_occurrence_after(&p, d("2025-01-15")), None);
        let daily = plan(Frequency::EveryNDays(1), "2025-03-01", None);
        assert_eq!(
            next_occurrence_after(&daily, d("2025-03-02")),
            Some(d("2025-03-03"))
        );
        let semi = plan(
            Frequency::SemiMonthly {
                first_day: 1,
                second_day: 15,
            },
            "2025-01-15",
            None,
        );
        assert_eq!(
            next_occurrence_after(&semi, d("2025-01-15")),
            Some(d("2025-02-01"))
        );
        assert_eq!(
            next_occurrence_after(&semi, d("2025-02-01")),
            Some(d("2025-02-15"))
        );
    }

    #[test]
    fn report_and_command_serde() {
        let report = MaterializeReport::new(d("2025-03-03"));
        assert_eq!(
            serde_json::to_string(&report).unwrap(),
            r#"{"as_of":"2025-03-03","plans":0,"recorded":0,"already_recorded":0,"removed_plans":0,"failures":[]}"#
        );
        let cmd: NewRecurringPlan = serde_json::from_str(
            r#"{"amount":"12.50","frequency":{"every_n_days":10},"first_date":"2025-03-01","end":"2025-12-31"}"#,
        )
        .unwrap();
        assert_eq!(cmd.amount, dec!(12.50));
        assert_eq!(cmd.frequency, Frequency::EveryNDays(10));
        assert_eq!(cmd.end, Some(d("2025-12-31")));
    }
}
