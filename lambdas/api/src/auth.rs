//! Cognito JWT authentication: RS256 signatures checked against the user pool's JWKS (cached,
//! refetched at most once per [`AuthConfig::min_refetch`] on an unknown `kid`), `exp`/`nbf` with
//! a small leeway, `iss`, and `token_use` = `id` (then `aud` = an app client id) or `access`
//! (then `client_id` = an app client id).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use base64::Engine as _;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use loansyncro_core::user::UserId;
use serde::Deserialize;
use tokio::sync::{Mutex, RwLock};

/// What the authenticator checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthConfig {
    /// Expected `iss`: `https://cognito-idp.<region>.amazonaws.com/<user pool id>`.
    pub issuer: String,
    /// Where the signing keys are: by default `<issuer>/.well-known/jwks.json`.
    pub jwks_url: String,
    /// The app client ids accepted as `aud` (id tokens) or `client_id` (access tokens).
    pub client_ids: Vec<String>,
    /// Clock skew tolerated on `exp` and `nbf`.
    pub leeway: Duration,
    /// Minimum time between two JWKS fetches triggered by an unknown `kid`.
    pub min_refetch: Duration,
    /// Timeout of one JWKS fetch.
    pub fetch_timeout: Duration,
}

impl AuthConfig {
    /// Settings for a Cognito user pool: issuer and JWKS URL derived from region and pool id.
    pub fn cognito(region: &str, user_pool_id: &str, client_ids: Vec<String>) -> AuthConfig {
        AuthConfig::for_issuer(
            format!("https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"),
            client_ids,
        )
    }

    /// Settings for any issuer; the JWKS URL is `<issuer>/.well-known/jwks.json`.
    pub fn for_issuer(issuer: impl Into<String>, client_ids: Vec<String>) -> AuthConfig {
        let issuer = issuer.into();
        AuthConfig {
            jwks_url: format!("{}/.well-known/jwks.json", issuer.trim_end_matches('/')),
            issuer,
            client_ids,
            leeway: Duration::from_secs(30),
            min_refetch: Duration::from_secs(60),
            fetch_timeout: Duration::from_secs(5),
        }
    }

    /// The same settings with another JWKS URL (a local identity provider, moto, a test).
    pub fn with_jwks_url(mut self, url: impl Into<String>) -> AuthConfig {
        self.jwks_url = url.into();
        self
    }
}

/// Why a request was not authenticated. The message never contains the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// No `Authorization: Bearer` header.
    #[error("missing bearer token")]
    Missing,
    /// Not a JWT, or claims of the wrong shape.
    #[error("malformed token")]
    Malformed,
    /// `alg` is not RS256 (`none`, HS256, ...).
    #[error("unsupported token algorithm")]
    UnsupportedAlgorithm,
    /// No key with the token's `kid` in the JWKS.
    #[error("unknown signing key")]
    UnknownKey,
    /// The signature does not verify (tampered header, payload or signature).
    #[error("invalid token signature")]
    BadSignature,
    /// `exp` is in the past.
    #[error("token expired")]
    Expired,
    /// `nbf` is in the future.
    #[error("token not yet valid")]
    NotYetValid,
    /// `iss` is not the user pool.
    #[error("wrong token issuer")]
    WrongIssuer,
    /// `aud` / `client_id` is not an accepted app client.
    #[error("token not issued for this application")]
    WrongAudience,
    /// `token_use` is neither `id` nor `access`.
    #[error("wrong token use")]
    WrongTokenUse,
    /// The JWKS could not be fetched (the caller answers 503, not 401).
    #[error("signing keys unavailable")]
    KeysUnavailable,
}

