//! Tokens already verified, so that a client sending the same bearer token on every request
//! pays for one RS256 verification, not one per request.
//!
//! What a verification establishes splits in two:
//! * facts of the token's bytes and the key that signed it (signature, `iss`, `aud`/`client_id`,
//!   `token_use`, `sub`, the claims of the [`Identity`]): they hold for as long as the key set
//!   still maps the token's `kid` to that same key;
//! * facts of the time (`exp`, `nbf`, `iat` against the leeway): they are checked again at every
//!   use, with [`TimeClaims::check`].
//!
//! An entry is therefore used only when the request's token is byte for byte the verified one
//! (the hash only picks the slot; a collision is a miss), its `kid` still resolves to the very
//! key it was verified with (a rotated or removed key refuses it as an uncached token would be),
//! and its time claims still pass. The cache holds at most [`AuthConfig::verified_tokens`]
//! entries of at most [`MAX_CACHED_TOKEN`] bytes: expired entries go first, then an arbitrary one.
//!
//! [`AuthConfig::verified_tokens`]: super::AuthConfig::verified_tokens

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use jsonwebtoken::DecodingKey;

use super::{AuthError, Identity};

/// Longest token kept (longer ones are verified every time; Cognito's are about 1 KB).
pub(crate) const MAX_CACHED_TOKEN: usize = 8 * 1024;

/// The time claims of a verified token, in seconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TimeClaims {
    /// `exp` (required).
    pub exp: u64,
    /// `nbf`, if present.
    pub nbf: Option<u64>,
    /// `iat`, if present.
    pub iat: Option<i64>,
}

impl TimeClaims {
    /// The token is not valid at `now` within `leeway`: expired (`exp < now - leeway`), not yet
    /// valid (`nbf > now + leeway`), or issued in the future (`iat > now + leeway`); the same
    /// comparisons as the first verification.
    pub(crate) fn check(&self, now: i64, leeway: Duration) -> Result<(), AuthError> {
        let leeway = i64::try_from(leeway.as_secs()).unwrap_or(i64::MAX);
        let exp = i64::try_from(self.exp).unwrap_or(i64::MAX);
        if exp < now.saturating_sub(leeway) {
            return Err(AuthError::Expired);
        }
        let latest = now.saturating_add(leeway);
        if self
            .nbf
            .is_some_and(|nbf| i64::try_from(nbf).unwrap_or(i64::MAX) > latest)
        {
            return Err(AuthError::NotYetValid);
        }
        if self.iat.is_some_and(|iat| iat > latest) {
            return Err(AuthError::IssuedInFuture);
        }
        Ok(())
    }

    /// Whether the token can never be valid again after `now` (expired beyond the leeway).
    fn expired(&self, now: i64, leeway: Duration) -> bool {
        matches!(self.check(now, leeway), Err(AuthError::Expired))
    }
}

/// One verified token.
#[derive(Debug, Clone)]
pub(crate) struct Verified {
    /// The token's `kid`.
    pub kid: String,
    /// The key that verified its signature.
    pub key: Arc<DecodingKey>,
    /// Its time claims, checked at every use.
    pub times: TimeClaims,
    /// Who it authenticates.
    pub identity: Identity,
}

#[derive(Debug)]
struct Entry {
    token: Box<str>,
    verified: Verified,
}

/// A bounded map from exact token bytes to what their verification established.
#[derive(Debug)]
pub(crate) struct VerifiedTokens {
    capacity: usize,
    hasher: std::collections::hash_map::RandomState,
    entries: Mutex<HashMap<u64, Entry>>,
}

