//! # LoanSyncro HTTP API
//!
//! One axum [`Router`] over [`LoanService`], served by the two Lambda binaries
//! (`lambda_http::run`), by the local server (`axum::serve`) and by in-process tests
//! (`tower::ServiceExt::oneshot`). Handlers only translate: parse the request, call the service
//! with the authenticated user's id, map the result or the error.
//!
//! * [`auth`]: Cognito JWT verification (RS256 against the pool's JWKS).
//! * [`extract`]: JSON bodies (415/413/400 naming the field), exact amounts, `If-Match`.
//! * [`error`]: the one error shape `{"error": {"code", "message", "field"}}`.
//! * [`dto`]: the wire forms; [`schema`]: the schemas of the core values they carry;
//!   [`openapi`]: the OpenAPI 3.1 document of exactly these routes, generated from both.
//! * [`config`]: settings from the environment (Lambda and local server).

use std::collections::HashSet;
use std::fmt;
use std::sync::{Arc, Mutex};

use axum::Router;
use chrono::{DateTime, NaiveDate, Utc};
use loansyncro_core::app::ports::CorrectionStore;
use loansyncro_core::app::ports::RecurringPlanRepository;
use loansyncro_core::app::ports::{Clock, IdGenerator, LedgerStore, Notifier, UserRepository};
use loansyncro_core::app::service::LoanService;
use loansyncro_core::domain::user::UserId;

pub mod auth;
pub mod batch;
pub mod biweekly;
#[cfg(feature = "aws")]
pub mod bootstrap;
pub mod config;
pub mod corrections;
pub mod dto;
pub mod error;
pub mod exports;
pub mod extract;
pub mod middleware;
pub mod openapi;
mod patch;
mod planning;
mod postings;
mod quotes;
pub mod reconcile;
pub mod recurring;
mod routes;
pub mod schema;
pub mod timeline;
pub mod wire;

pub use auth::{AuthConfig, AuthError, Authenticator, Identity};
pub use config::{ApiConfig, ConfigError, CorsOrigins};
pub use error::{ApiError, ApiResult};
pub use routes::Routes;

/// A clock behind a trait object, so the router is generic over the store and notifier only.
#[derive(Clone)]
pub struct DynClock(pub Arc<dyn Clock>);

impl fmt::Debug for DynClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DynClock")
    }
}

impl Clock for DynClock {
    fn now(&self) -> DateTime<Utc> {
        self.0.now()
    }
    fn today(&self) -> NaiveDate {
        self.0.today()
    }
}

/// An id generator behind a trait object.
#[derive(Clone)]
pub struct DynIds(pub Arc<dyn IdGenerator>);

impl fmt::Debug for DynIds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DynIds")
    }
}

impl IdGenerator for DynIds {
    fn new_id(&self, prefix: &str) -> String {
        self.0.new_id(prefix)
    }
}

/// Random ids: `loan_<32 hex digits>` (UUID v4).
#[derive(Debug, Clone, Copy, Default)]
pub struct RandomIds;

impl IdGenerator for RandomIds {
    fn new_id(&self, prefix: &str) -> String {
        format!("{prefix}_{}", uuid::Uuid::new_v4().simple())
    }
}

/// The service type the router drives.
pub type Service<S, N> = LoanService<S, N, DynClock, DynIds>;

/// Everything a store must be to serve the API.
pub trait Store:
    LedgerStore + UserRepository + RecurringPlanRepository + CorrectionStore + 'static
{
}
impl<T: LedgerStore + UserRepository + RecurringPlanRepository + CorrectionStore + 'static> Store
    for T
{
}

/// Everything a notifier must be to serve the API.
pub trait Notify: Notifier + 'static {}
impl<T: Notifier + 'static> Notify for T {}

/// The router's state: the service and the authenticator, built once per cold start.
pub struct App<S, N> {
    /// The use cases.
    pub service: Arc<Service<S, N>>,
    /// Bearer token verification.
    pub auth: Arc<Authenticator>,
    /// Settings (CORS, which routes).
    pub config: Arc<ApiConfig>,
    seen: Arc<Mutex<HashSet<UserId>>>,
}

impl<S, N> Clone for App<S, N> {
    fn clone(&self) -> Self {
        App {
            service: Arc::clone(&self.service),
            auth: Arc::clone(&self.auth),
            config: Arc::clone(&self.config),
            seen: Arc::clone(&self.seen),
        }
    }
}

impl<S, N> fmt::Debug for App<S, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("App")
            .field("auth", &self.auth)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl<S: Store, N: Notify> App<S, N> {
    /// State over a service.
    pub fn new(service: Service<S, N>, auth: Authenticator, config: ApiConfig) -> App<S, N> {
        App {
            service: Arc::new(service),
            auth: Arc::new(auth),
            config: Arc::new(config),
            seen: Arc::new(Mutex::new(HashSet::new())),
        }
    }

    /// The service over `store` and `notifier` with the system clock and random ids.
    pub fn service(store: S, notifier: N) -> Service<S, N> {
        LoanService::new(
            store,
            notifier,
            DynClock(Arc::new(loansyncro_core::app::ports::SystemClock)),
            DynIds(Arc::new(RandomIds)),
        )
    }

    /// Whether the profile of `user` was synced by this process already (and marks it).
    pub(crate) fn first_sight(&self, user: &UserId) -> bool {
        let seen = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        !seen.contains(user)
    }

    pub(crate) fn mark_seen(&self, user: UserId) {
        self.seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(user);
    }

    /// The router with every route of `routes`, CORS, request ids and access logs.
    pub fn router(self, routes: Routes) -> Router {
        routes::router(self, routes)
    }
}

/// Installs the JSON log subscriber (once; later calls do nothing). `RUST_LOG` filters
/// (default `info`).
pub fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        .with_current_span(false)
        .with_span_list(false)
        .with_target(true)
        .with_env_filter(filter)
        .try_init();
}
