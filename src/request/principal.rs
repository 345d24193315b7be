//! From a request's credentials to the authenticated principal (spec/bitgo.md 3.5):
//! find the token by hash, check the HMAC and its timestamp for signed requests, then expiry,
//! revocation and the token's IP restriction.

use std::net::IpAddr;

use rusqlite::Connection;

use crate::auth::replay::changes_state;
use crate::auth::seal::ServerKey;
use crate::auth::signing::{request_subject, response_hmac_hex, verify_hex, AuthVersion};
use crate::auth::token::RawToken;
use crate::domain::error::{AuthFailure, Error, Result};
use crate::domain::token_rules::check_usable;
use crate::sandbox::{Clock, Sandbox};
use crate::store::tokens::{self, TokenLookup, TokenRow};

/// What the request presented.
#[derive(Debug)]
pub enum Credentials {
    /// `Authorization: Bearer <raw token>` with no HMAC (curl, and the SDK's v1 path).
    Raw(RawToken),
    /// A v2/v3 signed request: the bearer is the token's SHA-256.
    Signed {
        /// The bearer: lowercase hex SHA-256 of the raw token.
        token_hash: String,
        /// `BitGo-Auth-Version`.
        version: AuthVersion,
        /// `Auth-Timestamp`, exactly as sent (milliseconds).
        timestamp: String,
        /// `HMAC`.
        hmac: String,
    },
}

/// The parts of the request a signature covers, and where it came from.
#[derive(Debug)]
pub struct RequestFacts<'a> {
    /// Uppercase HTTP method.
    pub method: &'a str,
    /// Raw request target (path and query) as signed.
    pub target: &'a str,
    /// Raw body bytes.
    pub body: &'a [u8],
    /// The client address; `None` when it could not be trusted.
    pub client_ip: Option<IpAddr>,
}

/// An authenticated caller: the token row and what is needed to sign the reply.
#[derive(Debug)]
pub struct Principal {
    /// The token used.
    pub token: TokenRow,
    /// Its raw value, the HMAC key of the response signature.
    raw_token: RawToken,
    /// The signing scheme for the response.
    pub version: AuthVersion,
    /// Whether the request itself was signed.
    pub signed: bool,
}

impl Principal {
    /// The owner's user id.
    pub fn user_id(&self) -> &str {
        &self.token.user_id
    }

    /// Signs a response: returns the `HMAC` header value for `timestamp`.
    pub fn sign_response(
        &self,
        method: &str,
        target: &str,
        timestamp: &str,
        status: u16,
        body: &[u8],
    ) -> String {
        response_hmac_hex(
            self.raw_token.expose().as_bytes(),
            self.version,
            method,
            timestamp,
            target,
            status,
            body,
        )
    }
}

/// Authenticates `credentials` against the sandbox's tokens. With `reject_replays`, a
/// state-changing signed request is served once per signature.
pub async fn authenticate(
    sandbox: &Sandbox,
    key: &ServerKey,
    credentials: Credentials,
    facts: &RequestFacts<'_>,
    window_ms: i64,
    reject_replays: bool,
) -> Result<Principal> {
    let no_preload = |_: &Connection, _: &TokenRow| Ok(());
    authenticate_with(
        sandbox,
        key,
        credentials,
        facts,
        window_ms,
        reject_replays,
        no_preload,
    )
    .await
    .map(|(principal, ())| principal)
}

/// [`authenticate`], also running `preload` on the token's row in the same store call (one
/// blocking-pool hop instead of two for a handler that reads what it needs right after). What
/// `preload` returns is handed out only when authentication succeeds. The token and the
/// preload are read through the store's cache (valid until the next write): expiry,
/// revocation, the owner's state, the signature and the IP restriction are still decided
/// afresh on every request.
pub async fn authenticate_with<T, F>(
    sandbox: &Sandbox,
    key: &ServerKey,
    credentials: Credentials,
    facts: &RequestFacts<'_>,
    window_ms: i64,
    reject_replays: bool,
    preload: F,
) -> Result<(Principal, T)>
where
    T: Clone + Send + Sync + 'static,
    F: FnOnce(&Connection, &TokenRow) -> Result<T> + Send + 'static,
{
    let (hash, signature) = match credentials {
        Credentials::Raw(raw) => (raw.hash(), Err(raw)),
        Credentials::Signed {
            token_hash,
            version,
            timestamp,
            hmac,
        } => (
            token_hash.to_ascii_lowercase(),
            Ok((version, timestamp, hmac)),
        ),
    };
    let (found, preloaded) = find_with(sandbox, hash, preload)
        .await?
        .ok_or(Error::Unauthenticated(AuthFailure::UnknownToken))?;
    let row = found.token;

    let (raw_token, version, replay_key) = match signature {
        Err(raw) => (raw, AuthVersion::V2, None),
        Ok((version, timestamp, hmac)) => {
            let (raw, signed_at) =
                verify_signature(key, &row, facts, version, &timestamp, &hmac, window_ms)?;
            (raw, version, Some((hmac, signed_at)))
        }
    };
    let signed = replay_key.is_some();

    check_usable(row.expires_at, row.revoked_at, sandbox.clock.now_ms())
        .map_err(Error::Unauthenticated)?;
    if !found.owner_active {
        return Err(Error::Unauthenticated(AuthFailure::InactiveUser));
    }
    if !row.ip_restrict.allows(facts.client_ip) {
        return Err(Error::Unauthenticated(AuthFailure::IpNotAllowed));
    }
    let guarded = reject_replays && changes_state(facts.method);
    if let Some((hmac, signed_at)) = replay_key.filter(|_| guarded) {
        // Remembered until the signature goes stale anyway.
        let until = signed_at.saturating_add(window_ms);
        if !sandbox
            .replays
            .first_use(&hmac, until, Clock::real_now_ms())
        {
            return Err(Error::Unauthenticated(AuthFailure::Replayed));
        }
    }
    Ok((
        Principal {
            token: row,
            raw_token,
            version,
            signed,
        },
        preloaded,
    ))
}

