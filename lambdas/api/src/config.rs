//! Settings from the environment, shared by the Lambda binaries and the local server.
//! A missing or invalid variable is one [`ConfigError`] naming it.
//!
//! | variable | meaning |
//! | --- | --- |
//! | `LOANSYNCRO_COGNITO_CLIENT_ID` | app client id(s) accepted (comma-separated); required |
//! | `LOANSYNCRO_COGNITO_USER_POOL_ID` | user pool id; with the region gives the issuer |
//! | `LOANSYNCRO_COGNITO_REGION` | the pool's region (default `AWS_REGION`) |
//! | `LOANSYNCRO_JWT_ISSUER` | the issuer URL itself (instead of pool id + region) |
//! | `LOANSYNCRO_JWKS_URL` | where the keys are (default `<issuer>/.well-known/jwks.json`) |
//! | `LOANSYNCRO_JWT_LEEWAY_SECONDS` | tolerated clock skew on `exp`/`nbf` (default 30) |
//! | `LOANSYNCRO_CORS_ORIGINS` | allowed origins, comma-separated, or `*` (default `*`) |
//! | `LOANSYNCRO_SNS_TOPIC_ARN` | topic of the events; unset: no notifications |
//! | `LOANSYNCRO_REQUEST_TIMEOUT_MS` | every request answers within this (default 2500; 503 after) |

use std::time::Duration;

use http::HeaderValue;

use crate::auth::AuthConfig;

/// Variable: accepted app client ids.
pub const CLIENT_ID_ENV: &str = "LOANSYNCRO_COGNITO_CLIENT_ID";
/// Variable: user pool id.
pub const USER_POOL_ENV: &str = "LOANSYNCRO_COGNITO_USER_POOL_ID";
/// Variable: the pool's region.
pub const REGION_ENV: &str = "LOANSYNCRO_COGNITO_REGION";
/// Variable: explicit issuer.
pub const ISSUER_ENV: &str = "LOANSYNCRO_JWT_ISSUER";
/// Variable: JWKS URL.
pub const JWKS_URL_ENV: &str = "LOANSYNCRO_JWKS_URL";
/// Variable: leeway in seconds.
pub const LEEWAY_ENV: &str = "LOANSYNCRO_JWT_LEEWAY_SECONDS";
/// Variable: allowed CORS origins.
pub const CORS_ENV: &str = "LOANSYNCRO_CORS_ORIGINS";
/// Variable: SNS topic ARN.
pub const SNS_TOPIC_ENV: &str = "LOANSYNCRO_SNS_TOPIC_ARN";
/// Variable: the request deadline in milliseconds.
pub const REQUEST_TIMEOUT_ENV: &str = "LOANSYNCRO_REQUEST_TIMEOUT_MS";

/// Default request deadline: a request that has not answered after 2.5 s gets 503 with
/// `Retry-After` (the API promises an answer within 3 s whatever the database does).
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_millis(2_500);

/// A configuration problem, naming the variable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// A required variable is not set.
    #[error("missing configuration: set the environment variable {var} ({purpose})")]
    Missing {
        /// The variable.
        var: &'static str,
        /// What it is for.
        purpose: &'static str,
    },
    /// A variable has an unusable value.
    #[error("invalid configuration: {var} {reason}")]
    Invalid {
        /// The variable.
        var: &'static str,
        /// Why.
        reason: String,
    },
}

/// Which origins may call the API from a browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorsOrigins {
    /// Any origin (`*`): the API uses bearer tokens, never cookies.
    Any,
    /// Exactly these origins.
    List(Vec<HeaderValue>),
}

/// Settings of the router itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiConfig {
    /// Allowed CORS origins.
    pub cors: CorsOrigins,
    /// Every request answers within this: after it, 503 with `Retry-After` (the work is
    /// dropped; a write may or may not have been stored, so clients retry with the same
    /// `Idempotency-Key`).
    pub request_timeout: Duration,
}

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            cors: CorsOrigins::Any,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
        }
    }
}

/// Reads variables through `get` (the process environment in production, a map in tests).
#[derive(Debug, Clone, Copy)]
pub struct Env<F>(pub F);

