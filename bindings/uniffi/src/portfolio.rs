//! The portfolio: loans and repayments of one owner kept in memory or in a SQLite file, with
//! positions, the dashboard summary per currency, repayments grouped by loan and the payoff
//! planner. Wraps the synchronous facade `loansyncro_memory::embedded::Tracker` (the core's
//! service over the memory or the SQLite store); translation only.

use std::sync::Arc;
use std::time::SystemTime;

use chrono::NaiveDate;
use loansyncro_core as core;
use loansyncro_core::app::ports::LoanQuery;
use loansyncro_core::app::service::RepaymentFilter;
use loansyncro_core::domain::loan::LoanId;
use loansyncro_core::domain::repayment::RepaymentId;
use loansyncro_core::domain::status as core_status;
use loansyncro_core::domain::status::TransitionReason as CoreReason;
use loansyncro_core::domain::user::UserId;
use loansyncro_memory::embedded::Tracker;
use rust_decimal::Decimal;

use crate::planner::{PlanResult, Strategy};
use crate::terms::{LoanTerms, LoanTermsInput, Position};
use crate::types::{currency, mirror_enum};
use crate::FfiResult;

/// A loan's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum LoanStatus {
    /// Being repaid.
    Active,
    /// Fully repaid.
    Paid,
    /// In default.
    Defaulted,
}
mirror_enum!(LoanStatus <=> core_status::LoanStatus { Active, Paid, Defaulted });

/// Why a status changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum TransitionReason {
    /// The position closed.
    Closed,
    /// A repayment was removed or edited and a balance reappeared.
    BalanceReappeared,
    /// The owner declared the loan defaulted.
    DefaultedByOwner,
    /// Days past due exceeded the policy's threshold.
    PastDueThreshold {
        /// Days past due at the time.
        days_past_due: u32,
    },
    /// The arrears were cleared.
    Cured,
}

impl From<CoreReason> for TransitionReason {
    fn from(r: CoreReason) -> Self {
        match r {
            CoreReason::Closed => Self::Closed,
            CoreReason::BalanceReappeared => Self::BalanceReappeared,
            CoreReason::DefaultedByOwner => Self::DefaultedByOwner,
            CoreReason::PastDueThreshold { days_past_due } => {
                Self::PastDueThreshold { days_past_due }
            }
            CoreReason::Cured => Self::Cured,
        }
    }
}

/// A status transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct StatusChange {
    /// Status before.
    pub from: LoanStatus,
    /// Status after.
    pub to: LoanStatus,
    /// Why.
    pub reason: TransitionReason,
}

impl From<core::app::service::StatusChange> for StatusChange {
    fn from(c: core::app::service::StatusChange) -> Self {
        StatusChange {
            from: c.from.into(),
            to: c.to.into(),
            reason: c.reason.into(),
        }
    }
}

/// What the stored loan knows about its repayments.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LoanAggregates {
    /// Σ repayments.
    pub total_repaid: Decimal,
    /// Number of repayments.
    pub repayment_count: u32,
    /// Date of the latest repayment.
    pub last_payment_date: Option<NaiveDate>,
    /// Date the position figures below were taken on.
    pub position_as_of: Option<NaiveDate>,
    /// Principal repaid.
    pub principal_paid: Decimal,
    /// Interest paid.
    pub interest_paid: Decimal,
    /// Principal outstanding.
    pub principal_outstanding: Decimal,
    /// Arrears.
    pub amount_due: Decimal,
    /// Payoff amount.
    pub payoff_amount: Decimal,
    /// Remaining scheduled amount.
    pub remaining_scheduled: Decimal,
}

/// A stored loan.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Loan {
    /// Id.
    pub id: String,
    /// Owner's user id.
    pub owner: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// The terms, every default spelled out.
    pub terms: LoanTermsInput,
    /// Status.
    pub status: LoanStatus,
    /// Optimistic-concurrency version.
    pub version: u64,
    /// Created at.
    pub created_at: SystemTime,
    /// Updated at.
    pub updated_at: SystemTime,
    /// Repayment aggregates.
    pub aggregates: LoanAggregates,
}

