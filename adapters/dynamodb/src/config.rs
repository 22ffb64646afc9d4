//! Where the tables are and how to reach them: table names (prefix or one name per table),
//! endpoint, region, credentials and retries; building the SDK client.

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use aws_sdk_dynamodb::config::Credentials;
use aws_sdk_dynamodb::Client;
use aws_smithy_http_client::tls;

use crate::counter::RequestCounter;

/// Environment variable with the endpoint of a local DynamoDB (e.g. `http://127.0.0.1:8000`).
/// When it is set, the adapter talks to that server with static dummy credentials.
pub const ENDPOINT_ENV: &str = "LOANSYNCRO_DYNAMODB_ENDPOINT";
/// Environment variable with a table-name prefix, e.g. `loansyncro-dev-`.
pub const PREFIX_ENV: &str = "LOANSYNCRO_TABLE_PREFIX";
/// Environment variables naming each table in full (override the prefix), as the original
/// Lambdas were configured.
pub const TABLE_ENVS: [&str; 3] = ["USERS_TABLE", "LOANS_TABLE", "REPAYMENTS_TABLE"];
/// The variable naming the recurring plans table (overrides the prefix).
pub const RECURRING_PLANS_TABLE_ENV: &str = "RECURRING_PLANS_TABLE";

/// Default number of attempts per request (first try included) for throttling and transient
/// errors; the SDK's standard mode backs off exponentially with full jitter, from
/// [`Timeouts::initial_backoff`] up to [`Timeouts::max_backoff`].
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;

/// How long one request may take, whatever DynamoDB does (gone, stalled, slow): the API
/// answers within its 3 s bound only if every store call is bounded too.
///
/// The defaults (connect 500 ms, attempt 800 ms, operation 1.5 s, backoff 25..250 ms) keep a
/// request with a dead or stalled DynamoDB under 1.5 s per call; DynamoDB itself answers in
/// milliseconds.
///
/// ```
/// let t = loansyncro_dynamodb::config::Timeouts::default();
/// assert!(t.operation <= std::time::Duration::from_millis(1_500));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Establishing a connection (TCP + TLS).
    pub connect: Duration,
    /// One attempt, from sending the request to reading the whole answer.
    pub attempt: Duration,
    /// One operation, every retry included.
    pub operation: Duration,
    /// The first retry waits up to this (full jitter).
    pub initial_backoff: Duration,
    /// No retry waits longer.
    pub max_backoff: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_millis(500),
            attempt: Duration::from_millis(800),
            operation: Duration::from_millis(1_500),
            initial_backoff: Duration::from_millis(25),
            max_backoff: Duration::from_millis(250),
        }
    }
}

/// The names of the three tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableNames {
    /// Users: hash key `id`, GSI `email-index` (email).
    pub users: String,
    /// Loans: hash key `id`, GSI `user-id-index` (user_id).
    pub loans: String,
    /// Repayments: hash key `id`, GSI `loan-id-index` (loan_id).
    pub repayments: String,
    /// Recurring repayment plans: hash key `id`, GSIs `loan-id-index` (loan_id) and
    /// `due-index` (due_shard, due_key).
    pub recurring_plans: String,
}

impl TableNames {
    /// `users`, `loans`, `repayments` with `prefix` in front (may be empty).
    ///
    /// ```
    /// let t = loansyncro_dynamodb::TableNames::with_prefix("loansyncro-dev-");
    /// assert_eq!(t.loans, "loansyncro-dev-loans");
    /// ```
    pub fn with_prefix(prefix: &str) -> TableNames {
        TableNames {
            users: format!("{prefix}users"),
            loans: format!("{prefix}loans"),
            repayments: format!("{prefix}repayments"),
            recurring_plans: format!("{prefix}recurring_plans"),
        }
    }

    /// From the environment: `LOANSYNCRO_TABLE_PREFIX` (default none), then `USERS_TABLE`,
    /// `LOANS_TABLE`, `REPAYMENTS_TABLE` override single names.
    pub fn from_env() -> TableNames {
        let prefix = std::env::var(PREFIX_ENV).unwrap_or_default();
        let mut names = TableNames::with_prefix(&prefix);
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        if let Some(v) = var(TABLE_ENVS[0]) {
            names.users = v;
        }
        if let Some(v) = var(TABLE_ENVS[1]) {
            names.loans = v;
        }
        if let Some(v) = var(TABLE_ENVS[2]) {
            names.repayments = v;
        }
        if let Some(v) = var(RECURRING_PLANS_TABLE_ENV) {
            names.recurring_plans = v;
        }
        names
    }
}

