//! # loansyncro-memory
//!
//! The in-memory storage adapter of LoanSyncro: every storage port of
//! [`loansyncro_core::app::ports`] ([`UserRepository`], [`LoanRepository`], [`RepaymentRepository`]
//! and the atomic [`LedgerStore`] writes) over one `Arc<RwLock<..>>`. Cloning a
//! [`MemoryStore`] shares the data, so clones can be handed to many tasks or threads.
//!
//! Every operation takes the lock, does its work synchronously and releases it before the
//! returned future completes: no lock is ever held across an `.await`, and each multi-item
//! write (a repayment with its loan, a cascade delete) is applied under one write lock, so
//! readers see all of it or none of it.
//!
//! ```
//! use loansyncro_core::app::ports::{LoanQuery, LoanRepository};
//! use loansyncro_core::{domain::loan::{Loan, LoanId, NewLoan}, domain::user::UserId, LoanTerms, Rate};
//! use loansyncro_memory::MemoryStore;
//! use chrono::{NaiveDate, TimeZone, Utc};
//! use rust_decimal_macros::dec;
//! # fn block_on<F: std::future::Future>(f: F) -> F::Output {
//! #     struct Noop;
//! #     impl std::task::Wake for Noop { fn wake(self: std::sync::Arc<Self>) {} }
//! #     let waker = std::task::Waker::from(std::sync::Arc::new(Noop));
//! #     let mut cx = std::task::Context::from_waker(&waker);
//! #     let mut f = std::pin::pin!(f);
//! #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
//! # }
//! let terms = LoanTerms::builder()
//!     .principal(dec!(1000))
//!     .annual_rate(Rate::from_percent(dec!(6))?)
//!     .installments(12)
//!     .start(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
//!     .build()?;
//! let owner = UserId::new("user-1")?;
//! let now = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
//! let loan = Loan::new(LoanId::new("loan-1")?, owner.clone(), NewLoan::new("Car", terms), now)?;
//!
//! let store = MemoryStore::new();
//! block_on(store.insert(loan.clone()))?;
//! assert_eq!(block_on(LoanRepository::get(&store, &owner, loan.id()))?, loan);
//! let page = block_on(store.list(&owner, &LoanQuery::default().with_search("CAR")))?;
//! assert_eq!(page.items.len(), 1);
//! # Ok::<(), loansyncro_core::Error>(())
//! ```
#![warn(missing_docs)]

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use chrono::{DateTime, Utc};
use loansyncro_core::app::ports::{
    check_repayment_matches_loan, idempotency_conflict, stale_version, LedgerStore, LoanCursor,
    LoanQuery, LoanRepository, Page, RepaymentRepository, UserRepository,
};
use loansyncro_core::domain::loan::{Loan, LoanId};
use loansyncro_core::domain::repayment::{Repayment, RepaymentId};
use loansyncro_core::domain::user::{User, UserId};
use loansyncro_core::error::{Error, Result};

/// Counts of what a [`MemoryStore`] holds (for tests and diagnostics).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MemoryStats {
    /// Users stored.
    pub users: usize,
    /// Loans stored (all owners).
    pub loans: usize,
    /// Repayments stored (all loans).
    pub repayments: usize,
}

/// The data behind the lock.
#[derive(Debug, Default)]
struct State {
    users: HashMap<UserId, User>,
    loans: HashMap<LoanId, Loan>,
    /// Each owner's loans in listing order `(created_at, id)`.
    loans_by_owner: HashMap<UserId, BTreeSet<(DateTime<Utc>, LoanId)>>,
    repayments: HashMap<RepaymentId, Repayment>,
    /// Each loan's repayment ids.
    repayments_by_loan: HashMap<LoanId, BTreeSet<RepaymentId>>,
    /// The repayment of each idempotency key used on a loan.
    keys: HashMap<(LoanId, String), RepaymentId>,
}

impl State {
    /// The owner's loan, or `NotFound` (also when somebody else owns it).
    fn loan(&self, owner: &UserId, id: &LoanId) -> Result<&Loan> {
        match self.loans.get(id) {
            Some(loan) if loan.owner() == owner => Ok(loan),
            _ => Err(Error::not_found("loan", id.as_str())),
        }
    }