impl From<core::domain::loan::Loan> for Loan {
    fn from(l: core::domain::loan::Loan) -> Self {
        let a = l.aggregates();
        Loan {
            id: l.id().to_string(),
            owner: l.owner().to_string(),
            title: l.title().to_owned(),
            description: l.description().to_owned(),
            terms: LoanTerms::input_of(l.terms()),
            status: l.status().into(),
            version: l.version(),
            created_at: l.created_at().into(),
            updated_at: l.updated_at().into(),
            aggregates: LoanAggregates {
                total_repaid: a.total_repaid,
                repayment_count: a.repayment_count,
                last_payment_date: a.last_payment_date,
                position_as_of: a.position_as_of,
                principal_paid: a.principal_paid,
                interest_paid: a.interest_paid,
                principal_outstanding: a.principal_outstanding,
                amount_due: a.amount_due,
                payoff_amount: a.payoff_amount,
                remaining_scheduled: a.remaining_scheduled,
            },
        }
    }
}

/// A loan with its derived figures.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LoanView {
    /// The loan.
    pub loan: Loan,
    /// The scheduled installment (the "monthly payment").
    pub installment: Decimal,
    /// Σ scheduled installments.
    pub total_scheduled: Decimal,
    /// Σ scheduled interest.
    pub total_interest: Decimal,
}

impl From<core::app::service::LoanView> for LoanView {
    fn from(v: core::app::service::LoanView) -> Self {
        LoanView {
            loan: v.loan.into(),
            installment: v.installment,
            total_scheduled: v.total_scheduled,
            total_interest: v.total_interest,
        }
    }
}

/// A page of loans.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LoanPage {
    /// The loans.
    pub items: Vec<LoanView>,
    /// Pass to the next query to continue, none at the end.
    pub next_cursor: Option<String>,
}

/// Which loans to list.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LoanQueryInput {
    /// Case-insensitive search in title and description.
    #[uniffi(default = None)]
    pub search: Option<String>,
    /// Page size (none: the core's default).
    #[uniffi(default = None)]
    pub limit: Option<u32>,
    /// Cursor from the previous page.
    #[uniffi(default = None)]
    pub cursor: Option<String>,
}

/// A new loan (or the new version of one).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewLoan {
    /// Title.
    pub title: String,
    /// The terms.
    pub terms: LoanTermsInput,
    /// Description.
    #[uniffi(default = "")]
    pub description: String,
}

impl NewLoan {
    fn to_core(&self) -> FfiResult<core::domain::loan::NewLoan> {
        Ok(core::domain::loan::NewLoan {
            title: self.title.clone(),
            description: self.description.clone(),
            terms: self.terms.to_core()?.build()?,
        })
    }
}

/// A new repayment.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewRepayment {
    /// Amount paid.
    pub amount: Decimal,
    /// Date paid.
    pub date: NaiveDate,
    /// Notes.
    #[uniffi(default = "")]
    pub notes: String,
    /// A retry with the same key returns the first result.
    #[uniffi(default = None)]
    pub idempotency_key: Option<String>,
}

impl From<NewRepayment> for core::domain::repayment::NewRepayment {
    fn from(r: NewRepayment) -> Self {
        core::domain::repayment::NewRepayment {
            amount: r.amount,
            date: r.date,
            notes: r.notes,
            idempotency_key: r.idempotency_key,
        }
    }
}

/// A stored repayment.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Repayment {
    /// Id.
    pub id: String,
    /// The loan.
    pub loan_id: String,
    /// Owner's user id.
    pub owner: String,
    /// Amount.
    pub amount: Decimal,
    /// Date paid.
    pub date: NaiveDate,
    /// Notes.
    pub notes: String,
    /// Idempotency key.
    pub idempotency_key: Option<String>,
    /// Recorded at.
    pub created_at: SystemTime,
}

impl From<core::domain::repayment::Repayment> for Repayment {
    fn from(r: core::domain::repayment::Repayment) -> Self {
        Repayment {
            id: r.id.to_string(),
            loan_id: r.loan_id.to_string(),
            owner: r.owner.to_string(),
            amount: r.amount,
            date: r.date,
            notes: r.notes,
            idempotency_key: r.idempotency_key,
            created_at: r.created_at.into(),
        }
    }
}

/// The result of recording or editing a repayment.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RepaymentOutcome {
    /// The repayment.
    pub repayment: Repayment,
    /// The loan after it.
    pub loan: Loan,
    /// The loan's position.
    pub position: Position,
    /// A status change, if any.
    pub transition: Option<StatusChange>,
    /// True when an idempotent retry returned the first result.
    pub replayed: bool,
}

/// The result of a change to a loan's ledger.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LedgerOutcome {
    /// The loan after the change.
    pub loan: Loan,
    /// Its position.
    pub position: Position,
    /// A status change, if any.
    pub transition: Option<StatusChange>,
}

