//! The development identity mode (`--dev-identity`), compiled only with the server's `dev`
//! feature (a default feature of this local server; the Lambdas never depend on it): a signing
//! key generated at start-up, its JWKS at `/dev/.well-known/jwks.json`, a token printed for
//! `--dev-user`, more from `GET /dev/token?user=<id>`, and the `/dev/auth/**` accounts.
//! Without the feature, `--dev-identity` exits with the command that enables it.

use axum::Router;
use loansyncro_api::Authenticator;

/// The authenticator that accepts the development key's tokens, and the `/dev/**` routes.
#[cfg(feature = "dev")]
pub(crate) fn identity(
    base: &str,
    user: &str,
    token_file: Option<&str>,
) -> (Authenticator, Router) {
    use std::sync::Arc;

    use axum::extract::RawQuery;
    use axum::routing::get;
    use axum::Json;
    use loansyncro_api::AuthConfig;
    use loansyncro_devkeys::DevIssuer;
    use serde_json::json;

    use crate::{devauth, fail};

    let issuer_url = format!("{base}/dev");
    let dev = DevIssuer::generate("dev-key", issuer_url.clone(), "loansyncro-dev")
        .unwrap_or_else(|e| fail(format!("key generation: {e}")));
    let jwks = dev.jwks();
    let config = AuthConfig::for_issuer(issuer_url, vec![dev.client_id.clone()]);
    let auth =
        Authenticator::with_jwks(config, jwks.to_string().as_bytes()).unwrap_or_else(|e| fail(e));
    let token = dev
        .id_token(user, &format!("{user}@example.com"), user, 12 * 3600)
        .unwrap_or_else(|e| fail(e));
    println!("development identity mode: tokens are signed by a key generated at start-up");
    println!("dev token for {user} (12 h): {token}");
    if let Some(path) = token_file {
        std::fs::write(path, &token).unwrap_or_else(|e| fail(format!("{path}: {e}")));
    }
    let dev = Arc::new(dev);
    let routes = devauth::router(Arc::clone(&dev))
        .route(
            "/dev/.well-known/jwks.json",
            get(move || async move { Json(jwks) }),
        )
        .route(
            "/dev/token",
            get(move |RawQuery(q): RawQuery| {
                let dev = Arc::clone(&dev);
                async move {
                    let pairs =
                        loansyncro_api::extract::query_pairs(Some(q.as_deref().unwrap_or("")))
                            .unwrap_or_default();
                    let user = pairs
                        .iter()
                        .find(|(k, _)| k == "user")
                        .map(|(_, v)| v.clone())
                        .unwrap_or_else(|| "dev-user".to_owned());
                    match dev.id_token(&user, &format!("{user}@example.com"), &user, 12 * 3600) {
                        Ok(token) => Json(json!({ "user": user, "token": token })),
                        Err(e) => Json(json!({ "error": e })),
                    }
                }
            }),
        );
    (auth, routes)
}

/// Built without the `dev` feature: the development identity mode is refused.
#[cfg(not(feature = "dev"))]
pub(crate) fn identity(
    _base: &str,
    _user: &str,
    _token_file: Option<&str>,
) -> (Authenticator, Router) {
    crate::fail(
        "--dev-identity needs the `dev` feature (a default feature): \
         cargo run -p loansyncro-server --features dev",
    )
}
