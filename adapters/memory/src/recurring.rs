//! [`RecurringPlanRepository`] for [`MemoryStore`]: the plans by id, under their own lock (a
//! plan operation never waits on a ledger write). Plans of a deleted loan stay until the next
//! materialization run removes them (the service finds the loan gone), as in every adapter.

use std::collections::{BTreeSet, HashMap};
use std::sync::{PoisonError, RwLockReadGuard, RwLockWriteGuard};

use chrono::NaiveDate;
use loansyncro_core::app::ports::{
    check_due_limit, plan_moves_forward, DueCursor, RecurringPlanRepository, StoredPlan,
};
use loansyncro_core::domain::loan::LoanId;
use loansyncro_core::domain::repayment::PlanId;
use loansyncro_core::domain::user::UserId;
use loansyncro_core::error::{Error, Result};

use crate::MemoryStore;

/// The plans and the due index.
#[derive(Debug, Default)]
pub(crate) struct Plans {
    by_id: HashMap<PlanId, StoredPlan>,
    /// `(next_due, id)` of every plan that is not ended.
    due: BTreeSet<DueCursor>,
}

impl Plans {
    fn owned(&self, owner: &UserId, id: &PlanId) -> Result<&StoredPlan> {
        match self.by_id.get(id) {
            Some(plan) if &plan.owner == owner => Ok(plan),
            _ => Err(Error::not_found("plan", id.as_str())),
        }
    }
}

impl MemoryStore {
    fn read_plans(&self) -> RwLockReadGuard<'_, Plans> {
        self.plans.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write_plans(&self) -> RwLockWriteGuard<'_, Plans> {
        self.plans.write().unwrap_or_else(PoisonError::into_inner)
    }
}

impl RecurringPlanRepository for MemoryStore {
    async fn insert_plan(&self, plan: StoredPlan) -> Result<()> {
        let mut plans = self.write_plans();
        if plans.by_id.contains_key(plan.id()) {
            return Err(Error::already_exists("plan", plan.id().as_str()));
        }
        if let Some(cursor) = plan.due_cursor() {
            plans.due.insert(cursor);
        }
        plans.by_id.insert(plan.id().clone(), plan);
        Ok(())
    }

    async fn get_plan(&self, owner: &UserId, id: &PlanId) -> Result<StoredPlan> {
        self.read_plans().owned(owner, id).cloned()
    }

    async fn plans_for_loan(&self, owner: &UserId, loan_id: &LoanId) -> Result<Vec<StoredPlan>> {
        let plans = self.read_plans();
        let mut found: Vec<StoredPlan> = plans
            .by_id
            .values()
            .filter(|p| &p.owner == owner && &p.plan.loan_id == loan_id)
            .cloned()
            .collect();
        found.sort_by(|a, b| (a.created_at, a.id()).cmp(&(b.created_at, b.id())));
        Ok(found)
    }

    async fn delete_plan(&self, owner: &UserId, id: &PlanId) -> Result<()> {
        let mut plans = self.write_plans();
        let cursor = plans.owned(owner, id)?.due_cursor();
        if let Some(cursor) = cursor {
            plans.due.remove(&cursor);
        }
        plans.by_id.remove(id);
        Ok(())
    }

    async fn due_plans(
        &self,
        as_of: NaiveDate,
        after: Option<&DueCursor>,
        limit: u32,
    ) -> Result<Vec<StoredPlan>> {
        check_due_limit(limit)?;
        let plans = self.read_plans();
        Ok(plans
            .due
            .iter()
            .filter(|c| after.is_none_or(|a| *c > a))
            .take_while(|c| c.next_due <= as_of)
            .filter_map(|c| plans.by_id.get(&c.id))
            .take(limit as usize)
            .cloned()
            .collect())
    }

    async fn advance_plan(
        &self,
        owner: &UserId,
        id: &PlanId,
        next_due: Option<NaiveDate>,
    ) -> Result<bool> {
        let mut plans = self.write_plans();
        let stored = plans.owned(owner, id)?;
        if !plan_moves_forward(stored.next_due, next_due) {
            return Ok(false);
        }
        let old = stored.due_cursor();
        if let Some(old) = old {
            plans.due.remove(&old);
        }
        if let Some(plan) = plans.by_id.get_mut(id) {
            plan.next_due = next_due;
        }
        if let Some(next_due) = next_due {
            plans.due.insert(DueCursor {
                next_due,
                id: id.clone(),
            });
        }
        Ok(true)
    }
}