    /// The owner's repayment, or `NotFound` (also when somebody else owns it).
    fn repayment(&self, owner: &UserId, id: &RepaymentId) -> Result<&Repayment> {
        match self.repayments.get(id) {
            Some(rep) if &rep.owner == owner => Ok(rep),
            _ => Err(Error::not_found("repayment", id.as_str())),
        }
    }

    /// The stored loan behind `loan` with its version checked against `expected_version`.
    fn check_version(&self, loan: &Loan, expected_version: u64) -> Result<()> {
        let stored = self.loan(loan.owner(), loan.id())?;
        if stored.version() != expected_version {
            return Err(stale_version(loan.id(), expected_version, stored.version()));
        }
        Ok(())
    }

    /// The loan's repayments (unsorted).
    fn repayments_of<'a>(&'a self, loan_id: &LoanId) -> impl Iterator<Item = &'a Repayment> + 'a {
        self.repayments_by_loan
            .get(loan_id)
            .into_iter()
            .flatten()
            .filter_map(|id| self.repayments.get(id))
    }

    /// The loan's repayment with idempotency key `key`, other than `except`.
    fn repayment_with_key(
        &self,
        loan_id: &LoanId,
        key: &str,
        except: Option<&RepaymentId>,
    ) -> Option<&Repayment> {
        let id = self.keys.get(&(loan_id.clone(), key.to_owned()))?;
        if Some(id) == except {
            return None;
        }
        self.repayments.get(id)
    }

    /// Stores `loan` with version `expected_version + 1`, keeping the owner index in step.
    fn put_loan(&mut self, loan: Loan, expected_version: u64) -> Loan {
        let loan = loan.stored_after(expected_version);
        if let Some(old) = self.loans.get(loan.id()) {
            let old_key = (old.created_at(), old.id().clone());
            if let Some(index) = self.loans_by_owner.get_mut(old.owner()) {
                index.remove(&old_key);
            }
        }
        self.loans_by_owner
            .entry(loan.owner().clone())
            .or_default()
            .insert((loan.created_at(), loan.id().clone()));
        self.loans.insert(loan.id().clone(), loan.clone());
        loan
    }

    fn put_repayment(&mut self, repayment: Repayment) {
        self.repayments_by_loan
            .entry(repayment.loan_id.clone())
            .or_default()
            .insert(repayment.id.clone());
        if let Some(key) = &repayment.idempotency_key {
            self.keys.insert(
                (repayment.loan_id.clone(), key.clone()),
                repayment.id.clone(),
            );
        }
        if let Some(old) = self.repayments.insert(repayment.id.clone(), repayment) {
            self.forget_key(&old);
        }
    }

    /// Removes repayment `id` (not from its loan's id set) with its idempotency key.
    fn drop_repayment(&mut self, id: &RepaymentId) {
        if let Some(old) = self.repayments.remove(id) {
            self.forget_key(&old);
        }
    }

    /// Forgets `old`'s idempotency key, unless it now belongs to another repayment (or to
    /// `old`'s replacement, which kept it).
    fn forget_key(&mut self, old: &Repayment) {
        let Some(key) = &old.idempotency_key else {
            return;
        };
        let entry = (old.loan_id.clone(), key.clone());
        let kept = self
            .keys
            .get(&entry)
            .and_then(|id| self.repayments.get(id))
            .is_some_and(|r| r.idempotency_key.as_ref() == Some(key));
        if !kept {
            self.keys.remove(&entry);
        }
    }

    fn list(&self, owner: &UserId, query: &LoanQuery) -> Result<Page<Loan>> {
        query.validate()?;
        let after = query
            .cursor
            .as_deref()
            .map(LoanCursor::decode)
            .transpose()?;
        let needle = query.search_needle();
        let limit = query.limit as usize;
        let Some(index) = self.loans_by_owner.get(owner) else {
            return Ok(Page::empty());
        };
        let mut matching = index
            .iter()
            .filter(|(created_at, id)| match &after {
                Some(c) => (*created_at, id) > (c.created_at, &c.id),
                None => true,
            })
            .filter_map(|(_, id)| self.loans.get(id))
            .filter(|loan| match &needle {
                Some(n) => loan.title().to_lowercase().contains(n.as_str()),
                None => true,
            });
        let items: Vec<Loan> = matching.by_ref().take(limit).cloned().collect();
        let next_cursor = match (matching.next(), items.last()) {
            (Some(_), Some(last)) => Some(LoanCursor::after(last).encode()),
            _ => None,
        };
        Ok(Page { items, next_cursor })
    }
}

