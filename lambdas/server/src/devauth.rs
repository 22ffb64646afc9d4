//! Development-only accounts for the local server's `--dev-identity` mode: the same steps as the
//! Cognito user pool (sign up with name, e-mail and password, confirm the e-mail with a code,
//! sign in, forgotten password), so the web app runs with no AWS account.
//!
//! Routes (JSON bodies, served only when the server runs with `--dev-identity`):
//!
//! | route | body | answer |
//! |---|---|---|
//! | `POST /dev/auth/sign-up` | `{name, email, password}` | `{user_sub, destination, dev_code}` |
//! | `POST /dev/auth/confirm` | `{email, code}` | `{confirmed: true}` |
//! | `POST /dev/auth/resend` | `{email}` | `{destination, dev_code}` |
//! | `POST /dev/auth/sign-in` | `{email, password}` | `{id_token, expires_in}` |
//! | `POST /dev/auth/forgot` | `{email}` | `{destination, dev_code}` |
//! | `POST /dev/auth/reset` | `{email, code, password}` | `{reset: true}` |
//! | `GET /dev/auth/policy` | | the password policy |
//!
//! Errors are `{"error": {"code", "message", "field"}}` with Cognito's exception names as codes
//! (`UsernameExistsException`, `InvalidPasswordException`, `CodeMismatchException`,
//! `NotAuthorizedException`, `UserNotConfirmedException`, `InvalidParameterException`), so one
//! client-side mapping serves both. The verification code is written to the server's output and
//! returned as `dev_code` (there is no mail in development). Accounts live in memory; passwords
//! are kept only as a keyed hash with a key made at start-up. The id tokens are signed by the
//! server's development key and accepted by its API like Cognito's.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use loansyncro_devkeys::DevIssuer;
use serde_json::{json, Value};

/// Lifetime of an id token, as the pool's client (`id_token_validity = 60` minutes).
const TOKEN_TTL_SECS: i64 = 3600;
/// The pool's password policy (`deploy/terraform/auth.tf`, `password_minimum_length` = 12).
const MIN_PASSWORD_LENGTH: usize = 12;
/// The characters Cognito counts as symbols.
const SYMBOLS: &str = "^$*.[]{}()?-\"!@#%&/\\,><':;|_~`+= ";

#[derive(Debug, Clone)]
struct Account {
    sub: String,
    name: String,
    email: String,
    password: u64,
    confirmed: bool,
    code: Option<String>,
}

struct DevAuth {
    issuer: Arc<DevIssuer>,
    key: std::collections::hash_map::RandomState,
    accounts: Mutex<HashMap<String, Account>>,
}

impl DevAuth {
    fn hash(&self, password: &str) -> u64 {
        let mut h = self.key.build_hasher();
        h.write(password.as_bytes());
        h.finish()
    }
}

/// A random number from the standard library's randomly keyed hasher (no extra dependency;
/// development codes and ids, never secrets of a real system).
fn random_u64() -> u64 {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    h.finish()
}

fn new_code() -> String {
    format!("{:06}", random_u64() % 1_000_000)
}

fn new_sub() -> String {
    let (a, b) = (random_u64(), random_u64());
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | ((b >> 48) & 0x3fff),
        b & 0xffff_ffff_ffff
    )
}

/// The router of `/dev/auth/**`; merge it into the server's router in development identity mode.
pub fn router(issuer: Arc<DevIssuer>) -> Router {
    let state = Arc::new(DevAuth {
        issuer,
        key: std::collections::hash_map::RandomState::new(),
        accounts: Mutex::new(HashMap::new()),
    });
    Router::new()
        .route("/dev/auth/policy", get(policy))
        .route("/dev/auth/sign-up", post(sign_up))
        .route("/dev/auth/confirm", post(confirm))
        .route("/dev/auth/resend", post(resend))
        .route("/dev/auth/sign-in", post(sign_in))
        .route("/dev/auth/forgot", post(forgot))
        .route("/dev/auth/reset", post(reset))
        .with_state(state)
}