/// The authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The token's `sub`.
    pub user_id: UserId,
    /// `email` claim (id tokens).
    pub email: Option<String>,
    /// `name` claim, or `given_name family_name` (id tokens).
    pub name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Claims {
    sub: String,
    #[serde(default)]
    token_use: Option<String>,
    #[serde(default)]
    aud: Option<Audience>,
    #[serde(default)]
    client_id: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    given_name: Option<String>,
    #[serde(default)]
    family_name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Audience {
    One(String),
    Many(Vec<String>),
}

impl Audience {
    fn contains(&self, id: &str) -> bool {
        match self {
            Audience::One(a) => a == id,
            Audience::Many(all) => all.iter().any(|a| a == id),
        }
    }
}

#[derive(Debug, Deserialize)]
struct RawHeader {
    alg: String,
    #[serde(default)]
    kid: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Jwks {
    keys: Vec<Jwk>,
}

#[derive(Debug, Deserialize)]
struct Jwk {
    #[serde(default)]
    kid: Option<String>,
    kty: String,
    #[serde(default)]
    alg: Option<String>,
    #[serde(default, rename = "use")]
    use_: Option<String>,
    #[serde(default)]
    n: Option<String>,
    #[serde(default)]
    e: Option<String>,
}

/// Parses a JWKS document into RS256 verification keys by `kid` (other keys are skipped).
pub fn parse_jwks(json: &[u8]) -> Result<HashMap<String, DecodingKey>, String> {
    let jwks: Jwks = serde_json::from_slice(json).map_err(|e| format!("bad JWKS: {e}"))?;
    let mut keys = HashMap::new();
    for key in jwks.keys {
        let usable = key.kty == "RSA"
            && key.alg.as_deref().is_none_or(|a| a == "RS256")
            && key.use_.as_deref().is_none_or(|u| u == "sig");
        if let (true, Some(kid), Some(n), Some(e)) = (usable, key.kid, key.n, key.e) {
            if let Ok(decoding) = DecodingKey::from_rsa_components(&n, &e) {
                keys.insert(kid, decoding);
            }
        }
    }
    Ok(keys)
}

#[derive(Default)]
struct KeyCache {
    keys: HashMap<String, DecodingKey>,
    fetched_at: Option<Instant>,
}

/// Verifies bearer tokens. Cheap to share (`Arc`); one per cold start.
pub struct Authenticator {
    config: AuthConfig,
    cache: RwLock<KeyCache>,
    fetching: Mutex<()>,
    http: reqwest::Client,
    fetches: std::sync::atomic::AtomicU64,
}

impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authenticator")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Authenticator {
    /// An authenticator that fetches the JWKS lazily, on the first token.
    pub fn new(config: AuthConfig) -> Authenticator {
        let http = reqwest::Client::builder()
            .timeout(config.fetch_timeout)
            .build()
            .unwrap_or_default();
        Authenticator {
            config,
            cache: RwLock::new(KeyCache::default()),
            fetching: Mutex::new(()),
            http,
            fetches: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// An authenticator whose keys are preloaded from a JWKS document (the development
    /// identity mode; an unknown `kid` still triggers a fetch from the JWKS URL).
    pub fn with_jwks(config: AuthConfig, jwks_json: &[u8]) -> Result<Authenticator, String> {
        let keys = parse_jwks(jwks_json)?;
        let auth = Authenticator::new(config);
        {
            let mut cache = auth.cache.try_write().map_err(|e| e.to_string())?;
            cache.keys = keys;
            cache.fetched_at = Some(Instant::now());
        }
        Ok(auth)
    }

    /// The settings.
    pub fn config(&self) -> &AuthConfig {
        &self.config
    }

    /// How many times the JWKS was fetched (for tests and metrics).
    pub fn jwks_fetches(&self) -> u64 {
        self.fetches.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Verifies the value of an `Authorization` header.
    pub async fn authenticate_header(&self, header: Option<&str>) -> Result<Identity, AuthError> {
        let header = header.ok_or(AuthError::Missing)?.trim();
        let (scheme, token) = header.split_once(' ').ok_or(AuthError::Missing)?;
        if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
            return Err(AuthError::Missing);
        }
        self.verify(token.trim()).await
    }

    /// Verifies a compact JWT and returns the caller.
    pub async fn verify(&self, token: &str) -> Result<Identity, AuthError> {
        let header = raw_header(token)?;
        if header.alg != "RS256" {
            return Err(AuthError::UnsupportedAlgorithm);
        }
        let kid = header.kid.ok_or(AuthError::UnknownKey)?;
        let key = self.key(&kid).await?;
        let mut validation = Validation::new(Algorithm::RS256);
        validation.leeway = self.config.leeway.as_secs();
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.validate_aud = false; // checked below, by token use
        validation.set_issuer(&[self.config.issuer.as_str()]);
        validation.set_required_spec_claims(&["exp", "iss", "sub"]);
        let data = jsonwebtoken::decode::<Claims>(token, &key, &validation).map_err(|e| match e
            .kind()
        {
            ErrorKind::ExpiredSignature => AuthError::Expired,
            ErrorKind::ImmatureSignature => AuthError::NotYetValid,
            ErrorKind::InvalidIssuer => AuthError::WrongIssuer,
            ErrorKind::InvalidSignature => AuthError::BadSignature,
            ErrorKind::InvalidAlgorithm | ErrorKind::InvalidAlgorithmName => {
                AuthError::UnsupportedAlgorithm
            }
            _ => AuthError::Malformed,
        })?;
        let claims = data.claims;
        let accepted = |id: &str| self.config.client_ids.iter().any(|c| c == id);
        match claims.token_use.as_deref() {
            Some("id") => {
                let ok = claims
                    .aud
                    .as_ref()
                    .is_some_and(|aud| self.config.client_ids.iter().any(|c| aud.contains(c)));
                if !ok {
                    return Err(AuthError::WrongAudience);
                }
            }
            Some("access") => {
                if !claims.client_id.as_deref().is_some_and(accepted) {
                    return Err(AuthError::WrongAudience);
                }
            }
            _ => return Err(AuthError::WrongTokenUse),
        }
        let user_id = UserId::new(claims.sub).map_err(|_| AuthError::Malformed)?;
        let name = claims.name.or_else(|| {
            let joined = [claims.given_name, claims.family_name]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            (!joined.is_empty()).then_some(joined)
        });
        Ok(Identity {
            user_id,
            email: claims.email,
            name,
        })
    }

    async fn key(&self, kid: &str) -> Result<DecodingKey, AuthError> {
        if let Some(key) = self.cache.read().await.keys.get(kid) {
            return Ok(key.clone());
        }
        let _guard = self.fetching.lock().await;
        {
            let cache = self.cache.read().await;
            if let Some(key) = cache.keys.get(kid) {
                return Ok(key.clone());
            }
            if cache
                .fetched_at
                .is_some_and(|at| at.elapsed() < self.config.min_refetch)
            {
                return Err(AuthError::UnknownKey);
            }
        }
        let keys = self.fetch().await;
        let mut cache = self.cache.write().await;
        cache.fetched_at = Some(Instant::now());
        match keys {
            Ok(keys) => {
                cache.keys = keys;
                cache.keys.get(kid).cloned().ok_or(AuthError::UnknownKey)
            }
            Err(message) => {
                tracing::error!(error = %message, "JWKS fetch failed");
                Err(AuthError::KeysUnavailable)
            }
        }
    }

    async fn fetch(&self) -> Result<HashMap<String, DecodingKey>, String> {
        self.fetches
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let response = self
            .http
            .get(&self.config.jwks_url)
            .send()
            .await
            .map_err(|e| format!("GET JWKS: {e}"))?;
        if !response.status().is_success() {
            return Err(format!("GET JWKS: status {}", response.status()));
        }
        let body = response
            .bytes()
            .await
            .map_err(|e| format!("GET JWKS body: {e}"))?;
        parse_jwks(&body)
    }
}

/// The header of a compact JWT, parsed without trusting it.
fn raw_header(token: &str) -> Result<RawHeader, AuthError> {
    let mut parts = token.split('.');
    let (Some(header), Some(_), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(AuthError::Malformed);
    };
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header.trim_end_matches('='))
        .map_err(|_| AuthError::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| AuthError::Malformed)
}