impl<F: Fn(&str) -> Option<String>> Env<F> {
    fn var(&self, name: &str) -> Option<String> {
        (self.0)(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    /// The router settings.
    pub fn api_config(&self) -> Result<ApiConfig, ConfigError> {
        let cors = match self.var(CORS_ENV).as_deref() {
            None | Some("*") => CorsOrigins::Any,
            Some(list) => CorsOrigins::List(
                list.split(',')
                    .map(str::trim)
                    .filter(|o| !o.is_empty())
                    .map(|o| {
                        if !(o.starts_with("http://") || o.starts_with("https://")) {
                            return Err(ConfigError::Invalid {
                                var: CORS_ENV,
                                reason: format!(
                                    "has {o:?}: origins start with http:// or https://"
                                ),
                            });
                        }
                        HeaderValue::from_str(o).map_err(|_| ConfigError::Invalid {
                            var: CORS_ENV,
                            reason: format!("has an invalid origin {o:?}"),
                        })
                    })
                    .collect::<Result<_, _>>()?,
            ),
        };
        let request_timeout = match self.var(REQUEST_TIMEOUT_ENV) {
            None => DEFAULT_REQUEST_TIMEOUT,
            Some(ms) => match ms.parse::<u64>() {
                Ok(ms) if (100..=60_000).contains(&ms) => Duration::from_millis(ms),
                _ => {
                    return Err(ConfigError::Invalid {
                        var: REQUEST_TIMEOUT_ENV,
                        reason: "must be a whole number of milliseconds from 100 to 60000"
                            .to_owned(),
                    })
                }
            },
        };
        Ok(ApiConfig {
            cors,
            request_timeout,
        })
    }

    /// The token checks.
    pub fn auth_config(&self) -> Result<AuthConfig, ConfigError> {
        let client_ids: Vec<String> = self
            .var(CLIENT_ID_ENV)
            .ok_or(ConfigError::Missing {
                var: CLIENT_ID_ENV,
                purpose: "the Cognito app client id accepted in tokens",
            })?
            .split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        let issuer = match self.var(ISSUER_ENV) {
            Some(issuer) => issuer,
            None => {
                let pool = self.var(USER_POOL_ENV).ok_or(ConfigError::Missing {
                    var: USER_POOL_ENV,
                    purpose: "the Cognito user pool id, or set LOANSYNCRO_JWT_ISSUER",
                })?;
                let region = self
                    .var(REGION_ENV)
                    .or_else(|| self.var("AWS_REGION"))
                    .or_else(|| pool.split_once('_').map(|(r, _)| r.to_owned()))
                    .ok_or(ConfigError::Missing {
                        var: REGION_ENV,
                        purpose: "the Cognito user pool's region",
                    })?;
                format!("https://cognito-idp.{region}.amazonaws.com/{pool}")
            }
        };
        let mut config = AuthConfig::for_issuer(issuer, client_ids);
        if let Some(url) = self.var(JWKS_URL_ENV) {
            config = config.with_jwks_url(url);
        }
        if let Some(leeway) = self.var(LEEWAY_ENV) {
            let secs: u64 = leeway.parse().map_err(|_| ConfigError::Invalid {
                var: LEEWAY_ENV,
                reason: "must be a whole number of seconds".to_owned(),
            })?;
            config.leeway = Duration::from_secs(secs.min(600));
        }
        Ok(config)
    }

    /// The SNS topic, if notifications are on.
    pub fn sns_topic(&self) -> Option<String> {
        self.var(SNS_TOPIC_ENV)
    }
}

/// The process environment.
pub fn process_env() -> Env<fn(&str) -> Option<String>> {
    fn get(name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
    Env(get as fn(&str) -> Option<String>)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> Env<impl Fn(&str) -> Option<String>> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Env(move |k: &str| map.get(k).cloned())
    }

    #[test]
    fn missing_client_id_names_the_variable() {
        let err = env(&[]).auth_config().unwrap_err();
        assert!(err.to_string().contains(CLIENT_ID_ENV), "{err}");
        let err = env(&[(CLIENT_ID_ENV, "c")]).auth_config().unwrap_err();
        assert!(err.to_string().contains(USER_POOL_ENV), "{err}");
    }

    #[test]
    fn issuer_from_pool_and_region() {
        let c = env(&[(CLIENT_ID_ENV, "a, b"), (USER_POOL_ENV, "eu-west-1_AbC")])
            .auth_config()
            .unwrap();
        assert_eq!(
            c.issuer,
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC"
        );
        assert_eq!(c.jwks_url, format!("{}/.well-known/jwks.json", c.issuer));
        assert_eq!(c.client_ids, vec!["a", "b"]);
        let c = env(&[
            (CLIENT_ID_ENV, "a"),
            (ISSUER_ENV, "http://127.0.0.1:5000/pool"),
            (JWKS_URL_ENV, "http://127.0.0.1:5000/pool/keys"),
            (LEEWAY_ENV, "5"),
        ])
        .auth_config()
        .unwrap();
        assert_eq!(c.jwks_url, "http://127.0.0.1:5000/pool/keys");
        assert_eq!(c.leeway, Duration::from_secs(5));
        let err = env(&[
            (CLIENT_ID_ENV, "a"),
            (ISSUER_ENV, "x"),
            (LEEWAY_ENV, "soon"),
        ])
        .auth_config()
        .unwrap_err();
        assert!(err.to_string().contains(LEEWAY_ENV));
    }

    #[test]
    fn cors_origins() {
        assert_eq!(env(&[]).api_config().unwrap().cors, CorsOrigins::Any);
        let c = env(&[(CORS_ENV, "https://app.example, http://localhost:3000")])
            .api_config()
            .unwrap();
        assert_eq!(
            c.cors,
            CorsOrigins::List(vec![
                HeaderValue::from_static("https://app.example"),
                HeaderValue::from_static("http://localhost:3000")
            ])
        );
        let err = env(&[(CORS_ENV, "app.example")]).api_config().unwrap_err();
        assert!(err.to_string().contains(CORS_ENV));
    }

    #[test]
    fn request_timeout() {
        assert_eq!(
            env(&[]).api_config().unwrap().request_timeout,
            Duration::from_millis(2_500)
        );
        let c = env(&[(REQUEST_TIMEOUT_ENV, "800")]).api_config().unwrap();
        assert_eq!(c.request_timeout, Duration::from_millis(800));
        for bad in ["0", "soon", "100000"] {
            let err = env(&[(REQUEST_TIMEOUT_ENV, bad)]).api_config().unwrap_err();
            assert!(err.to_string().contains(REQUEST_TIMEOUT_ENV), "{bad}");
        }
    }
}
