//! A development identity provider: an RSA key generated at start-up, its JWKS, and tokens
//! shaped like Cognito's (id or access). For the local server's explicitly enabled development
//! identity mode and for tests; never used by the Lambdas.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::{json, Value};

/// A signing key and the issuer / client id its tokens carry.
pub struct DevIssuer {
    /// Key id (`kid`).
    pub kid: String,
    /// Issuer (`iss`).
    pub issuer: String,
    /// App client id (`aud` of id tokens, `client_id` of access tokens).
    pub client_id: String,
    key: RsaPrivateKey,
    encoding: EncodingKey,
}

impl std::fmt::Debug for DevIssuer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DevIssuer")
            .field("kid", &self.kid)
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

/// Seconds since the Unix epoch.
pub fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

impl DevIssuer {
    /// Generates a 2048-bit RSA key.
    pub fn generate(
        kid: impl Into<String>,
        issuer: impl Into<String>,
        client_id: impl Into<String>,
    ) -> Result<DevIssuer, String> {
        DevIssuer::generate_with_bits(kid, issuer, client_id, 2048)
    }

    /// Generates an RSA key of `bits` bits (tests of the key-size checks use weak ones).
    pub fn generate_with_bits(
        kid: impl Into<String>,
        issuer: impl Into<String>,
        client_id: impl Into<String>,
        bits: usize,
    ) -> Result<DevIssuer, String> {
        let mut rng = rand::thread_rng();
        let key = RsaPrivateKey::new(&mut rng, bits).map_err(|e| e.to_string())?;
        let der = key.to_pkcs1_der().map_err(|e| e.to_string())?;
        let encoding = EncodingKey::from_rsa_der(der.as_bytes());
        Ok(DevIssuer {
            kid: kid.into(),
            issuer: issuer.into(),
            client_id: client_id.into(),
            key,
            encoding,
        })
    }

    /// The JWK of the public key.
    pub fn jwk(&self) -> Value {
        json!({
            "kty": "RSA",
            "alg": "RS256",
            "use": "sig",
            "kid": self.kid,
            "n": URL_SAFE_NO_PAD.encode(self.key.n().to_bytes_be()),
            "e": URL_SAFE_NO_PAD.encode(self.key.e().to_bytes_be()),
        })
    }

    /// The JWKS document with this key.
    pub fn jwks(&self) -> Value {
        json!({ "keys": [self.jwk()] })
    }

    /// The modulus and exponent as big-endian bytes (for building attack tokens in tests).
    pub fn public_components(&self) -> (Vec<u8>, Vec<u8>) {
        (self.key.n().to_bytes_be(), self.key.e().to_bytes_be())
    }

    /// The standard claims of an id token for `sub` valid for `ttl_secs`.
    pub fn id_claims(&self, sub: &str, email: &str, name: &str, ttl_secs: i64) -> Value {
        let now = now_secs();
        json!({
            "sub": sub,
            "iss": self.issuer,
            "aud": self.client_id,
            "token_use": "id",
            "email": email,
            "email_verified": true,
            "name": name,
            "cognito:username": sub,
            "iat": now,
            "auth_time": now,
            "exp": now + ttl_secs,
        })
    }

    /// The standard claims of an access token.
    pub fn access_claims(&self, sub: &str, ttl_secs: i64) -> Value {
        let now = now_secs();
        json!({
            "sub": sub,
            "iss": self.issuer,
            "client_id": self.client_id,
            "token_use": "access",
            "scope": "aws.cognito.signin.user.admin",
            "iat": now,
            "exp": now + ttl_secs,
        })
    }

    /// Signs `claims` with this key (RS256, this `kid`).
    pub fn sign(&self, claims: &Value) -> Result<String, String> {
        self.sign_with_kid(claims, &self.kid)
    }

    /// Signs `claims` with this key under another `kid`.
    pub fn sign_with_kid(&self, claims: &Value, kid: &str) -> Result<String, String> {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(kid.to_owned());
        jsonwebtoken::encode(&header, claims, &self.encoding).map_err(|e| e.to_string())
    }

    /// An id token for `sub`, valid for `ttl_secs`.
    pub fn id_token(
        &self,
        sub: &str,
        email: &str,
        name: &str,
        ttl_secs: i64,
    ) -> Result<String, String> {
        self.sign(&self.id_claims(sub, email, name, ttl_secs))
    }
}
