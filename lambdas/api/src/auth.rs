//! Cognito JWT authentication: RS256 signatures checked against the user pool's JWKS, `exp`/`nbf`
//! with a small leeway, `iat` not beyond the leeway in the future, `iss` a single string equal to
//! the issuer, and `token_use` = `id` (then `aud` = an app client id) or `access` (then
//! `client_id` = an app client id). JWKS keys weaker than RSA-2048 (or larger than 8192 bits)
//! are ignored.
//!
//! # The key set
//! The last good key set is kept and served while the provider fails (500, 404, garbage, slow):
//! a provider hiccup never logs anybody out. Refreshes run in the background, one at a time
//! (single flight), when a token names an unknown `kid` (at most once per
//! [`AuthConfig::min_refetch`] after a successful fetch, so random kids cannot amplify load) or
//! when the set is older than [`AuthConfig::max_key_age`]. After a failed fetch the next one
//! waits [`AuthConfig::refresh_backoff`], doubling up to [`AuthConfig::max_refresh_backoff`]:
//! valid tokens work again within that bound of the provider's recovery. A request whose `kid`
//! is unknown waits at most [`AuthConfig::key_wait`] for an in-flight refresh; if the provider
//! is unreachable and no key is known it is [`AuthError::KeysUnavailable`] (503, retryable),
//! never 401 (which tells clients to log the user out).
//!
//! # Verified tokens
//! A client sends the same token on every request: the verification of each distinct token is
//! kept (at most [`AuthConfig::verified_tokens`] of them, see the `verified` module) and reused only for
//! the exact same bytes, while its `kid` still names the same key, after checking `exp`, `nbf`
//! and `iat` again: a kept token is refused once it expires, and after a key rotation it is
//! refused or verified again exactly as a new token would be.

mod verified;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use loansyncro_core::domain::user::UserId;
use serde::Deserialize;
use tokio::sync::Notify;

use verified::{TimeClaims, Verified, VerifiedTokens};

/// Smallest RSA modulus accepted in a JWKS, in bits.
pub const MIN_RSA_BITS: usize = 2048;
/// Largest RSA modulus accepted in a JWKS, in bits (bounds the cost of a verification).
pub const MAX_RSA_BITS: usize = 8192;

/// What the authenticator checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthConfig {
    /// Expected `iss`: `https://cognito-idp.<region>.amazonaws.com/<user pool id>`.
    pub issuer: String,
    /// Where the signing keys are: by default `<issuer>/.well-known/jwks.json`.
    pub jwks_url: String,
    /// The app client ids accepted as `aud` (id tokens) or `client_id` (access tokens).
    pub client_ids: Vec<String>,
    /// Clock skew tolerated on `exp`, `nbf` and `iat`.
    pub leeway: Duration,
    /// Minimum time between a successful JWKS fetch and another one triggered by an unknown
    /// `kid`.
    pub min_refetch: Duration,
    /// Timeout of one JWKS fetch.
    pub fetch_timeout: Duration,
    /// Wait before the first retry after a failed fetch (then doubling).
    pub refresh_backoff: Duration,
    /// Longest wait between failed fetches: the bound on how long after the provider's
    /// recovery valid tokens may still be refused.
    pub max_refresh_backoff: Duration,
    /// How long a request with an unknown `kid` waits for an in-flight refresh.
    pub key_wait: Duration,
    /// A key set older than this is refreshed in the background (requests keep using it).
    pub max_key_age: Duration,
    /// How many distinct verified tokens are kept for reuse (0: every request verifies its
    /// token's signature).
    pub verified_tokens: usize,
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
            fetch_timeout: Duration::from_secs(2),
            refresh_backoff: Duration::from_secs(1),
            max_refresh_backoff: Duration::from_millis(1_500),
            key_wait: Duration::from_millis(1_500),
            max_key_age: Duration::from_secs(3_600),
            verified_tokens: 1_024,
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
    /// `iat` lies beyond the leeway in the future.
    #[error("token issued in the future")]
    IssuedInFuture,
    /// `iss` is not the user pool.
    #[error("wrong token issuer")]
    WrongIssuer,
    /// `aud` / `client_id` is not an accepted app client.
    #[error("token not issued for this application")]
    WrongAudience,
    /// `token_use` is neither `id` nor `access`.
    #[error("wrong token use")]
    WrongTokenUse,
    /// The token's key is unknown and the JWKS could not be fetched (the caller answers 503,
    /// not 401).
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
    iss: Option<serde_json::Value>,
    #[serde(default)]
    iat: Option<serde_json::Value>,
    #[serde(default)]
    exp: Option<serde_json::Value>,
    #[serde(default)]
    nbf: Option<serde_json::Value>,
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