impl From<core::app::service::LedgerOutcome> for LedgerOutcome {
    fn from(o: core::app::service::LedgerOutcome) -> Self {
        LedgerOutcome {
            loan: o.loan.into(),
            position: o.position.into(),
            transition: o.transition.map(Into::into),
        }
    }
}

/// The result of a status change by the owner.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct StatusUpdate {
    /// The loan after it.
    pub loan: Loan,
    /// The change.
    pub change: StatusChange,
}

/// A loan's repayments with its figures.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LoanRepayments {
    /// The loan.
    pub loan_id: String,
    /// Its title.
    pub title: String,
    /// ISO 4217 code.
    pub currency: String,
    /// Its status.
    pub status: LoanStatus,
    /// Principal.
    pub principal: Decimal,
    /// Repayments.
    pub repayments: Vec<Repayment>,
    /// Σ repayments.
    pub total_repaid: Decimal,
    /// Number of repayments.
    pub repayment_count: u32,
    /// Latest repayment date.
    pub last_payment_date: Option<NaiveDate>,
    /// Remaining balance.
    pub remaining_balance: Decimal,
    /// Progress 0..=1.
    pub progress: Decimal,
}

/// Loans counted by status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct StatusCounts {
    /// Active loans.
    pub active: u32,
    /// Paid loans.
    pub paid: u32,
    /// Defaulted loans.
    pub defaulted: u32,
}

/// The dashboard figures of one currency.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CurrencySummary {
    /// ISO 4217 code.
    pub currency: String,
    /// Loans by status.
    pub counts: StatusCounts,
    /// Σ principal.
    pub total_borrowed: Decimal,
    /// Σ repayments.
    pub total_repaid: Decimal,
    /// Principal repaid.
    pub principal_repaid: Decimal,
    /// Interest paid.
    pub interest_paid: Decimal,
    /// Principal outstanding.
    pub principal_outstanding: Decimal,
    /// Payoff today.
    pub outstanding_payoff: Decimal,
    /// Remaining scheduled amount.
    pub remaining_scheduled: Decimal,
    /// Arrears.
    pub amount_due: Decimal,
    /// Number of repayments.
    pub repayment_count: u64,
}

/// The dashboard: one entry per currency, sorted by code.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PortfolioSummary {
    /// Per-currency figures.
    pub currencies: Vec<CurrencySummary>,
}

impl From<core::domain::portfolio::PortfolioSummary> for PortfolioSummary {
    fn from(s: core::domain::portfolio::PortfolioSummary) -> Self {
        PortfolioSummary {
            currencies: s
                .currencies
                .into_iter()
                .map(|c| CurrencySummary {
                    currency: c.currency.code().to_owned(),
                    counts: StatusCounts {
                        active: c.counts.active,
                        paid: c.counts.paid,
                        defaulted: c.counts.defaulted,
                    },
                    total_borrowed: c.total_borrowed,
                    total_repaid: c.total_repaid,
                    principal_repaid: c.principal_repaid,
                    interest_paid: c.interest_paid,
                    principal_outstanding: c.principal_outstanding,
                    outstanding_payoff: c.outstanding_payoff,
                    remaining_scheduled: c.remaining_scheduled,
                    amount_due: c.amount_due,
                    repayment_count: c.repayment_count,
                })
                .collect(),
        }
    }
}

/// What the payoff planner needs besides the owner's loans.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PlanRequest {
    /// Only unpaid loans in this currency are planned.
    pub currency: String,
    /// Money available every month.
    pub monthly_budget: Decimal,
    /// Avalanche, snowball or a custom order of loan ids.
    pub strategy: Strategy,
    /// Date of the first month's payment (none: today).
    #[uniffi(default = None)]
    pub start: Option<NaiveDate>,
}

/// A user's profile.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct User {
    /// User id.
    pub id: String,
    /// E-mail.
    pub email: String,
    /// Full name.
    pub full_name: String,
    /// Created at.
    pub created_at: SystemTime,
}

/// One owner's loans and repayments, in memory (`Portfolio(owner, today)`) or in a SQLite
/// file (`Portfolio.open(path, owner, today)`), with a settable clock ("today").
#[derive(Debug, uniffi::Object)]
pub struct Portfolio {
    tracker: Tracker,
    owner: UserId,
    /// The SQLite file, `None` in memory.
    path: Option<String>,
}