/// The token whose hash is `hash` and what `preload` reads for it, in one snapshot, through
/// the store's cache (valid until the next write).
async fn find_with<T, F>(
    sandbox: &Sandbox,
    hash: String,
    preload: F,
) -> Result<Option<(TokenLookup, T)>>
where
    T: Clone + Send + Sync + 'static,
    F: FnOnce(&Connection, &TokenRow) -> Result<T> + Send + 'static,
{
    let key = hash.clone();
    sandbox
        .store
        .read_cached(
            &key,
            Option::is_some,
            move |conn| match tokens::find_by_hash(conn, &hash)? {
                Some(found) => {
                    let preloaded = preload(conn, &found.token)?;
                    Ok(Some((found, preloaded)))
                }
                None => Ok(None),
            },
        )
        .await
}

/// Checks a signed request's HMAC (keyed by the token `row`'s raw value, unsealed with `key`)
/// and its timestamp; returns the raw token and the signing time.
fn verify_signature(
    key: &ServerKey,
    row: &TokenRow,
    facts: &RequestFacts<'_>,
    version: AuthVersion,
    timestamp: &str,
    hmac: &str,
    window_ms: i64,
) -> Result<(RawToken, i64)> {
    let raw = key
        .open(&row.sealed_token, &row.id)
        .and_then(|b| String::from_utf8(b).ok())
        .map(RawToken::from_string)
        .ok_or_else(|| {
            Error::Internal(format!(
                "token {} cannot be unsealed with this server key",
                row.id
            ))
        })?;
    let signed_at = check_timestamp(timestamp, Clock::real_now_ms(), window_ms)?;
    let subject = request_subject(version, facts.method, timestamp, facts.target, facts.body);
    if !verify_hex(raw.expose().as_bytes(), &subject, hmac) {
        return Err(Error::Unauthenticated(AuthFailure::BadSignature));
    }
    Ok((raw, signed_at))
}

/// A signed request's `Auth-Timestamp` (milliseconds) must be within `window_ms` of the real
/// clock; returns it.
pub fn check_timestamp(timestamp: &str, real_now_ms: i64, window_ms: i64) -> Result<i64> {
    let ts: i64 = timestamp.trim().parse().map_err(|_| {
        Error::Unauthenticated(AuthFailure::MalformedHeader(
            "unauthorized: Auth-Timestamp must be milliseconds since the epoch",
        ))
    })?;
    // abs_diff cannot overflow, whatever the client sent (i64::MIN included).
    if real_now_ms.abs_diff(ts) > window_ms.unsigned_abs() {
        return Err(Error::Unauthenticated(AuthFailure::StaleTimestamp));
    }
    Ok(ts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_within_five_minutes_pass_either_side() {
        let now = 1_700_000_000_000;
        let w = 300_000;
        assert!(check_timestamp(&(now - w).to_string(), now, w).is_ok());
        assert!(check_timestamp(&(now + w).to_string(), now, w).is_ok());
        assert!(check_timestamp(&(now - w - 1).to_string(), now, w).is_err());
        assert!(check_timestamp("yesterday", now, w).is_err());
    }

    #[test]
    fn extreme_timestamps_are_refused_without_overflow() {
        let now = 1_700_000_000_000;
        for ts in [i64::MIN, i64::MAX, -1] {
            assert!(matches!(
                check_timestamp(&ts.to_string(), now, 300_000),
                Err(Error::Unauthenticated(AuthFailure::StaleTimestamp))
            ));
        }
        assert!(check_timestamp("99999999999999999999999", now, 300_000).is_err());
    }
}