/// Parses a JWKS document into RS256 verification keys by `kid`. Other keys are skipped: not
/// RSA, not for signatures, another algorithm, or a modulus outside [`MIN_RSA_BITS`]..=
/// [`MAX_RSA_BITS`].
///
/// ```
/// // A 512-bit modulus (64 bytes) is too weak: skipped.
/// let n = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, [0xc1u8; 64]);
/// let jwks = format!(r#"{{"keys":[{{"kty":"RSA","kid":"weak","n":"{n}","e":"AQAB"}}]}}"#);
/// assert!(loansyncro_api::auth::parse_jwks(jwks.as_bytes()).unwrap().is_empty());
/// ```
pub fn parse_jwks(json: &[u8]) -> Result<HashMap<String, DecodingKey>, String> {
    let jwks: Jwks = serde_json::from_slice(json).map_err(|e| format!("bad JWKS: {e}"))?;
    let mut keys = HashMap::new();
    for key in jwks.keys {
        let usable = key.kty == "RSA"
            && key.alg.as_deref().is_none_or(|a| a == "RS256")
            && key.use_.as_deref().is_none_or(|u| u == "sig");
        if let (true, Some(kid), Some(n), Some(e)) = (usable, key.kid, key.n, key.e) {
            let bits = modulus_bits(&n);
            if !(MIN_RSA_BITS..=MAX_RSA_BITS).contains(&bits) {
                tracing::warn!(kid = %kid, bits, "JWKS key outside the accepted RSA sizes skipped");
                continue;
            }
            if let Ok(decoding) = DecodingKey::from_rsa_components(&n, &e) {
                keys.insert(kid, decoding);
            }
        }
    }
    Ok(keys)
}

/// The size in bits of a base64url big-endian modulus (0 when it does not decode).
fn modulus_bits(n: &str) -> usize {
    let Ok(bytes) =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(n.trim_end_matches('='))
    else {
        return 0;
    };
    let significant: Vec<u8> = bytes.into_iter().skip_while(|b| *b == 0).collect();
    match significant.first() {
        None => 0,
        Some(first) => (significant.len() - 1) * 8 + (8 - first.leading_zeros() as usize),
    }
}

/// The last good key set and how the fetches went.
#[derive(Default)]
struct KeyState {
    /// Shared with the verified tokens, which are reused only while their `kid` maps to the
    /// same key (`Arc::ptr_eq`).
    keys: HashMap<String, Arc<DecodingKey>>,
    /// When the last fetch that succeeded ended (or the preloaded keys were set).
    last_success: Option<Instant>,
    /// When the last fetch ended, successful or not.
    last_attempt: Option<Instant>,
    /// Failed fetches since the last success.
    failures: u32,
}

impl KeyState {
    /// Whether a refresh may start now: never tried; after a failure, once the backoff has
    /// passed; after a success, once `min_refetch` has passed.
    fn refresh_due(&self, config: &AuthConfig, now: Instant) -> bool {
        match self.last_attempt {
            None => true,
            Some(at) if self.failures > 0 => {
                now.saturating_duration_since(at) >= backoff(config, self.failures)
            }
            Some(at) => now.saturating_duration_since(at) >= config.min_refetch,
        }
    }

    /// Whether the key set is older than `max_key_age` (refresh in the background).
    fn stale(&self, config: &AuthConfig, now: Instant) -> bool {
        self.last_success
            .is_some_and(|at| now.saturating_duration_since(at) >= config.max_key_age)
    }
}

/// The wait after `failures` consecutive failed fetches.
fn backoff(config: &AuthConfig, failures: u32) -> Duration {
    let factor = 1u32 << failures.saturating_sub(1).min(16);
    config
        .refresh_backoff
        .saturating_mul(factor)
        .min(config.max_refresh_backoff)
}