impl VerifiedTokens {
    /// An empty cache of at most `capacity` tokens (0: nothing is kept).
    pub(crate) fn new(capacity: usize) -> VerifiedTokens {
        VerifiedTokens {
            capacity,
            hasher: std::collections::hash_map::RandomState::new(),
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn slot(&self, token: &str) -> u64 {
        self.hasher.hash_one(token)
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Entry>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// What the verification of exactly `token` established, if it is kept. The caller still
    /// checks the key and the time claims.
    pub(crate) fn get(&self, token: &str) -> Option<Verified> {
        if self.capacity == 0 {
            return None;
        }
        let slot = self.slot(token);
        let entries = self.entries();
        entries
            .get(&slot)
            .filter(|e| &*e.token == token)
            .map(|e| e.verified.clone())
    }

    /// Forgets `token` (it was refused on use).
    pub(crate) fn remove(&self, token: &str) {
        if self.capacity == 0 {
            return;
        }
        let slot = self.slot(token);
        let mut entries = self.entries();
        if entries.get(&slot).is_some_and(|e| &*e.token == token) {
            entries.remove(&slot);
        }
    }

    /// Keeps `token` as verified. When full: drops the tokens expired at `now`, then, if still
    /// full, an arbitrary one.
    pub(crate) fn insert(&self, token: &str, verified: Verified, now: i64, leeway: Duration) {
        if self.capacity == 0 || token.len() > MAX_CACHED_TOKEN {
            return;
        }
        let slot = self.slot(token);
        let mut entries = self.entries();
        if entries.len() >= self.capacity && !entries.contains_key(&slot) {
            entries.retain(|_, e| !e.verified.times.expired(now, leeway));
            if entries.len() >= self.capacity {
                if let Some(victim) = entries.keys().next().copied() {
                    entries.remove(&victim);
                }
            }
        }
        entries.insert(
            slot,
            Entry {
                token: token.into(),
                verified,
            },
        );
    }

    /// How many tokens are kept.
    pub(crate) fn len(&self) -> usize {
        self.entries().len()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use loansyncro_core::domain::user::UserId;

    const LEEWAY: Duration = Duration::from_secs(30);

    fn times(exp: u64) -> TimeClaims {
        TimeClaims {
            exp,
            nbf: None,
            iat: None,
        }
    }

    fn verified(exp: u64) -> Verified {
        let n = base64::Engine::encode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            [0xc1u8; 256],
        );
        Verified {
            kid: "kid".to_owned(),
            key: Arc::new(DecodingKey::from_rsa_components(&n, "AQAB").unwrap()),
            times: times(exp),
            identity: Identity {
                user_id: UserId::new("user-1").unwrap(),
                email: None,
                name: None,
            },
        }
    }

    #[test]
    fn time_claims_follow_the_first_verification_rules() {
        let t = TimeClaims {
            exp: 1_000,
            nbf: Some(500),
            iat: Some(400),
        };
        assert_eq!(t.check(1_000, LEEWAY), Ok(()));
        assert_eq!(t.check(1_030, LEEWAY), Ok(()), "exp within the leeway");
        assert_eq!(t.check(1_031, LEEWAY), Err(AuthError::Expired));
        assert_eq!(t.check(470, LEEWAY), Ok(()), "nbf within the leeway");
        assert_eq!(t.check(469, LEEWAY), Err(AuthError::NotYetValid));
        let iat = TimeClaims {
            exp: 1_000,
            nbf: None,
            iat: Some(600),
        };
        assert_eq!(iat.check(570, LEEWAY), Ok(()));
        assert_eq!(iat.check(569, LEEWAY), Err(AuthError::IssuedInFuture));
        assert_eq!(
            times(u64::MAX).check(i64::MAX, Duration::from_secs(u64::MAX)),
            Ok(())
        );
    }

    #[test]
    fn only_the_exact_token_is_found() {
        let cache = VerifiedTokens::new(4);
        cache.insert("a.b.c", verified(2_000), 1_000, LEEWAY);
        assert_eq!(cache.get("a.b.c").unwrap().times.exp, 2_000);
        assert!(cache.get("a.b.d").is_none());
        assert!(cache.get("a.b.c ").is_none());
        cache.remove("a.b.d");
        assert_eq!(cache.len(), 1);
        cache.remove("a.b.c");
        assert!(cache.get("a.b.c").is_none());
    }

    #[test]
    fn the_cache_is_bounded_and_drops_expired_tokens_first() {
        let cache = VerifiedTokens::new(3);
        cache.insert("old", verified(100), 50, LEEWAY);
        cache.insert("x", verified(2_000), 50, LEEWAY);
        cache.insert("y", verified(2_000), 50, LEEWAY);
        // Full at 1_000: "old" expired long ago and makes room.
        cache.insert("z", verified(2_000), 1_000, LEEWAY);
        assert_eq!(cache.len(), 3);
        assert!(cache.get("old").is_none());
        assert!(["x", "y", "z"].iter().all(|t| cache.get(t).is_some()));
        // Full of valid tokens: one of them goes, the new one is kept.
        for i in 0..100 {
            cache.insert(&format!("t{i}"), verified(2_000), 1_000, LEEWAY);
            assert!(cache.len() <= 3);
            assert!(cache.get(&format!("t{i}")).is_some());
        }
    }

    #[test]
    fn nothing_is_kept_without_capacity_or_for_huge_tokens() {
        let off = VerifiedTokens::new(0);
        off.insert("a.b.c", verified(2_000), 1_000, LEEWAY);
        assert!(off.get("a.b.c").is_none());
        let on = VerifiedTokens::new(8);
        let huge = "x".repeat(MAX_CACHED_TOKEN + 1);
        on.insert(&huge, verified(2_000), 1_000, LEEWAY);
        assert_eq!(on.len(), 0);
    }
}
