//! Building the adapters from the environment, once per cold start (feature `aws`): DynamoDB
//! for storage, SNS for notifications (when `LOANSYNCRO_SNS_TOPIC_ARN` is set).

use loansyncro_core::app::ports::{NoopNotifier, Notification, Notifier};
use loansyncro_core::Error;
use loansyncro_dynamodb::{DynamoConfig, DynamoStore, PREFIX_ENV};
use loansyncro_sns::SnsNotifier;

use crate::config::{process_env, ConfigError};
use crate::{init_logging, App, Authenticator, Routes};

/// Variable: a local SNS endpoint (moto), for tests.
pub const SNS_ENDPOINT_ENV: &str = "LOANSYNCRO_SNS_ENDPOINT";

/// SNS when configured, else nothing.
#[derive(Debug, Clone)]
pub enum AnyNotifier {
    /// Notifications off.
    Off(NoopNotifier),
    /// Published on SNS.
    Sns(SnsNotifier),
}

impl Notifier for AnyNotifier {
    async fn notify(&self, notification: Notification) -> Result<(), Error> {
        match self {
            AnyNotifier::Off(n) => n.notify(notification).await,
            AnyNotifier::Sns(n) => n.notify(notification).await,
        }
    }
}

/// The notifier the environment asks for.
pub async fn notifier_from_env() -> AnyNotifier {
    let env = process_env();
    match env.sns_topic() {
        Some(topic) => {
            let endpoint = std::env::var(SNS_ENDPOINT_ENV)
                .ok()
                .filter(|v| !v.trim().is_empty());
            let client = loansyncro_sns::client(endpoint.as_deref(), None).await;
            tracing::info!("notifications on SNS");
            AnyNotifier::Sns(SnsNotifier::new(client, topic))
        }
        None => {
            tracing::info!("LOANSYNCRO_SNS_TOPIC_ARN not set: notifications off");
            AnyNotifier::Off(NoopNotifier)
        }
    }
}

/// The DynamoDB settings; in Lambda the table names must be configured explicitly.
pub fn dynamo_config_from_env(require_tables: bool) -> Result<DynamoConfig, ConfigError> {
    let set = |name: &str| std::env::var(name).is_ok_and(|v| !v.trim().is_empty());
    if require_tables
        && !set(PREFIX_ENV)
        && !(set("USERS_TABLE") && set("LOANS_TABLE") && set("REPAYMENTS_TABLE"))
    {
        return Err(ConfigError::Missing {
            var: "LOANS_TABLE",
            purpose: "with USERS_TABLE and REPAYMENTS_TABLE, the DynamoDB table names; or set LOANSYNCRO_TABLE_PREFIX",
        });
    }
    Ok(DynamoConfig::from_env())
}

/// The router of a Lambda function: configuration from the environment (a missing variable
/// is one error naming it), DynamoDB, SNS, Cognito. Built once per cold start.
pub async fn lambda_router(routes: Routes) -> Result<axum::Router, ConfigError> {
    init_logging();
    let env = process_env();
    let api = env.api_config()?;
    let auth = env.auth_config()?;
    let dynamo = dynamo_config_from_env(true)?;
    let store = DynamoStore::connect(dynamo).await;
    let notifier = notifier_from_env().await;
    let service = App::service(store, notifier);
    Ok(App::new(service, Authenticator::new(auth), api).router(routes))
}
