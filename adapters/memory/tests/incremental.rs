//! The service's incremental ledger writes: a repayment dated on or after the latest one is
//! appended from the loan's stored checkpoint without reading the repayments, and everything
//! it stores and answers equals a full replay of the whole ledger. A back-dated, edited or
//! deleted repayment replays (and reads the repayments).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use chrono::{Days, NaiveDate};
use loansyncro_core::app::ports::{
    FixedClock, LedgerStore, LoanQuery, LoanRepository, NoopNotifier, Page, RepaymentRepository,
    SequentialIds, UserRepository,
};
use loansyncro_core::app::service::{LoanService, RepaymentOutcome};
use loansyncro_core::domain::loan::{Loan, LoanId, NewLoan};
use loansyncro_core::domain::portfolio::aggregates_from_position;
use loansyncro_core::domain::repayment::{NewRepayment, Repayment, RepaymentId};
use loansyncro_core::domain::user::{User, UserId};
use loansyncro_core::ledger::{self, LedgerPayment, LedgerState};
use loansyncro_core::{Accrual, LoanTerms, PrepaymentPolicy, Rate, Result};
use loansyncro_memory::MemoryStore;
use proptest::prelude::*;
use rust_decimal::Decimal;

/// The memory store, counting the reads of a loan's repayments.
#[derive(Debug, Clone, Default)]
struct Counting {
    inner: MemoryStore,
    repayment_reads: Arc<AtomicUsize>,
}

impl Counting {
    fn reads(&self) -> usize {
        self.repayment_reads.load(Ordering::SeqCst)
    }
}

impl UserRepository for Counting {
    async fn get(&self, id: &UserId) -> Result<Option<User>> {
        UserRepository::get(&self.inner, id).await
    }
    async fn upsert(&self, user: User) -> Result<User> {
        self.inner.upsert(user).await
    }
    async fn find_by_email(&self, email: &str) -> Result<Option<User>> {
        self.inner.find_by_email(email).await
    }
}

impl LoanRepository for Counting {
    async fn get(&self, owner: &UserId, id: &LoanId) -> Result<Loan> {
        LoanRepository::get(&self.inner, owner, id).await
    }
    async fn list(&self, owner: &UserId, query: &LoanQuery) -> Result<Page<Loan>> {
        self.inner.list(owner, query).await
    }
    async fn insert(&self, loan: Loan) -> Result<()> {
        self.inner.insert(loan).await
    }
    async fn update(&self, loan: Loan, expected_version: u64) -> Result<Loan> {
        self.inner.update(loan, expected_version).await
    }
    async fn delete_with_repayments(
        &self,
        owner: &UserId,
        id: &LoanId,
        expected_version: Option<u64>,
    ) -> Result<()> {
        self.inner
            .delete_with_repayments(owner, id, expected_version)
            .await
    }
}

impl RepaymentRepository for Counting {
    async fn get(&self, owner: &UserId, id: &RepaymentId) -> Result<Repayment> {
        RepaymentRepository::get(&self.inner, owner, id).await
    }
    async fn list_for_loan(&self, owner: &UserId, loan_id: &LoanId) -> Result<Vec<Repayment>> {
        self.repayment_reads.fetch_add(1, Ordering::SeqCst);
        self.inner.list_for_loan(owner, loan_id).await
    }
    async fn list_for_owner(&self, owner: &UserId) -> Result<Vec<Repayment>> {
        self.repayment_reads.fetch_add(1, Ordering::SeqCst);
        self.inner.list_for_owner(owner).await
    }
    async fn find_by_idempotency_key(
        &self,
        owner: &UserId,
        loan_id: &LoanId,
        key: &str,
    ) -> Result<Option<Repayment>> {
        self.inner
            .find_by_idempotency_key(owner, loan_id, key)
            .await
    }
}

impl LedgerStore for Counting {
    async fn loan_with_repayments(
        &self,
        owner: &UserId,
        id: &LoanId,
    ) -> Result<(Loan, Vec<Repayment>)> {
        self.repayment_reads.fetch_add(1, Ordering::SeqCst);
        self.inner.loan_with_repayments(owner, id).await
    }
    async fn record_repayment(
        &self,
        repayment: Repayment,
        loan: Loan,
        expected_version: u64,
    ) -> Result<Loan> {
        self.inner
            .record_repayment(repayment, loan, expected_version)
            .await
    }
    async fn replace_repayment(
        &self,
        repayment: Repayment,
        loan: Loan,
        expected_version: u64,
    ) -> Result<Loan> {
        self.inner
            .replace_repayment(repayment, loan, expected_version)
            .await
    }
    async fn remove_repayment(
        &self,
        owner: &UserId,
        id: &RepaymentId,
        loan: Loan,
        expected_version: u64,
    ) -> Result<Loan> {
        self.inner
            .remove_repayment(owner, id, loan, expected_version)
            .await
    }
}