#[derive(Debug)]
struct AuthFail {
    status: StatusCode,
    code: &'static str,
    message: String,
    field: Option<&'static str>,
}

fn fail(code: &'static str, field: Option<&'static str>, message: impl Into<String>) -> AuthFail {
    AuthFail {
        status: StatusCode::BAD_REQUEST,
        code,
        message: message.into(),
        field,
    }
}

impl IntoResponse for AuthFail {
    fn into_response(self) -> Response {
        let body =
            json!({ "error": { "code": self.code, "message": self.message, "field": self.field } });
        (self.status, Json(body)).into_response()
    }
}

type Answer = Result<Json<Value>, AuthFail>;

fn body(bytes: &Bytes) -> Result<Value, AuthFail> {
    serde_json::from_slice::<Value>(bytes)
        .ok()
        .filter(Value::is_object)
        .ok_or_else(|| {
            fail(
                "InvalidParameterException",
                None,
                "the body must be a JSON object",
            )
        })
}

fn text<'a>(v: &'a Value, field: &'static str) -> Result<&'a str, AuthFail> {
    match v.get(field).and_then(Value::as_str) {
        Some(s) if !s.trim().is_empty() => Ok(s),
        _ => Err(fail(
            "InvalidParameterException",
            Some(field),
            format!("{field} is required"),
        )),
    }
}

fn email(v: &Value) -> Result<String, AuthFail> {
    let raw = text(v, "email")?.trim().to_lowercase();
    let valid = raw.len() >= 3
        && raw.len() <= 254
        && raw
            .split_once('@')
            .is_some_and(|(user, domain)| !user.is_empty() && domain.contains('.'))
        && !raw.contains(char::is_whitespace);
    if valid {
        Ok(raw)
    } else {
        Err(fail(
            "InvalidParameterException",
            Some("email"),
            "enter a valid e-mail address",
        ))
    }
}

/// What the password misses under the pool's policy (empty when it conforms).
pub fn password_problems(password: &str) -> Vec<&'static str> {
    let mut missing = Vec::new();
    if password.chars().count() < MIN_PASSWORD_LENGTH {
        missing.push("at least 12 characters");
    }
    if !password.chars().any(|c| c.is_ascii_lowercase()) {
        missing.push("a lowercase letter");
    }
    if !password.chars().any(|c| c.is_ascii_uppercase()) {
        missing.push("an uppercase letter");
    }
    if !password.chars().any(|c| c.is_ascii_digit()) {
        missing.push("a number");
    }
    if !password.chars().any(|c| SYMBOLS.contains(c)) {
        missing.push("a symbol");
    }
    if password.starts_with(' ') || password.ends_with(' ') {
        missing.push("no leading or trailing space");
    }
    missing
}

fn new_password(v: &Value) -> Result<String, AuthFail> {
    let password = text(v, "password")?;
    let missing = password_problems(password);
    if missing.is_empty() {
        Ok(password.to_owned())
    } else {
        Err(fail(
            "InvalidPasswordException",
            Some("password"),
            format!("the password needs {}", missing.join(", ")),
        ))
    }
}

fn masked(email: &str) -> String {
    match email.split_once('@') {
        Some((user, domain)) => {
            format!("{}***@{domain}", user.chars().next().unwrap_or('*'))
        }
        None => "***".to_owned(),
    }
}

fn locked(state: &DevAuth) -> std::sync::MutexGuard<'_, HashMap<String, Account>> {
    state
        .accounts
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn deliver(email: &str, purpose: &str, code: &str) -> Value {
    println!("dev auth: {purpose} code for {email}: {code}");
    json!({ "destination": masked(email), "delivery_medium": "EMAIL", "dev_code": code })
}

async fn policy() -> Json<Value> {
    Json(json!({
        "minimum_length": MIN_PASSWORD_LENGTH,
        "require_lowercase": true,
        "require_uppercase": true,
        "require_numbers": true,
        "require_symbols": true,
    }))
}