/// Sorts repayments in the ledger order (date, created_at, id).
fn sorted(mut repayments: Vec<Repayment>) -> Vec<Repayment> {
    repayments.sort_by(Repayment::ledger_order);
    repayments
}

/// Thread-safe in-memory storage implementing every storage port. Clones share the data.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    state: Arc<RwLock<State>>,
    /// Recurring plans (their own lock: plan reads never wait on ledger writes).
    plans: Arc<RwLock<recurring::Plans>>,
    /// Balance corrections (written under the ledger's lock, then their own).
    corrections: Arc<RwLock<corrections::Corrections>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    /// How many users, loans and repayments the store holds.
    ///
    /// ```
    /// use loansyncro_memory::{MemoryStats, MemoryStore};
    /// assert_eq!(MemoryStore::new().stats(), MemoryStats::default());
    /// ```
    pub fn stats(&self) -> MemoryStats {
        let state = self.read();
        MemoryStats {
            users: state.users.len(),
            loans: state.loans.len(),
            repayments: state.repayments.len(),
        }
    }

    // A panic while holding the lock cannot leave the state half-written: every write checks
    // first and then only inserts/removes, so a poisoned lock is safe to keep using.
    fn read(&self) -> RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(PoisonError::into_inner)
    }
}

impl UserRepository for MemoryStore {
    async fn get(&self, id: &UserId) -> Result<Option<User>> {
        Ok(self.read().users.get(id).cloned())
    }

    async fn upsert(&self, user: User) -> Result<User> {
        let mut state = self.write();
        let stored = match state.users.get(&user.id) {
            Some(existing) => User {
                created_at: existing.created_at,
                ..user
            },
            None => user,
        };
        state.users.insert(stored.id.clone(), stored.clone());
        Ok(stored)
    }

    async fn find_by_email(&self, email: &str) -> Result<Option<User>> {
        Ok(self
            .read()
            .users
            .values()
            .filter(|u| u.email == email)
            .min_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)))
            .cloned())
    }
}

impl LoanRepository for MemoryStore {
    async fn get(&self, owner: &UserId, id: &LoanId) -> Result<Loan> {
        self.read().loan(owner, id).cloned()
    }

    async fn list(&self, owner: &UserId, query: &LoanQuery) -> Result<Page<Loan>> {
        self.read().list(owner, query)
    }

    async fn insert(&self, loan: Loan) -> Result<()> {
        let mut state = self.write();
        if state.loans.contains_key(loan.id()) {
            return Err(Error::already_exists("loan", loan.id().as_str()));
        }
        state
            .loans_by_owner
            .entry(loan.owner().clone())
            .or_default()
            .insert((loan.created_at(), loan.id().clone()));
        state.loans.insert(loan.id().clone(), loan);
        Ok(())
    }

    async fn update(&self, loan: Loan, expected_version: u64) -> Result<Loan> {
        let mut state = self.write();
        state.check_version(&loan, expected_version)?;
        Ok(state.put_loan(loan, expected_version))
    }

    async fn delete_with_repayments(
        &self,
        owner: &UserId,
        id: &LoanId,
        expected_version: Option<u64>,
    ) -> Result<()> {
        // One write lock: the version check and the delete are one atomic step.
        let mut state = self.write();
        let key = {
            let loan = state.loan(owner, id)?;
            match expected_version {
                Some(expected) if expected != loan.version() => {
                    return Err(stale_version(id, expected, loan.version()));
                }
                _ => (loan.created_at(), loan.id().clone()),
            }
        };
        if let Some(index) = state.loans_by_owner.get_mut(owner) {
            index.remove(&key);
        }
        state.loans.remove(id);
        for rep_id in state.repayments_by_loan.remove(id).unwrap_or_default() {
            state.drop_repayment(&rep_id);
        }
        self.drop_corrections_of(id);
        Ok(())
    }
}