fn loan_id(id: &str) -> FfiResult<LoanId> {
    Ok(LoanId::new(id)?)
}

fn repayment_id(id: &str) -> FfiResult<RepaymentId> {
    Ok(RepaymentId::new(id)?)
}

#[uniffi::export]
impl Portfolio {
    /// An empty portfolio of `owner` (a user id) whose clock stands at midnight UTC of `today`,
    /// or at the system time when `today` is none.
    #[uniffi::constructor]
    pub fn new(owner: String, today: Option<NaiveDate>) -> FfiResult<Arc<Self>> {
        let owner = UserId::new(owner)?;
        let tracker = match today {
            Some(date) => Tracker::at_date(date),
            None => Tracker::new(),
        };
        Ok(Arc::new(Portfolio {
            tracker,
            owner,
            path: None,
        }))
    }

    /// The portfolio of `owner` kept in the SQLite file at `path` (created if absent, its
    /// schema migrated if older), clock at midnight UTC of `today` or at the system time. Every
    /// write is in the file when the call returns: an app that opens the same file after a
    /// restart finds everything. A file that cannot be opened or is not a LoanSyncro file is a
    /// `Storage` error.
    #[uniffi::constructor]
    pub fn open(path: String, owner: String, today: Option<NaiveDate>) -> FfiResult<Arc<Self>> {
        let owner = UserId::new(owner)?;
        let tracker = match today {
            Some(date) => Tracker::open_at(&path, date.and_time(chrono::NaiveTime::MIN).and_utc())?,
            None => Tracker::open(&path)?,
        };
        Ok(Arc::new(Portfolio {
            tracker,
            owner,
            path: Some(path),
        }))
    }

    /// The SQLite file of the portfolio, or none when it lives in memory.
    pub fn path(&self) -> Option<String> {
        self.path.clone()
    }

    /// The owner's user id.
    pub fn owner(&self) -> String {
        self.owner.to_string()
    }

    /// The portfolio's current date (UTC).
    pub fn today(&self) -> NaiveDate {
        self.tracker.today()
    }

    /// Moves the clock to midnight UTC of `today`.
    pub fn set_today(&self, today: NaiveDate) {
        self.tracker.set_today(today);
    }

    /// Stores the owner's profile.
    pub fn sync_user(&self, email: String, full_name: String) -> FfiResult<User> {
        let u = self.tracker.sync_user(&self.owner, &email, &full_name)?;
        Ok(User {
            id: u.id.to_string(),
            email: u.email,
            full_name: u.full_name,
            created_at: u.created_at.into(),
        })
    }

    /// Creates a loan.
    pub fn create_loan(&self, loan: NewLoan) -> FfiResult<LoanView> {
        Ok(self
            .tracker
            .create_loan(&self.owner, loan.to_core()?)?
            .into())
    }

    /// A loan by id.
    pub fn get_loan(&self, id: String) -> FfiResult<LoanView> {
        Ok(self.tracker.get_loan(&self.owner, &loan_id(&id)?)?.into())
    }

    /// A page of loans.
    pub fn list_loans(&self, query: LoanQueryInput) -> FfiResult<LoanPage> {
        let defaults = LoanQuery::default();
        let q = LoanQuery {
            search: query.search,
            limit: query.limit.unwrap_or(defaults.limit),
            cursor: query.cursor,
        };
        let page = self.tracker.list_loans(&self.owner, &q)?;
        Ok(LoanPage {
            items: page.items.into_iter().map(Into::into).collect(),
            next_cursor: page.next_cursor,
        })
    }

    /// Replaces a loan's title, description and terms (version-checked); its repayments are
    /// replayed against the new terms.
    pub fn update_loan(
        &self,
        id: String,
        loan: NewLoan,
        expected_version: u64,
    ) -> FfiResult<LedgerOutcome> {
        let outcome = self.tracker.update_loan(
            &self.owner,
            &loan_id(&id)?,
            loan.to_core()?,
            expected_version,
        )?;
        Ok(outcome.into())
    }

    /// Deletes a loan and its repayments.
    pub fn delete_loan(&self, id: String) -> FfiResult<()> {
        Ok(self.tracker.delete_loan(&self.owner, &loan_id(&id)?)?)
    }

    /// Declares a loan defaulted.
    pub fn set_defaulted(&self, id: String) -> FfiResult<StatusUpdate> {
        let u = self.tracker.set_defaulted(&self.owner, &loan_id(&id)?)?;
        Ok(StatusUpdate {
            loan: u.loan.into(),
            change: u.change.into(),
        })
    }