async fn sign_up(State(state): State<Arc<DevAuth>>, bytes: Bytes) -> Answer {
    let v = body(&bytes)?;
    let name = text(&v, "name")?.trim().to_owned();
    if name.chars().count() > 256 {
        return Err(fail(
            "InvalidParameterException",
            Some("name"),
            "the name must be at most 256 characters",
        ));
    }
    let email = email(&v)?;
    let password = new_password(&v)?;
    let mut accounts = locked(&state);
    if accounts.get(&email).is_some_and(|a| a.confirmed) {
        return Err(fail(
            "UsernameExistsException",
            Some("email"),
            "an account with this e-mail already exists",
        ));
    }
    let code = new_code();
    let account = Account {
        sub: new_sub(),
        name,
        email: email.clone(),
        password: state.hash(&password),
        confirmed: false,
        code: Some(code.clone()),
    };
    let sub = account.sub.clone();
    accounts.insert(email.clone(), account);
    let mut answer = deliver(&email, "verification", &code);
    answer["user_sub"] = json!(sub);
    Ok(Json(answer))
}

fn check_code(account: &Account, v: &Value) -> Result<(), AuthFail> {
    let code = text(v, "code")?.trim();
    if account.code.as_deref() == Some(code) {
        Ok(())
    } else {
        Err(fail(
            "CodeMismatchException",
            Some("code"),
            "invalid verification code, please try again",
        ))
    }
}

fn no_such_code() -> AuthFail {
    fail(
        "CodeMismatchException",
        Some("code"),
        "invalid verification code, please try again",
    )
}

async fn confirm(State(state): State<Arc<DevAuth>>, bytes: Bytes) -> Answer {
    let v = body(&bytes)?;
    let email = email(&v)?;
    let mut accounts = locked(&state);
    let account = accounts.get_mut(&email).ok_or_else(no_such_code)?;
    if account.confirmed {
        return Err(fail(
            "NotAuthorizedException",
            None,
            "this account is already confirmed",
        ));
    }
    check_code(account, &v)?;
    account.confirmed = true;
    account.code = None;
    Ok(Json(json!({ "confirmed": true })))
}

async fn resend(State(state): State<Arc<DevAuth>>, bytes: Bytes) -> Answer {
    let v = body(&bytes)?;
    let email = email(&v)?;
    let mut accounts = locked(&state);
    match accounts.get_mut(&email) {
        Some(account) if !account.confirmed => {
            let code = new_code();
            account.code = Some(code.clone());
            Ok(Json(deliver(&email, "verification", &code)))
        }
        _ => Err(fail(
            "InvalidParameterException",
            Some("email"),
            "no unconfirmed account has this e-mail",
        )),
    }
}

async fn sign_in(State(state): State<Arc<DevAuth>>, bytes: Bytes) -> Answer {
    let v = body(&bytes)?;
    let email = email(&v)?;
    let password = text(&v, "password")?;
    let account = locked(&state).get(&email).cloned();
    let wrong = || {
        fail(
            "NotAuthorizedException",
            None,
            "incorrect e-mail or password",
        )
    };
    let account = account.ok_or_else(wrong)?;
    if account.password != state.hash(password) {
        return Err(wrong());
    }
    if !account.confirmed {
        return Err(fail(
            "UserNotConfirmedException",
            None,
            "confirm your e-mail address first",
        ));
    }
    let token = state
        .issuer
        .id_token(&account.sub, &account.email, &account.name, TOKEN_TTL_SECS)
        .map_err(|e| AuthFail {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "InternalErrorException",
            message: e,
            field: None,
        })?;
    Ok(Json(
        json!({ "id_token": token, "expires_in": TOKEN_TTL_SECS }),
    ))
}

