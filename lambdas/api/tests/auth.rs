//! The JWT attack matrix, one test per case, plus JWKS fetching (served on loopback).
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use common::*;
use http::{Method, StatusCode};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use loansyncro_api::{AuthConfig, AuthError, Authenticator};
use loansyncro_devkeys::{now_secs, DevIssuer};
use serde_json::{json, Value};

fn preloaded() -> Authenticator {
    let jwks = serde_json::to_vec(&issuer().jwks()).unwrap();
    Authenticator::with_jwks(auth_config(), &jwks).unwrap()
}

async fn verdict(token: &str) -> Result<String, AuthError> {
    preloaded()
        .verify(token)
        .await
        .map(|i| i.user_id.into_string())
}

fn claims() -> Value {
    issuer().id_claims("user-1", "u1@example.com", "U One", 600)
}

fn with(mut claims: Value, key: &str, value: Value) -> Value {
    claims[key] = value;
    claims
}

#[tokio::test]
async fn valid_id_token_is_accepted() {
    assert_eq!(
        verdict(&issuer().sign(&claims()).unwrap()).await.unwrap(),
        "user-1"
    );
}

#[tokio::test]
async fn valid_access_token_is_accepted() {
    let t = issuer()
        .sign(&issuer().access_claims("user-2", 600))
        .unwrap();
    assert_eq!(verdict(&t).await.unwrap(), "user-2");
}

#[tokio::test]
async fn missing_token_is_401_with_json_error() {
    let h = harness();
    let r = call(&h.router, Method::GET, "/loans", None, None).await;
    assert_eq!(
        (r.status, r.error_code()),
        (StatusCode::UNAUTHORIZED, "unauthorized")
    );
    assert!(r.header("www-authenticate").starts_with("Bearer"));
    let auth = preloaded();
    assert_eq!(
        auth.authenticate_header(None).await,
        Err(AuthError::Missing)
    );
    assert_eq!(
        auth.authenticate_header(Some("Basic abc")).await,
        Err(AuthError::Missing)
    );
    assert_eq!(
        auth.authenticate_header(Some("Bearer ")).await,
        Err(AuthError::Missing)
    );
}