impl RepaymentRepository for MemoryStore {
    async fn get(&self, owner: &UserId, id: &RepaymentId) -> Result<Repayment> {
        self.read().repayment(owner, id).cloned()
    }

    async fn list_for_loan(&self, owner: &UserId, loan_id: &LoanId) -> Result<Vec<Repayment>> {
        let state = self.read();
        state.loan(owner, loan_id)?;
        Ok(sorted(state.repayments_of(loan_id).cloned().collect()))
    }

    async fn list_for_owner(&self, owner: &UserId) -> Result<Vec<Repayment>> {
        let state = self.read();
        let Some(index) = state.loans_by_owner.get(owner) else {
            return Ok(Vec::new());
        };
        let all = index
            .iter()
            .flat_map(|(_, loan_id)| state.repayments_of(loan_id))
            .filter(|r| &r.owner == owner)
            .cloned()
            .collect();
        Ok(sorted(all))
    }

    async fn find_by_idempotency_key(
        &self,
        owner: &UserId,
        loan_id: &LoanId,
        key: &str,
    ) -> Result<Option<Repayment>> {
        let state = self.read();
        if state.loan(owner, loan_id).is_err() {
            return Ok(None);
        }
        Ok(state
            .repayment_with_key(loan_id, key, None)
            .filter(|r| &r.owner == owner)
            .cloned())
    }
}

impl LedgerStore for MemoryStore {
    async fn record_repayment(
        &self,
        repayment: Repayment,
        loan: Loan,
        expected_version: u64,
    ) -> Result<Loan> {
        check_repayment_matches_loan(&repayment, &loan)?;
        let mut state = self.write();
        state.loan(loan.owner(), loan.id())?;
        if state.repayments.contains_key(&repayment.id) {
            return Err(Error::already_exists("repayment", repayment.id.as_str()));
        }
        if let Some(key) = repayment.idempotency_key.as_deref() {
            if state.repayment_with_key(loan.id(), key, None).is_some() {
                return Err(idempotency_conflict(loan.id(), key));
            }
        }
        state.check_version(&loan, expected_version)?;
        state.put_repayment(repayment);
        Ok(state.put_loan(loan, expected_version))
    }

    async fn replace_repayment(
        &self,
        repayment: Repayment,
        loan: Loan,
        expected_version: u64,
    ) -> Result<Loan> {
        check_repayment_matches_loan(&repayment, &loan)?;
        let mut state = self.write();
        state.loan(loan.owner(), loan.id())?;
        let existing = state.repayment(&repayment.owner, &repayment.id)?;
        if existing.loan_id != repayment.loan_id {
            return Err(Error::not_found("repayment", repayment.id.as_str()));
        }
        if let Some(key) = repayment.idempotency_key.as_deref() {
            if state
                .repayment_with_key(loan.id(), key, Some(&repayment.id))
                .is_some()
            {
                return Err(idempotency_conflict(loan.id(), key));
            }
        }
        state.check_version(&loan, expected_version)?;
        state.put_repayment(repayment);
        Ok(state.put_loan(loan, expected_version))
    }

    async fn remove_repayment(
        &self,
        owner: &UserId,
        id: &RepaymentId,
        loan: Loan,
        expected_version: u64,
    ) -> Result<Loan> {
        loansyncro_core::app::ports::ensure_loan_owner(&loan, owner, "repayment")?;
        let mut state = self.write();
        state.loan(owner, loan.id())?;
        if state.repayment(owner, id)?.loan_id != *loan.id() {
            return Err(Error::not_found("repayment", id.as_str()));
        }
        state.check_version(&loan, expected_version)?;
        state.drop_repayment(id);
        if let Some(index) = state.repayments_by_loan.get_mut(loan.id()) {
            index.remove(id);
        }
        Ok(state.put_loan(loan, expected_version))
    }
}

mod corrections;
pub mod embedded;
mod recurring;