async fn forgot(State(state): State<Arc<DevAuth>>, bytes: Bytes) -> Answer {
    let v = body(&bytes)?;
    let email = email(&v)?;
    let mut accounts = locked(&state);
    let code = new_code();
    match accounts.get_mut(&email) {
        Some(account) if account.confirmed => {
            account.code = Some(code.clone());
            Ok(Json(deliver(&email, "password reset", &code)))
        }
        // As the pool with `prevent_user_existence_errors`: the same answer, no code works.
        _ => Ok(Json(
            json!({ "destination": masked(&email), "delivery_medium": "EMAIL", "dev_code": null }),
        )),
    }
}

async fn reset(State(state): State<Arc<DevAuth>>, bytes: Bytes) -> Answer {
    let v = body(&bytes)?;
    let email = email(&v)?;
    let password = new_password(&v)?;
    let hashed = state.hash(&password);
    let mut accounts = locked(&state);
    let account = accounts
        .get_mut(&email)
        .filter(|a| a.confirmed)
        .ok_or_else(no_such_code)?;
    check_code(account, &v)?;
    account.password = hashed;
    account.code = None;
    Ok(Json(json!({ "reset": true })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use loansyncro_api::{AuthConfig, Authenticator};

    /// Serves the routes on a free loopback port; returns the base URL and the issuer.
    async fn serve() -> (String, Arc<DevIssuer>) {
        let issuer = Arc::new(DevIssuer::generate("k", "http://dev.test/dev", "client").unwrap());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = router(Arc::clone(&issuer));
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (format!("http://{addr}/dev/auth"), issuer)
    }

    async fn post(base: &str, path: &str, body: Value) -> (u16, Value) {
        let res = reqwest::Client::new()
            .post(format!("{base}/{path}"))
            .json(&body)
            .send()
            .await
            .unwrap();
        (res.status().as_u16(), res.json().await.unwrap())
    }

    fn code_of(v: &Value) -> &str {
        v["error"]["code"].as_str().unwrap()
    }

    #[tokio::test]
    async fn sign_up_confirm_sign_in_and_reset_like_the_user_pool() {
        let (base, issuer) = serve().await;
        let pw = "Correct-Horse-9";
        let (s, v) = post(
            &base,
            "sign-up",
            json!({"name": "Ada", "email": "Ada@Example.com", "password": "short"}),
        )
        .await;
        assert_eq!((s, code_of(&v)), (400, "InvalidPasswordException"));
        assert_eq!(v["error"]["field"], "password");
        let (s, v) = post(
            &base,
            "sign-up",
            json!({"name": "Ada", "email": "not-an-email", "password": pw}),
        )
        .await;
        assert_eq!(
            (s, code_of(&v), v["error"]["field"].as_str()),
            (400, "InvalidParameterException", Some("email"))
        );

        let (s, up) = post(
            &base,
            "sign-up",
            json!({"name": "Ada", "email": "Ada@Example.com", "password": pw}),
        )
        .await;
        assert_eq!(s, 200);
        assert_eq!(up["destination"], "a***@example.com");
        let code = up["dev_code"].as_str().unwrap().to_owned();

        let (s, v) = post(
            &base,
            "sign-in",
            json!({"email": "ada@example.com", "password": pw}),
        )
        .await;
        assert_eq!((s, code_of(&v)), (400, "UserNotConfirmedException"));
        let wrong = if code == "000000" { "111111" } else { "000000" };
        let (_, v) = post(
            &base,
            "confirm",
            json!({"email": "ada@example.com", "code": wrong}),
        )
        .await;
        assert_eq!(code_of(&v), "CodeMismatchException");
        let (s, _) = post(
            &base,
            "confirm",
            json!({"email": "ADA@example.com", "code": code}),
        )
        .await;
        assert_eq!(s, 200);
        let (_, v) = post(
            &base,
            "sign-up",
            json!({"name": "Ada", "email": "ada@example.com", "password": pw}),
        )
        .await;
        assert_eq!(code_of(&v), "UsernameExistsException");

        let (_, v) = post(
            &base,
            "sign-in",
            json!({"email": "ada@example.com", "password": "Wrong-Horse-99"}),
        )
        .await;
        assert_eq!(code_of(&v), "NotAuthorizedException");
        let (_, v) = post(
            &base,
            "sign-in",
            json!({"email": "nobody@example.com", "password": pw}),
        )
        .await;
        assert_eq!(code_of(&v), "NotAuthorizedException");
        let (s, v) = post(
            &base,
            "sign-in",
            json!({"email": "ada@example.com", "password": pw}),
        )
        .await;
        assert_eq!((s, v["expires_in"].as_i64()), (200, Some(3600)));

        // The token is one the API's authenticator accepts, with the account's profile.
        let config = AuthConfig::for_issuer(issuer.issuer.clone(), vec![issuer.client_id.clone()]);
        let auth = Authenticator::with_jwks(config, issuer.jwks().to_string().as_bytes()).unwrap();
        let token = v["id_token"].as_str().unwrap();
        let who = auth
            .authenticate_header(Some(&format!("Bearer {token}")))
            .await
            .unwrap();
        assert_eq!(who.email.as_deref(), Some("ada@example.com"));
        assert_eq!(who.name.as_deref(), Some("Ada"));
        assert_eq!(who.user_id.as_str(), up["user_sub"].as_str().unwrap());

        // Forgotten password: a code, then the new password replaces the old one.
        let (_, f) = post(&base, "forgot", json!({"email": "ada@example.com"})).await;
        let reset = f["dev_code"].as_str().unwrap().to_owned();
        let (_, v) = post(
            &base,
            "reset",
            json!({"email": "ada@example.com", "code": reset, "password": "weak"}),
        )
        .await;
        assert_eq!(code_of(&v), "InvalidPasswordException");
        let (s, _) = post(
            &base,
            "reset",
            json!({"email": "ada@example.com", "code": reset, "password": "New-Password-77"}),
        )
        .await;
        assert_eq!(s, 200);
        let (_, v) = post(
            &base,
            "sign-in",
            json!({"email": "ada@example.com", "password": pw}),
        )
        .await;
        assert_eq!(code_of(&v), "NotAuthorizedException");
        let (s, _) = post(
            &base,
            "sign-in",
            json!({"email": "ada@example.com", "password": "New-Password-77"}),
        )
        .await;
        assert_eq!(s, 200);
        // An unknown address gets the same answer and no usable code.
        let (s, v) = post(&base, "forgot", json!({"email": "nobody@example.com"})).await;
        assert_eq!((s, v["dev_code"].is_null()), (200, true));
    }

    #[tokio::test]
    async fn a_body_that_is_not_an_object_is_a_typed_error() {
        let (base, _) = serve().await;
        let res = reqwest::Client::new()
            .post(format!("{base}/sign-in"))
            .body("[1]")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 400);
        let v: Value = res.json().await.unwrap();
        assert_eq!(code_of(&v), "InvalidParameterException");
    }

    #[test]
    fn password_policy_names_what_is_missing() {
        assert!(password_problems("Correct-Horse-9").is_empty());
        assert_eq!(
            password_problems("short"),
            vec![
                "at least 12 characters",
                "an uppercase letter",
                "a number",
                "a symbol"
            ]
        );
        assert_eq!(
            password_problems("ALLUPPERCASE1!"),
            vec!["a lowercase letter"]
        );
        assert_eq!(
            password_problems(" Padded-Pass12"),
            vec!["no leading or trailing space"]
        );
    }

    #[test]
    fn ids_and_codes_have_their_shapes() {
        let code = new_code();
        assert_eq!(code.len(), 6);
        assert!(code.chars().all(|c| c.is_ascii_digit()));
        let sub = new_sub();
        assert_eq!(sub.len(), 36);
        assert_eq!(sub.matches('-').count(), 4);
        assert_ne!(new_sub(), sub);
        assert_eq!(masked("alice@example.com"), "a***@example.com");
    }
}