#[tokio::test]
async fn malformed_token_is_rejected() {
    for bad in ["abc", "a.b", "a.b.c", "!!!.???.***", "e30.e30.e30.e30"] {
        assert_eq!(verdict(bad).await, Err(AuthError::Malformed), "{bad}");
    }
    let h = harness();
    let r = call(&h.router, Method::GET, "/loans", Some("not-a-jwt"), None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn expired_token_is_rejected() {
    let c = with(claims(), "exp", json!(now_secs() - 3600));
    assert_eq!(
        verdict(&issuer().sign(&c).unwrap()).await,
        Err(AuthError::Expired)
    );
}

#[tokio::test]
async fn expiry_within_the_leeway_is_accepted() {
    let c = with(claims(), "exp", json!(now_secs() - 5));
    assert!(verdict(&issuer().sign(&c).unwrap()).await.is_ok());
}

#[tokio::test]
async fn not_yet_valid_token_is_rejected() {
    let c = with(claims(), "nbf", json!(now_secs() + 3600));
    assert_eq!(
        verdict(&issuer().sign(&c).unwrap()).await,
        Err(AuthError::NotYetValid)
    );
}

#[tokio::test]
async fn wrong_issuer_is_rejected() {
    let c = with(
        claims(),
        "iss",
        json!("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_OTHER"),
    );
    assert_eq!(
        verdict(&issuer().sign(&c).unwrap()).await,
        Err(AuthError::WrongIssuer)
    );
}

#[tokio::test]
async fn wrong_audience_is_rejected() {
    let c = with(claims(), "aud", json!("another-client"));
    assert_eq!(
        verdict(&issuer().sign(&c).unwrap()).await,
        Err(AuthError::WrongAudience)
    );
    let mut c = claims();
    c.as_object_mut().unwrap().remove("aud");
    assert_eq!(
        verdict(&issuer().sign(&c).unwrap()).await,
        Err(AuthError::WrongAudience)
    );
}

#[tokio::test]
async fn access_token_for_another_client_is_rejected() {
    let c = with(
        issuer().access_claims("u", 600),
        "client_id",
        json!("another-client"),
    );
    assert_eq!(
        verdict(&issuer().sign(&c).unwrap()).await,
        Err(AuthError::WrongAudience)
    );
    // An access token does not pass on its `aud` alone.
    let mut c = issuer().access_claims("u", 600);
    c.as_object_mut().unwrap().remove("client_id");
    c["aud"] = json!(CLIENT);
    assert_eq!(
        verdict(&issuer().sign(&c).unwrap()).await,
        Err(AuthError::WrongAudience)
    );
}

#[tokio::test]
async fn wrong_token_use_is_rejected() {
    for use_ in [json!("refresh"), json!(null), json!(1)] {
        let c = with(claims(), "token_use", use_.clone());
        let v = verdict(&issuer().sign(&c).unwrap()).await;
        assert!(
            matches!(v, Err(AuthError::WrongTokenUse | AuthError::Malformed)),
            "{use_}: {v:?}"
        );
    }
    let mut c = claims();
    c.as_object_mut().unwrap().remove("token_use");
    assert_eq!(
        verdict(&issuer().sign(&c).unwrap()).await,
        Err(AuthError::WrongTokenUse)
    );
}

#[tokio::test]
async fn alg_none_is_rejected() {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT","kid":"test-kid"}"#);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims()).unwrap());
    for token in [
        format!("{header}.{payload}."),
        format!("{header}.{payload}.e30"),
    ] {
        assert_eq!(verdict(&token).await, Err(AuthError::UnsupportedAlgorithm));
    }
}

#[tokio::test]
async fn hs256_signed_with_the_public_key_is_rejected() {
    let (n, _) = issuer().public_components();
    let jwk_json = serde_json::to_vec(&issuer().jwk()).unwrap();
    for secret in [n, jwk_json] {
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(issuer().kid.clone());
        let token =
            jsonwebtoken::encode(&header, &claims(), &EncodingKey::from_secret(&secret)).unwrap();
        assert_eq!(verdict(&token).await, Err(AuthError::UnsupportedAlgorithm));
    }
}

#[tokio::test]
async fn unknown_kid_is_rejected() {
    let t = issuer()
        .sign_with_kid(&claims(), "someone-elses-kid")
        .unwrap();
    assert_eq!(verdict(&t).await, Err(AuthError::UnknownKey));
    let mut header = Header::new(Algorithm::RS256);
    header.kid = None;
    let no_kid = {
        let h = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
        let t = issuer().sign(&claims()).unwrap();
        let rest: Vec<&str> = t.split('.').collect();
        format!("{h}.{}.{}", rest[1], rest[2])
    };
    assert_eq!(verdict(&no_kid).await, Err(AuthError::UnknownKey));
}

#[tokio::test]
async fn tampered_payload_is_rejected() {
    let t = issuer().sign(&claims()).unwrap();
    let parts: Vec<&str> = t.split('.').collect();
    let forged =
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&with(claims(), "sub", json!("admin"))).unwrap());
    let token = format!("{}.{forged}.{}", parts[0], parts[2]);
    assert_eq!(verdict(&token).await, Err(AuthError::BadSignature));
}

#[tokio::test]
async fn tampered_signature_is_rejected() {
    let t = issuer().sign(&claims()).unwrap();
    let parts: Vec<&str> = t.split('.').collect();
    let mut sig = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
    sig[10] ^= 0x01;
    let token = format!("{}.{}.{}", parts[0], parts[1], URL_SAFE_NO_PAD.encode(sig));
    assert_eq!(verdict(&token).await, Err(AuthError::BadSignature));
    // Signed by another key under the trusted kid.
    let other = DevIssuer::generate("test-kid", ISSUER, CLIENT).unwrap();
    assert_eq!(
        verdict(&other.sign(&claims()).unwrap()).await,
        Err(AuthError::BadSignature)
    );
}