type Service = LoanService<Counting, NoopNotifier, FixedClock, SequentialIds>;

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 31).unwrap()
}

fn day(n: u64) -> NaiveDate {
    start().checked_add_days(Days::new(n)).unwrap()
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(f)
}

/// The stored loan and its repayments must be exactly what a full replay gives, and so must
/// the outcome's position.
fn assert_as_full_replay(service: &Service, owner: &UserId, outcome: &RepaymentOutcome) {
    let store = &service.store().inner;
    let (loan, repayments) =
        block_on(store.loan_with_repayments(owner, outcome.loan.id())).unwrap();
    let paid: Vec<LedgerPayment> = repayments
        .iter()
        .map(|r| LedgerPayment {
            date: r.date,
            amount: r.amount,
        })
        .collect();
    let schedule = loan.terms().schedule().unwrap();
    let full = LedgerState::replay(loan.terms(), &schedule, &paid).unwrap();
    assert_eq!(loan.aggregates().ledger_checkpoint, Some(full.checkpoint()));
    let as_of = outcome.position.as_of;
    let position = ledger::position(loan.terms(), &paid, as_of).unwrap();
    assert_eq!(outcome.position, position);
    let mut expected = aggregates_from_position(&repayments, &position);
    expected.owner_status = loan.aggregates().owner_status;
    expected.ledger_checkpoint = Some(full.checkpoint());
    assert_eq!(loan.aggregates(), &expected);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    /// Appending in date order never reads the repayments and stores what a full replay
    /// stores; a back-dated repayment reads them once (full replay), and the appends after it
    /// are incremental again.
    #[test]
    fn appends_are_incremental_and_equal_a_full_replay(
        daily in any::<bool>(),
        reduce_payment in any::<bool>(),
        bp in 0u32..1500,
        gaps in prop::collection::vec((0u64..20, 1i64..60_000), 1..25),
        back in 1u64..60,
    ) {
        let today = day(2000);
        let service: Service = LoanService::new(
            Counting::default(),
            NoopNotifier,
            FixedClock::at_date(today),
            SequentialIds::new(),
        );
        let owner = UserId::new("ada").unwrap();
        let terms = LoanTerms::builder()
            .principal(Decimal::new(2_000_000, 2))
            .annual_rate(Rate::from_percent(Decimal::new(i64::from(bp), 2)).unwrap())
            .installments(24)
            .start(start())
            .accrual(if daily { Accrual::Daily } else { Accrual::Scheduled })
            .prepayment_policy(if reduce_payment {
                PrepaymentPolicy::ReducePayment
            } else {
                PrepaymentPolicy::ReduceTerm
            })
            .build()
            .unwrap();
        let loan = block_on(service.create_loan(&owner, NewLoan::new("Car", terms))).unwrap().loan;
        let mut date = start();
        let mut last = None;
        for (gap, cents) in gaps {
            date = date.checked_add_days(Days::new(gap)).unwrap();
            let before = service.store().reads();
            match block_on(service.record_repayment(&owner, loan.id(), NewRepayment::new(Decimal::new(cents, 2), date))) {
                Ok(outcome) => {
                    prop_assert_eq!(service.store().reads(), before, "an append read the repayments");
                    assert_as_full_replay(&service, &owner, &outcome);
                    last = Some(outcome);
                }
                Err(e) => prop_assert!(matches!(e, loansyncro_core::Error::Overpayment { .. }), "{e}"),
            }
        }
        let Some(last) = last else { return Ok(()) };
        // Back-dated: one read of the repayments (a full replay), same result.
        let earlier = last.repayment.date.checked_sub_days(Days::new(back)).unwrap().max(start());
        let before = service.store().reads();
        if let Ok(outcome) = block_on(service.record_repayment(&owner, loan.id(), NewRepayment::new(Decimal::new(1, 2), earlier))) {
            if earlier < last.repayment.date {
                prop_assert_eq!(service.store().reads(), before + 1);
            }
            assert_as_full_replay(&service, &owner, &outcome);
            // Deleting it replays too; the next append is incremental again.
            block_on(service.delete_repayment(&owner, &outcome.repayment.id)).unwrap();
            let before = service.store().reads();
            if let Ok(outcome) = block_on(service.record_repayment(&owner, loan.id(), NewRepayment::new(Decimal::new(1, 2), last.repayment.date))) {
                prop_assert_eq!(service.store().reads(), before);
                assert_as_full_replay(&service, &owner, &outcome);
            }
        }
    }
}
