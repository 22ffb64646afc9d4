//! # loansyncro-sns
//!
//! The notifier port on Amazon SNS. Every [`Notification`] becomes one JSON message
//! (`{"event": "loan.created", "version": 1, ...}`) with message attributes for subscription
//! filter policies: `event` (`loan.created`, `repayment.recorded`, `loan.paid`) and `user_id`.
//! The message carries ids and the loan title, never an e-mail address; the repayment amount
//! is in the message body (for consumers) but never logged.
//!
//! A failed publish is logged (without the payload) and reported to the caller as
//! [`Error::Storage`]; the service counts it and never fails the user's request.

use aws_sdk_sns::types::MessageAttributeValue;
use aws_sdk_sns::Client;
use loansyncro_core::app::ports::{Notification, Notifier};
use loansyncro_core::Error;
use serde_json::{json, Value};

/// The event name of a notification.
pub fn event_name(notification: &Notification) -> &'static str {
    match notification {
        Notification::LoanCreated { .. } => "loan.created",
        Notification::RepaymentRecorded { .. } => "repayment.recorded",
        Notification::LoanPaid { .. } => "loan.paid",
    }
}

/// The JSON message of a notification.
///
/// ```
/// use loansyncro_core::{domain::loan::LoanId, app::ports::Notification, domain::user::UserId};
/// let n = Notification::LoanPaid { owner: UserId::new("u1")?, loan_id: LoanId::new("l1")? };
/// let m = loansyncro_sns::message(&n);
/// assert_eq!(m["event"], "loan.paid");
/// assert_eq!(m["user_id"], "u1");
/// assert_eq!(m["loan_id"], "l1");
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn message(notification: &Notification) -> Value {
    let mut body = json!({
        "event": event_name(notification),
        "version": 1,
        "user_id": notification.owner().as_str(),
    });
    match notification {
        Notification::LoanCreated { loan_id, title, .. } => {
            body["loan_id"] = json!(loan_id.as_str());
            body["title"] = json!(title);
        }
        Notification::RepaymentRecorded {
            loan_id,
            repayment_id,
            amount,
            ..
        } => {
            body["loan_id"] = json!(loan_id.as_str());
            body["repayment_id"] = json!(repayment_id.as_str());
            body["amount"] = json!(amount.to_string());
        }
        Notification::LoanPaid { loan_id, .. } => {
            body["loan_id"] = json!(loan_id.as_str());
        }
    }
    body
}

/// Publishes notifications to one SNS topic.
#[derive(Debug, Clone)]
pub struct SnsNotifier {
    client: Client,
    topic_arn: String,
}

impl SnsNotifier {
    /// A notifier publishing to `topic_arn` with `client`.
    pub fn new(client: Client, topic_arn: impl Into<String>) -> SnsNotifier {
        SnsNotifier {
            client,
            topic_arn: topic_arn.into(),
        }
    }

    /// The topic.
    pub fn topic_arn(&self) -> &str {
        &self.topic_arn
    }

    async fn publish(&self, notification: Notification) -> Result<(), Error> {
        let event = event_name(&notification);
        let attribute = |value: &str| {
            MessageAttributeValue::builder()
                .data_type("String")
                .string_value(value)
                .build()
        };
        let (Ok(event_attr), Ok(user_attr)) =
            (attribute(event), attribute(notification.owner().as_str()))
        else {
            return Err(storage("building message attributes"));
        };
        let result = self
            .client
            .publish()
            .topic_arn(&self.topic_arn)
            .message(message(&notification).to_string())
            .message_attributes("event", event_attr)
            .message_attributes("user_id", user_attr)
            .send()
            .await;
        match result {
            Ok(_) => {
                tracing::debug!(event, "notification published");
                Ok(())
            }
            Err(e) => {
                let detail = aws_sdk_sns::error::DisplayErrorContext(&e).to_string();
                tracing::warn!(event, error = %detail, "SNS publish failed; the request goes on");
                Err(storage(&detail))
            }
        }
    }
}

fn storage(message: &str) -> Error {
    Error::Storage {
        operation: "Publish on SNS".to_owned(),
        message: message.to_owned(),
    }
}

impl Notifier for SnsNotifier {
    fn notify(
        &self,
        notification: Notification,
    ) -> impl std::future::Future<Output = Result<(), Error>> + Send {
        self.publish(notification)
    }
}

/// Builds an SNS client: the default AWS configuration (region and credentials from the
/// environment), or a local endpoint (moto) with static test credentials. The HTTP client is
/// rustls with ring (no aws-lc build).
pub async fn client(endpoint: Option<&str>, region: Option<&str>) -> Client {
    use aws_smithy_http_client::tls;
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    // A notification never holds a request past the API's 3 s bound: short timeouts, two
    // attempts (a failed notification is counted by the service, never fails a use case).
    let timeouts = aws_config::timeout::TimeoutConfig::builder()
        .connect_timeout(std::time::Duration::from_millis(300))
        .operation_attempt_timeout(std::time::Duration::from_millis(300))
        .operation_timeout(std::time::Duration::from_millis(600))
        .build();
    let retries = aws_config::retry::RetryConfig::standard()
        .with_max_attempts(2)
        .with_initial_backoff(std::time::Duration::from_millis(25))
        .with_max_backoff(std::time::Duration::from_millis(100));
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(http)
        .timeout_config(timeouts)
        .retry_config(retries);
    if let Some(region) = region {
        loader = loader.region(aws_config::Region::new(region.to_owned()));
    }
    if let Some(endpoint) = endpoint {
        loader = loader.endpoint_url(endpoint).credentials_provider(
            aws_sdk_sns::config::Credentials::new("test", "test", None, None, "loansyncro-local"),
        );
        if region.is_none() {
            loader = loader.region(aws_config::Region::new("us-east-1"));
        }
    }
    Client::new(&loader.load().await)
}

#[cfg(test)]
mod tests {
    use super::*;
    use loansyncro_core::{
        domain::loan::LoanId, domain::repayment::RepaymentId, domain::user::UserId,
    };

    #[test]
    fn messages_carry_ids_and_event_names() {
        let n = Notification::RepaymentRecorded {
            owner: UserId::new("u").unwrap(),
            loan_id: LoanId::new("l").unwrap(),
            repayment_id: RepaymentId::new("r").unwrap(),
            amount: rust_decimal::Decimal::new(1230, 2),
        };
        let m = message(&n);
        assert_eq!(m["event"], "repayment.recorded");
        assert_eq!(m["amount"], "12.30");
        assert_eq!(m["repayment_id"], "r");
        let created = Notification::LoanCreated {
            owner: UserId::new("u").unwrap(),
            loan_id: LoanId::new("l").unwrap(),
            title: "Car".into(),
        };
        assert_eq!(message(&created)["title"], "Car");
        assert_eq!(event_name(&created), "loan.created");
    }

    #[tokio::test]
    async fn a_failed_publish_is_an_error_not_a_panic() {
        // Nothing listens on port 9: the publish fails fast and is reported, not raised.
        let client = client(Some("http://127.0.0.1:9"), None).await;
        let notifier = SnsNotifier::new(client, "arn:aws:sns:us-east-1:123456789012:t");
        let n = Notification::LoanPaid {
            owner: UserId::new("u").unwrap(),
            loan_id: LoanId::new("l").unwrap(),
        };
        let err = notifier.notify(n).await.unwrap_err();
        assert_eq!(err.code(), "storage");
    }
}