/// A JWKS endpoint on loopback that counts its fetches and can switch keys.
async fn jwks_server(jwks: Arc<std::sync::Mutex<Value>>, hits: Arc<AtomicU64>) -> String {
    let app = axum::Router::new().route(
        "/pool/.well-known/jwks.json",
        axum::routing::get(move || {
            let jwks = Arc::clone(&jwks);
            let hits = Arc::clone(&hits);
            async move {
                hits.fetch_add(1, Ordering::SeqCst);
                axum::Json(jwks.lock().unwrap().clone())
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/pool/.well-known/jwks.json")
}

#[tokio::test]
async fn jwks_is_fetched_cached_and_refetched_at_most_once_per_interval() {
    let jwks = Arc::new(std::sync::Mutex::new(issuer().jwks()));
    let hits = Arc::new(AtomicU64::new(0));
    let url = jwks_server(Arc::clone(&jwks), Arc::clone(&hits)).await;
    let mut config = AuthConfig::for_issuer(ISSUER, vec![CLIENT.to_owned()]).with_jwks_url(url);
    config.min_refetch = Duration::from_secs(3);
    let auth = Authenticator::new(config);
    let good = issuer().sign(&claims()).unwrap();
    assert!(auth.verify(&good).await.is_ok());
    assert!(auth.verify(&good).await.is_ok());
    assert_eq!(
        hits.load(Ordering::SeqCst),
        1,
        "cached after the first fetch"
    );
    // Unknown kids right after a fetch do not refetch (no amplification).
    for i in 0..5 {
        let t = issuer()
            .sign_with_kid(&claims(), &format!("rotated-{i}"))
            .unwrap();
        assert_eq!(auth.verify(&t).await, Err(AuthError::UnknownKey));
    }
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    // Key rotation: after the interval, an unknown kid refetches once and is found.
    let rotated = DevIssuer::generate("rotated-key", ISSUER, CLIENT).unwrap();
    *jwks.lock().unwrap() = json!({"keys": [issuer().jwk(), rotated.jwk()]});
    tokio::time::sleep(Duration::from_millis(3100)).await;
    assert!(auth.verify(&rotated.sign(&claims()).unwrap()).await.is_ok());
    assert_eq!(hits.load(Ordering::SeqCst), 2);
    assert_eq!(auth.jwks_fetches(), 2);
}

#[tokio::test]
async fn unreachable_jwks_is_503_not_401() {
    let h = harness_with(
        loansyncro_api::ApiConfig::default(),
        Authenticator::new(auth_config()),
    );
    let r = call(
        &h.router,
        Method::GET,
        "/loans",
        Some(&token("alice")),
        None,
    )
    .await;
    assert_eq!(
        (r.status, r.error_code()),
        (StatusCode::SERVICE_UNAVAILABLE, "auth_unavailable")
    );
}

// ---------------------------------------------------------------------------------------------
// Issue 15 §4: stricter token checks
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn jwks_keys_weaker_than_rsa_2048_are_ignored() {
    let weak = DevIssuer::generate_with_bits("weak-kid", ISSUER, CLIENT, 512).unwrap();
    let jwks = serde_json::to_vec(&json!({"keys": [weak.jwk(), issuer().jwk()]})).unwrap();
    let keys = loansyncro_api::auth::parse_jwks(&jwks).unwrap();
    assert_eq!(keys.len(), 1);
    assert!(keys.contains_key("test-kid"));
    let auth = Authenticator::with_jwks(auth_config(), &jwks).unwrap();
    let t = weak.sign(&claims()).unwrap();
    assert_eq!(
        auth.verify(&t).await.map(|_| ()),
        Err(AuthError::UnknownKey)
    );
    assert!(auth
        .verify(&issuer().sign(&claims()).unwrap())
        .await
        .is_ok());
}

#[tokio::test]
async fn iat_beyond_the_leeway_in_the_future_is_rejected() {
    let now = now_secs();
    let ten_years = with(claims(), "iat", json!(now + 10 * 365 * 86_400));
    assert_eq!(
        verdict(&issuer().sign(&ten_years).unwrap()).await,
        Err(AuthError::IssuedInFuture)
    );
    let within = with(claims(), "iat", json!(now + 10));
    assert!(verdict(&issuer().sign(&within).unwrap()).await.is_ok());
    let not_a_number = with(claims(), "iat", json!("yesterday"));
    assert!(verdict(&issuer().sign(&not_a_number).unwrap())
        .await
        .is_err());
}

#[tokio::test]
async fn iss_must_be_one_string_equal_to_the_issuer() {
    for iss in [
        json!([ISSUER]),
        json!([ISSUER, "https://evil.example"]),
        json!(null),
    ] {
        let t = issuer().sign(&with(claims(), "iss", iss.clone())).unwrap();
        assert!(verdict(&t).await.is_err(), "{iss}");
    }
    let t = issuer()
        .sign(&with(claims(), "iss", json!([ISSUER])))
        .unwrap();
    assert_eq!(verdict(&t).await, Err(AuthError::WrongIssuer));
}

// ---------------------------------------------------------------------------------------------
// Issue 15 §3: identity-provider hiccups
// ---------------------------------------------------------------------------------------------

const GOOD: u8 = 0;
const FAIL_500: u8 = 1;
const FAIL_404: u8 = 2;
const GARBAGE: u8 = 3;
const SLOW: u8 = 4;

/// A JWKS endpoint whose behaviour the test switches: good, 500, 404, garbage, or 10 s slow.
async fn flaky_jwks(mode: Arc<std::sync::atomic::AtomicU8>, hits: Arc<AtomicU64>) -> String {
    let app = axum::Router::new().route(
        "/pool/.well-known/jwks.json",
        axum::routing::get(move || {
            let (mode, hits) = (Arc::clone(&mode), Arc::clone(&hits));
            async move {
                use axum::response::IntoResponse;
                hits.fetch_add(1, Ordering::SeqCst);
                match mode.load(Ordering::SeqCst) {
                    FAIL_500 => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
                    FAIL_404 => StatusCode::NOT_FOUND.into_response(),
                    GARBAGE => "<html>oops</html>".into_response(),
                    SLOW => {
                        tokio::time::sleep(Duration::from_secs(10)).await;
                        axum::Json(issuer().jwks()).into_response()
                    }
                    _ => axum::Json(issuer().jwks()).into_response(),
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/pool/.well-known/jwks.json")
}

fn flaky_config(url: String) -> AuthConfig {
    let mut c = AuthConfig::for_issuer(ISSUER, vec![CLIENT.to_owned()]).with_jwks_url(url);
    c.max_key_age = Duration::from_millis(200);
    c.min_refetch = Duration::from_millis(200);
    c
}

#[tokio::test]
async fn last_good_keys_keep_serving_while_the_provider_fails() {
    let mode = Arc::new(std::sync::atomic::AtomicU8::new(GOOD));
    let hits = Arc::new(AtomicU64::new(0));
    let auth = Authenticator::new(flaky_config(flaky_jwks(Arc::clone(&mode), hits).await));
    let good = issuer().sign(&claims()).unwrap();
    assert!(auth.verify(&good).await.is_ok());
    for failing in [FAIL_500, FAIL_404, GARBAGE, SLOW] {
        mode.store(failing, Ordering::SeqCst);
        // The key set is older than max_key_age: background refreshes fail, tokens still work.
        for _ in 0..3 {
            tokio::time::sleep(Duration::from_millis(250)).await;
            assert_eq!(
                auth.verify(&good).await.map(|i| i.user_id.into_string()),
                Ok("user-1".to_owned()),
                "mode {failing}"
            );
        }
        // A kid nobody knows while the provider fails: 503 (retry), never 401 (log out).
        let rotated = issuer().sign_with_kid(&claims(), "rotated").unwrap();
        assert_eq!(
            auth.verify(&rotated).await.map(|_| ()),
            Err(AuthError::KeysUnavailable),
            "mode {failing}"
        );
    }
}

#[tokio::test]
async fn valid_tokens_work_again_soon_after_the_provider_recovers() {
    let mode = Arc::new(std::sync::atomic::AtomicU8::new(FAIL_500));
    let hits = Arc::new(AtomicU64::new(0));
    let auth = Authenticator::new(flaky_config(
        flaky_jwks(Arc::clone(&mode), Arc::clone(&hits)).await,
    ));
    let good = issuer().sign(&claims()).unwrap();
    // No key was ever known and the provider fails: 503 for a while, with backoff.
    for _ in 0..10 {
        assert_eq!(
            auth.verify(&good).await.map(|_| ()),
            Err(AuthError::KeysUnavailable)
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let fetched = hits.load(Ordering::SeqCst);
    assert!(
        (2..=4).contains(&fetched),
        "backoff from 1 s: {fetched} fetches in 2 s of requests"
    );
    mode.store(GOOD, Ordering::SeqCst);
    let recovered = std::time::Instant::now();
    let mut ok = false;
    while recovered.elapsed() < Duration::from_secs(4) {
        if auth.verify(&good).await.is_ok() {
            ok = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(ok, "valid tokens refused 4 s after the provider recovered");
    // Bound: one backoff (max 1.5 s) plus a fetch; 4 s leaves room for a loaded machine.
    eprintln!(
        "valid again {} ms after recovery",
        recovered.elapsed().as_millis()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_slow_provider_is_fetched_once_and_answers_503_in_bounded_time() {
    let mode = Arc::new(std::sync::atomic::AtomicU8::new(SLOW));
    let hits = Arc::new(AtomicU64::new(0));
    let auth = Arc::new(Authenticator::new(flaky_config(
        flaky_jwks(Arc::clone(&mode), Arc::clone(&hits)).await,
    )));
    let good = issuer().sign(&claims()).unwrap();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (auth, good) = (Arc::clone(&auth), good.clone());
        tasks.push(tokio::spawn(
            async move { auth.verify(&good).await.map(|_| ()) },
        ));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), Err(AuthError::KeysUnavailable));
    }
    assert_eq!(hits.load(Ordering::SeqCst), 1, "single flight");
}

// ---------------------------------------------------------------------------------------------
// Issue 13: verified tokens are kept, with every check's meaning kept
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_kept_token_is_refused_once_it_expires() {
    let mut config = auth_config();
    config.leeway = Duration::ZERO;
    let jwks = serde_json::to_vec(&issuer().jwks()).unwrap();
    let auth = Authenticator::with_jwks(config, &jwks).unwrap();
    let t = issuer()
        .sign(&with(claims(), "exp", json!(now_secs() + 1)))
        .unwrap();
    assert!(auth.verify(&t).await.is_ok());
    assert!(auth.verify(&t).await.is_ok());
    assert_eq!(
        auth.verified_tokens(),
        1,
        "kept after the first verification"
    );
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    assert_eq!(auth.verify(&t).await, Err(AuthError::Expired));
    assert_eq!(auth.verified_tokens(), 0, "forgotten once refused");
    assert_eq!(auth.verify(&t).await, Err(AuthError::Expired));
}

#[tokio::test]
async fn only_the_exact_kept_token_is_reused() {
    let auth = preloaded();
    let t = issuer().sign(&claims()).unwrap();
    assert!(auth.verify(&t).await.is_ok());
    // The kept token with its signature or payload altered is verified, and refused.
    let parts: Vec<&str> = t.split('.').collect();
    let mut sig = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
    sig[0] ^= 0x80;
    let forged_sig = format!("{}.{}.{}", parts[0], parts[1], URL_SAFE_NO_PAD.encode(sig));
    assert_eq!(auth.verify(&forged_sig).await, Err(AuthError::BadSignature));
    let forged =
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&with(claims(), "sub", json!("admin"))).unwrap());
    let forged_payload = format!("{}.{forged}.{}", parts[0], parts[2]);
    assert_eq!(
        auth.verify(&forged_payload).await,
        Err(AuthError::BadSignature)
    );
    assert_eq!(auth.verified_tokens(), 1);
    assert_eq!(auth.verify(&t).await.unwrap().user_id.as_str(), "user-1");
    // Without a cache every request verifies (and answers the same).
    let mut config = auth_config();
    config.verified_tokens = 0;
    let jwks = serde_json::to_vec(&issuer().jwks()).unwrap();
    let uncached = Authenticator::with_jwks(config, &jwks).unwrap();
    assert_eq!(uncached.verify(&t).await, auth.verify(&t).await);
    assert_eq!(uncached.verified_tokens(), 0);
}

#[tokio::test]
async fn a_kept_token_is_refused_after_its_key_is_replaced_or_removed() {
    let jwks = Arc::new(std::sync::Mutex::new(issuer().jwks()));
    let hits = Arc::new(AtomicU64::new(0));
    let url = jwks_server(Arc::clone(&jwks), Arc::clone(&hits)).await;
    let mut config = AuthConfig::for_issuer(ISSUER, vec![CLIENT.to_owned()]).with_jwks_url(url);
    config.max_key_age = Duration::from_millis(200);
    config.min_refetch = Duration::from_millis(200);
    let auth = Authenticator::new(config);
    let good = issuer().sign(&claims()).unwrap();
    assert!(auth.verify(&good).await.is_ok());
    assert_eq!(auth.verified_tokens(), 1);
    // The provider now publishes another key under the same kid: the kept token is checked
    // against it once the set is refreshed (in the background, when it is stale), and refused.
    let impostor = DevIssuer::generate("test-kid", ISSUER, CLIENT).unwrap();
    *jwks.lock().unwrap() = impostor.jwks();
    let mut verdicts = Vec::new();
    for _ in 0..30 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        verdicts.push(auth.verify(&good).await.map(|_| ()));
        if verdicts.last() == Some(&Err(AuthError::BadSignature)) {
            break;
        }
    }
    assert_eq!(
        verdicts.last(),
        Some(&Err(AuthError::BadSignature)),
        "{verdicts:?}"
    );
    assert_eq!(auth.verified_tokens(), 0);
    assert!(auth
        .verify(&impostor.sign(&claims()).unwrap())
        .await
        .is_ok());
    // The kid disappears altogether: refused as unknown, as a new token would be.
    let other = DevIssuer::generate("other-kid", ISSUER, CLIENT).unwrap();
    *jwks.lock().unwrap() = other.jwks();
    let kept = impostor.sign(&claims()).unwrap();
    let mut last = Ok(());
    for _ in 0..30 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        last = auth.verify(&kept).await.map(|_| ());
        if last == Err(AuthError::UnknownKey) {
            break;
        }
    }
    assert_eq!(last, Err(AuthError::UnknownKey));
}
