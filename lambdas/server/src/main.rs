//! `loansyncro-server`: the API's router served locally on 127.0.0.1.
//!
//! ```text
//! cargo run -p loansyncro-server -- --dev-identity [--port 3000] [--dev-user alice]
//! ```
//!
//! * Storage: the in-memory store (the embedded default), or DynamoDB (feature `aws`) when
//!   `LOANSYNCRO_DYNAMODB_ENDPOINT` is set (tables created if missing), or as chosen by
//!   `--store memory|dynamodb|sqlite:PATH` (a SQLite file: the data survives restarts).
//! * Identity: the Cognito settings of the environment (`LOANSYNCRO_COGNITO_CLIENT_ID`, ...),
//!   or, only with `--dev-identity` (or `LOANSYNCRO_DEV_IDENTITY=1`), a development identity
//!   provider: a key generated at start-up, its JWKS at `/dev/.well-known/jwks.json`, a token
//!   printed for `--dev-user`, and more from `GET /dev/token?user=<id>`. That mode and its
//!   signing keys (`loansyncro-devkeys`) are compiled only with the `dev` feature, a default
//!   feature of this server; the Lambda binaries never depend on them.

#[cfg(feature = "dev")]
mod devauth;
mod devmode;
mod edges;
mod recurring;

use axum::Router;
#[cfg(feature = "aws")]
use loansyncro_api::bootstrap;
use loansyncro_api::config::process_env;
use loansyncro_api::{ApiConfig, App, Authenticator, Notify, Routes, Store};
use std::net::SocketAddr;

#[derive(Debug)]
struct Options {
    port: u16,
    dev_identity: bool,
    dev_user: String,
    token_file: Option<String>,
    store: StoreOption,
}

fn usage() -> ! {
    eprintln!(
        "usage: loansyncro-server [--port N] [--dev-identity] [--dev-user ID] [--token-file PATH]\n\
         \x20                        [--store memory|dynamodb|sqlite:PATH]\n\
         \x20                        [--recurring-every 1h]   (materialize recurring repayments)\n\
         \x20      loansyncro-server materialize --store sqlite:PATH|dynamodb [--as-of YYYY-MM-DD]\n\
         storage: memory, or DynamoDB when LOANSYNCRO_DYNAMODB_ENDPOINT is set, or --store"
    );
    std::process::exit(2)
}

fn options() -> Options {
    let mut o = Options {
        port: std::env::var("PORT")
            .ok()
            .and_then(|p| p.parse().ok())
            .unwrap_or(3000),
        dev_identity: std::env::var("LOANSYNCRO_DEV_IDENTITY")
            .is_ok_and(|v| v == "1" || v == "true"),
        dev_user: "dev-user".to_owned(),
        token_file: None,
        store: StoreOption::Default,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => {
                o.port = args
                    .next()
                    .and_then(|p| p.parse().ok())
                    .unwrap_or_else(|| usage())
            }
            "--dev-identity" => o.dev_identity = true,
            "--recurring-every" => recurring::set_period(
                args.next()
                    .and_then(|p| recurring::parse_period(&p))
                    .unwrap_or_else(|| usage()),
            ),
            "--dev-user" => o.dev_user = args.next().unwrap_or_else(|| usage()),
            "--token-file" => o.token_file = Some(args.next().unwrap_or_else(|| usage())),
            "--store" => {
                o.store = args
                    .next()
                    .and_then(|s| StoreOption::parse(&s))
                    .unwrap_or_else(|| usage())
            }
            _ => usage(),
        }
    }
    o
}

fn fail(message: impl std::fmt::Display) -> ! {
    eprintln!("loansyncro-server: {message}");
    std::process::exit(2)
}

#[tokio::main]
async fn main() {
    loansyncro_api::init_logging();
    if std::env::args().nth(1).as_deref() == Some("materialize") {
        recurring::command(std::env::args().skip(2)).await;
    }
    let o = options();
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], o.port)))
        .await
        .unwrap_or_else(|e| fail(format!("cannot listen on 127.0.0.1:{}: {e}", o.port)));
    let addr = listener
        .local_addr()
        .unwrap_or_else(|e| fail(format!("no local address: {e}")));
    let base = format!("http://{addr}");
    let env = process_env();
    let api = env.api_config().unwrap_or_else(|e| fail(e));

    let (auth, extra) = if o.dev_identity {
        devmode::identity(&base, &o.dev_user, o.token_file.as_deref())
    } else {
        let config = env.auth_config().unwrap_or_else(|e| {
            fail(format!(
                "{e}\n(or run with --dev-identity for the development identity provider)"
            ))
        });
        (Authenticator::new(config), Router::new())
    };

    #[cfg(feature = "aws")]
    let dynamodb = dynamodb_endpoint(&o.store);
    #[cfg(not(feature = "aws"))]
    let dynamodb: Option<std::convert::Infallible> = without_aws::refuse_aws_settings(&o.store);
    let router = match dynamodb {
        #[cfg(feature = "aws")]
        Some(endpoint) => {
            let config = bootstrap::dynamo_config_from_env(false).unwrap_or_else(|e| fail(e));
            let store = loansyncro_dynamodb::DynamoStore::connect(config).await;
            if let Err(e) = store.create_tables().await {
                eprintln!("note: create_tables: {e}");
            }
            println!("storage: DynamoDB at {endpoint}");
            build(store, auth, api).await
        }
        None => match &o.store {
            StoreOption::Sqlite(path) => sqlite_router(path, auth, api).await,
            _ => {
                println!("storage: in memory (data is lost on exit)");
                build(loansyncro_memory::MemoryStore::new(), auth, api).await
            }
        },
    };
    let router = extra.merge(router);
    println!("listening on {base}");
    edges::serve(listener, router, edges::Limits::default(), async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await;
}