impl Default for TableNames {
    fn default() -> Self {
        TableNames::with_prefix("")
    }
}

/// How to reach DynamoDB.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DynamoConfig {
    /// The table names.
    pub tables: TableNames,
    /// A custom endpoint (DynamoDB Local); `None` for AWS.
    pub endpoint_url: Option<String>,
    /// The region; `None` takes it from the environment (`AWS_REGION`, profile), or
    /// `us-east-1` with a custom endpoint.
    pub region: Option<String>,
    /// Static credentials `(access key id, secret)`; `None` uses the default chain
    /// (environment, profile, web identity, container, instance metadata).
    pub static_credentials: Option<(String, String)>,
    /// Attempts per request for throttling and transient errors.
    pub max_attempts: u32,
    /// Connect, attempt and operation timeouts and the retry backoff.
    pub timeouts: Timeouts,
}

impl DynamoConfig {
    /// AWS with the default region and credential chains and the given tables.
    pub fn aws(tables: TableNames) -> DynamoConfig {
        DynamoConfig {
            tables,
            endpoint_url: None,
            region: None,
            static_credentials: None,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            timeouts: Timeouts::default(),
        }
    }

    /// A local server (DynamoDB Local) at `endpoint`, region `us-east-1`, dummy credentials.
    pub fn local(endpoint: impl Into<String>, tables: TableNames) -> DynamoConfig {
        DynamoConfig {
            tables,
            endpoint_url: Some(endpoint.into()),
            region: Some("us-east-1".to_owned()),
            static_credentials: Some(("local".to_owned(), "local".to_owned())),
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            timeouts: Timeouts::default(),
        }
    }

    /// From the environment: a local server if `LOANSYNCRO_DYNAMODB_ENDPOINT` is set, AWS
    /// otherwise; table names from [`TableNames::from_env`].
    pub fn from_env() -> DynamoConfig {
        let tables = TableNames::from_env();
        match local_endpoint() {
            Some(endpoint) => DynamoConfig::local(endpoint, tables),
            None => DynamoConfig::aws(tables),
        }
    }

    /// Where requests go, for messages.
    pub fn describe_endpoint(&self) -> String {
        match (&self.endpoint_url, &self.region) {
            (Some(url), _) => url.clone(),
            (None, Some(region)) => format!("AWS DynamoDB in {region}"),
            (None, None) => "AWS DynamoDB (region from the environment)".to_owned(),
        }
    }
}

/// The value of `LOANSYNCRO_DYNAMODB_ENDPOINT`, if set and not blank.
pub fn local_endpoint() -> Option<String> {
    std::env::var(ENDPOINT_ENV)
        .ok()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// Builds the SDK client: hyper 1 + rustls (ring) as the HTTP client, the SDK's standard
/// retry mode, and `counter` as an interceptor that counts every request sent.
pub async fn build_client(config: &DynamoConfig, counter: &RequestCounter) -> Client {
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http)
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(config.max_attempts.max(1))
                .with_initial_backoff(config.timeouts.initial_backoff)
                .with_max_backoff(config.timeouts.max_backoff),
        )
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(config.timeouts.connect)
                .operation_attempt_timeout(config.timeouts.attempt)
                .operation_timeout(config.timeouts.operation)
                .build(),
        );
    if let Some(region) = &config.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(endpoint) = &config.endpoint_url {
        loader = loader.endpoint_url(endpoint.clone());
    }
    if let Some((id, secret)) = &config.static_credentials {
        loader = loader.credentials_provider(Credentials::new(
            id.clone(),
            secret.clone(),
            None,
            None,
            "loansyncro-static",
        ));
    }
    let shared = loader.load().await;
    let sdk_config = aws_sdk_dynamodb::config::Builder::from(&shared)
        .interceptor(counter.clone())
        .build();
    Client::from_conf(sdk_config)
}