struct Shared {
    config: AuthConfig,
    http: reqwest::Client,
    state: std::sync::RwLock<KeyState>,
    refreshing: AtomicBool,
    refreshed: Notify,
    fetches: AtomicU64,
    verified: VerifiedTokens,
}

/// Verifies bearer tokens. Cheap to share (`Arc`); one per cold start.
pub struct Authenticator {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authenticator")
            .field("config", &self.shared.config)
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
            shared: Arc::new(Shared {
                http,
                state: std::sync::RwLock::new(KeyState::default()),
                refreshing: AtomicBool::new(false),
                refreshed: Notify::new(),
                fetches: AtomicU64::new(0),
                verified: VerifiedTokens::new(config.verified_tokens),
                config,
            }),
        }
    }

    /// An authenticator whose keys are preloaded from a JWKS document (the development
    /// identity mode; an unknown `kid` still triggers a fetch from the JWKS URL).
    pub fn with_jwks(config: AuthConfig, jwks_json: &[u8]) -> Result<Authenticator, String> {
        let keys = parse_jwks(jwks_json)?;
        let auth = Authenticator::new(config);
        {
            let mut state = auth.shared.write();
            let now = Instant::now();
            state.keys = shared_keys(keys);
            state.last_success = Some(now);
            state.last_attempt = Some(now);
        }
        Ok(auth)
    }

    /// The settings.
    pub fn config(&self) -> &AuthConfig {
        &self.shared.config
    }

    /// How many times the JWKS was fetched (for tests and metrics).
    pub fn jwks_fetches(&self) -> u64 {
        self.shared.fetches.load(Ordering::Relaxed)
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

    /// Verifies a compact JWT and returns the caller: the kept verification of exactly this
    /// token when there is one (see [Verified tokens](self#verified-tokens)), else a full one.
    pub async fn verify(&self, token: &str) -> Result<Identity, AuthError> {
        match self.shared.verified.get(token) {
            Some(kept) => self.reuse(token, kept).await,
            None => self.verify_signed(token).await,
        }
    }

    /// How many verified tokens are kept (for tests and metrics).
    pub fn verified_tokens(&self) -> usize {
        self.shared.verified.len()
    }

    /// A kept verification of `token`: valid while its `kid` resolves to the same key and its
    /// time claims pass now; after a key change, a full verification.
    async fn reuse(&self, token: &str, kept: Verified) -> Result<Identity, AuthError> {
        let refused = |e: AuthError| {
            self.shared.verified.remove(token);
            Err(e)
        };
        let key = match self.key(&kept.kid).await {
            Ok(key) => key,
            Err(e) => return refused(e),
        };
        if !Arc::ptr_eq(&key, &kept.key) {
            self.shared.verified.remove(token);
            return self.verify_signed(token).await;
        }
        match kept.times.check(now_secs(), self.shared.config.leeway) {
            Ok(()) => Ok(kept.identity),
            Err(e) => refused(e),
        }
    }

    /// The full verification of a compact JWT (signature and every claim); keeps the result.
    async fn verify_signed(&self, token: &str) -> Result<Identity, AuthError> {
        let header = raw_header(token)?;
        if header.alg != "RS256" {
            return Err(AuthError::UnsupportedAlgorithm);
        }
        let kid = header.kid.ok_or(AuthError::UnknownKey)?;
        let key = self.key(&kid).await?;
        let config = &self.shared.config;
        let mut validation = Validation::new(Algorithm::RS256);
        validation.leeway = config.leeway.as_secs();
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.validate_aud = false; // checked below, by token use
        validation.set_issuer(&[config.issuer.as_str()]);
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
        // `iss` must be one string equal to the issuer (not an array that contains it).
        if !matches!(&claims.iss, Some(serde_json::Value::String(iss)) if *iss == config.issuer) {
            return Err(AuthError::WrongIssuer);
        }
        let times = time_claims(&claims)?;
        let now = now_secs();
        times.check(now, config.leeway)?;
        let accepted = |id: &str| config.client_ids.iter().any(|c| c == id);
        match claims.token_use.as_deref() {
            Some("id") => {
                let ok = claims
                    .aud
                    .as_ref()
                    .is_some_and(|aud| config.client_ids.iter().any(|c| aud.contains(c)));
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
        let identity = Identity {
            user_id,
            email: claims.email,
            name,
        };
        let kept = Verified {
            kid,
            key,
            times,
            identity: identity.clone(),
        };
        self.shared.verified.insert(token, kept, now, config.leeway);
        Ok(identity)
    }

    /// The key for `kid`: from the last good set; else after a refresh (started now if due,
    /// or already in flight), waited for at most `key_wait`.
    async fn key(&self, kid: &str) -> Result<Arc<DecodingKey>, AuthError> {
        let shared = &self.shared;
        let now = Instant::now();
        {
            let state = shared.read();
            if let Some(key) = state.keys.get(kid) {
                if state.stale(&shared.config, now) && state.refresh_due(&shared.config, now) {
                    Shared::start_refresh(shared);
                }
                return Ok(Arc::clone(key));
            }
        }
        // Registered before the refresh starts, so that its end cannot be missed.
        let refreshed = shared.refreshed.notified();
        tokio::pin!(refreshed);
        refreshed.as_mut().enable();
        let due = shared.read().refresh_due(&shared.config, now);
        if due {
            Shared::start_refresh(shared);
        }
        if shared.refreshing.load(Ordering::Acquire) {
            let _ = tokio::time::timeout(shared.config.key_wait, refreshed).await;
        }
        let state = shared.read();
        match state.keys.get(kid) {
            Some(key) => Ok(Arc::clone(key)),
            // The provider is failing (or never answered): we cannot tell, retry later.
            None if state.failures > 0 || state.last_success.is_none() => {
                Err(AuthError::KeysUnavailable)
            }
            None => Err(AuthError::UnknownKey),
        }
    }
}

impl Shared {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, KeyState> {
        self.state
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, KeyState> {
        self.state
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Starts one background refresh unless one is running (single flight).
    fn start_refresh(shared: &Arc<Shared>) {
        if shared
            .refreshing
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            shared.refreshing.store(false, Ordering::Release);
            return;
        };
        let shared = Arc::clone(shared);
        runtime.spawn(async move {
            let result = shared.fetch().await;
            {
                let mut state = shared.write();
                let now = Instant::now();
                state.last_attempt = Some(now);
                match result {
                    Ok(keys) => {
                        state.keys = shared_keys(keys);
                        state.last_success = Some(now);
                        state.failures = 0;
                    }
                    Err(message) => {
                        // Keep serving the last good keys.
                        state.failures = state.failures.saturating_add(1);
                        tracing::error!(error = %message, failures = state.failures,
                            known_keys = state.keys.len(), "JWKS refresh failed");
                    }
                }
            }
            shared.refreshing.store(false, Ordering::Release);
            shared.refreshed.notify_waiters();
        });
    }

    /// One fetch of the JWKS; a document without any usable key counts as a failure (the last
    /// good set is kept).
    async fn fetch(&self) -> Result<HashMap<String, DecodingKey>, String> {
        self.fetches.fetch_add(1, Ordering::Relaxed);
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
        let keys = parse_jwks(&body)?;
        if keys.is_empty() {
            return Err("JWKS without any usable RS256 key".to_owned());
        }
        Ok(keys)
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

/// The time claims of verified `claims`: `exp` and `nbf` as the signature check accepted them
/// (whole seconds), `iat` a number (a fraction is truncated); else [`AuthError::Malformed`].
fn time_claims(claims: &Claims) -> Result<TimeClaims, AuthError> {
    let seconds = |v: &Option<serde_json::Value>| match v {
        None => Ok(None),
        Some(v) => v.as_u64().map(Some).ok_or(AuthError::Malformed),
    };
    let iat = match &claims.iat {
        None => None,
        Some(iat) => Some(
            iat.as_i64()
                .or_else(|| iat.as_f64().map(|f| f as i64))
                .ok_or(AuthError::Malformed)?,
        ),
    };
    Ok(TimeClaims {
        exp: seconds(&claims.exp)?.ok_or(AuthError::Malformed)?,
        nbf: seconds(&claims.nbf)?,
        iat,
    })
}

/// The keys of a parsed JWKS, shareable with the verified tokens.
fn shared_keys(keys: HashMap<String, DecodingKey>) -> HashMap<String, Arc<DecodingKey>> {
    keys.into_iter().map(|(k, v)| (k, Arc::new(v))).collect()
}

/// Seconds since the Unix epoch (0 before it).
fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