    /// Cures a defaulted loan.
    pub fn cure(&self, id: String) -> FfiResult<StatusUpdate> {
        let u = self.tracker.cure(&self.owner, &loan_id(&id)?)?;
        Ok(StatusUpdate {
            loan: u.loan.into(),
            change: u.change.into(),
        })
    }

    /// Records a repayment of a loan.
    pub fn record_repayment(
        &self,
        loan_id: String,
        repayment: NewRepayment,
    ) -> FfiResult<RepaymentOutcome> {
        let o = self.tracker.record_repayment(
            &self.owner,
            &self::loan_id(&loan_id)?,
            repayment.into(),
        )?;
        Ok(outcome(o))
    }

    /// A repayment by id.
    pub fn get_repayment(&self, id: String) -> FfiResult<Repayment> {
        Ok(self
            .tracker
            .get_repayment(&self.owner, &repayment_id(&id)?)?
            .into())
    }

    /// Replaces a repayment's amount, date and notes.
    pub fn update_repayment(
        &self,
        id: String,
        repayment: NewRepayment,
    ) -> FfiResult<RepaymentOutcome> {
        let o =
            self.tracker
                .update_repayment(&self.owner, &repayment_id(&id)?, repayment.into())?;
        Ok(outcome(o))
    }

    /// Deletes a repayment.
    pub fn delete_repayment(&self, id: String) -> FfiResult<LedgerOutcome> {
        Ok(self
            .tracker
            .delete_repayment(&self.owner, &repayment_id(&id)?)?
            .into())
    }

    /// The owner's repayments, of one loan or (none) of all loans.
    pub fn list_repayments(&self, loan_id: Option<String>) -> FfiResult<Vec<Repayment>> {
        let filter = match loan_id {
            Some(id) => RepaymentFilter::Loan(self::loan_id(&id)?),
            None => RepaymentFilter::All,
        };
        let list = self.tracker.list_repayments(&self.owner, &filter)?;
        Ok(list.into_iter().map(Into::into).collect())
    }

    /// Repayments grouped by loan, optionally filtered by a search in the loan's title.
    pub fn grouped_repayments(&self, search: Option<String>) -> FfiResult<Vec<LoanRepayments>> {
        let groups = self
            .tracker
            .grouped_repayments(&self.owner, search.as_deref())?;
        Ok(groups
            .into_iter()
            .map(|g| LoanRepayments {
                loan_id: g.loan_id.to_string(),
                title: g.title,
                currency: g.currency.code().to_owned(),
                status: g.status.into(),
                principal: g.principal,
                repayments: g.repayments.into_iter().map(Into::into).collect(),
                total_repaid: g.total_repaid,
                repayment_count: g.repayment_count,
                last_payment_date: g.last_payment_date,
                remaining_balance: g.remaining_balance,
                progress: g.progress,
            })
            .collect())
    }

    /// A loan's position on `as_of` (none: today).
    pub fn position(&self, loan_id: String, as_of: Option<NaiveDate>) -> FfiResult<Position> {
        Ok(self
            .tracker
            .position(&self.owner, &self::loan_id(&loan_id)?, as_of)?
            .into())
    }

    /// The dashboard today.
    pub fn summary(&self) -> FfiResult<PortfolioSummary> {
        Ok(self.tracker.summary(&self.owner)?.into())
    }

    /// The dashboard on a date.
    pub fn summary_as_of(&self, as_of: NaiveDate) -> FfiResult<PortfolioSummary> {
        Ok(self.tracker.summary_as_of(&self.owner, as_of)?.into())
    }

    /// The payoff plan of the owner's unpaid loans in one currency.
    pub fn plan(&self, request: PlanRequest) -> FfiResult<PlanResult> {
        let request = core::app::service::PlanRequest {
            currency: currency(&request.currency)?,
            monthly_budget: request.monthly_budget,
            strategy: request.strategy.into(),
            start: request.start,
        };
        Ok(self.tracker.plan(&self.owner, &request)?.into())
    }
}

fn outcome(o: core::app::service::RepaymentOutcome) -> RepaymentOutcome {
    RepaymentOutcome {
        repayment: o.repayment.into(),
        loan: o.loan.into(),
        position: o.position.into(),
        transition: o.transition.map(Into::into),
        replayed: o.replayed,
    }
}