#[cfg(feature = "aws")]
async fn build<S: Store>(store: S, auth: Authenticator, api: ApiConfig) -> Router {
    let notifier = bootstrap::notifier_from_env().await;
    router_for(store, notifier, auth, api)
}

#[cfg(not(feature = "aws"))]
async fn build<S: Store>(store: S, auth: Authenticator, api: ApiConfig) -> Router {
    router_for(store, loansyncro_core::app::ports::NoopNotifier, auth, api)
}

/// Built without the `aws` feature (the default): no DynamoDB, no SNS. Their settings in the
/// environment are refused with the command that enables them, never silently ignored.
#[cfg(not(feature = "aws"))]
mod without_aws {
    /// No DynamoDB endpoint (`None`), or exits naming the AWS variable that is set.
    pub(crate) fn refuse_aws_settings(
        store: &super::StoreOption,
    ) -> Option<std::convert::Infallible> {
        use super::StoreOption;
        if matches!(store, StoreOption::DynamoDb) {
            super::fail(
                "--store dynamodb needs the `aws` feature: \
                 cargo run -p loansyncro-server --features aws",
            );
        }
        // The endpoint chooses DynamoDB only without `--store`; a topic would be ignored always.
        let endpoint_decides = matches!(store, StoreOption::Default);
        for var in [
            "LOANSYNCRO_DYNAMODB_ENDPOINT",
            loansyncro_api::config::SNS_TOPIC_ENV,
        ] {
            if var == "LOANSYNCRO_DYNAMODB_ENDPOINT" && !endpoint_decides {
                continue;
            }
            if std::env::var(var).is_ok_and(|v| !v.trim().is_empty()) {
                super::fail(format!(
                    "{var} is set, but this server was built without DynamoDB and SNS; \
                     run it with `cargo run -p loansyncro-server --features aws`"
                ));
            }
        }
        None
    }
}

fn router_for<S: Store, N: Notify>(
    store: S,
    notifier: N,
    auth: Authenticator,
    api: ApiConfig,
) -> Router {
    let app = App::new(App::service(store, notifier), auth, api);
    recurring::start(&app);
    app.router(Routes::All)
}

/// The `--store` choice.
#[derive(Debug, Clone, PartialEq, Eq)]
enum StoreOption {
    /// No `--store`: DynamoDB when `LOANSYNCRO_DYNAMODB_ENDPOINT` is set, else memory.
    Default,
    /// `--store memory`.
    Memory,
    /// `--store dynamodb`: DynamoDB at `LOANSYNCRO_DYNAMODB_ENDPOINT` (required).
    DynamoDb,
    /// `--store sqlite:PATH`: the SQLite file at PATH (created if absent).
    Sqlite(std::path::PathBuf),
}

impl StoreOption {
    /// Parses a `--store` value; `None` when it is none of the forms above.
    fn parse(text: &str) -> Option<StoreOption> {
        match text {
            "memory" => Some(StoreOption::Memory),
            "dynamodb" => Some(StoreOption::DynamoDb),
            _ => match text.strip_prefix("sqlite:") {
                Some(path) if !path.is_empty() => Some(StoreOption::Sqlite(path.into())),
                _ => None,
            },
        }
    }
}

#[cfg(feature = "aws")]
/// The DynamoDB endpoint to use, if the store is DynamoDB: only without `--store` or with
/// `--store dynamodb` (which then requires the endpoint).
fn dynamodb_endpoint(store: &StoreOption) -> Option<String> {
    match store {
        StoreOption::Default => loansyncro_dynamodb::config::local_endpoint(),
        StoreOption::DynamoDb => Some(
            loansyncro_dynamodb::config::local_endpoint()
                .unwrap_or_else(|| fail("--store dynamodb needs LOANSYNCRO_DYNAMODB_ENDPOINT")),
        ),
        StoreOption::Memory | StoreOption::Sqlite(_) => None,
    }
}

/// The router on the SQLite file at `path` (created if absent, migrated if older). Each port
/// call does its file I/O synchronously on the request's worker thread: fine for a local
/// server (a call takes microseconds to milliseconds).
async fn sqlite_router(path: &std::path::Path, auth: Authenticator, api: ApiConfig) -> Router {
    let store = loansyncro_sqlite::SqliteStore::open(path)
        .unwrap_or_else(|e| fail(format!("{}: {e}", path.display())));
    println!(
        "storage: SQLite file {} (schema version {})",
        path.display(),
        store.schema_version().unwrap_or_default()
    );
    build(store, auth, api).await
}
