//! The identity server: prelogin, `connect/token` (password, refresh_token, client_credentials
//! for `user.<id>` and `organization.<id>`), and registration.

use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use ring::hmac;
use serde_json::json;

use crate::bitwarden::body::Body;
use crate::bitwarden::call::{jwt_key, sandbox_of};
use crate::bitwarden::crypto::{self};
use crate::bitwarden::error::{BwError, BwResult};
use crate::bitwarden::ids;
use crate::store::bitwarden::{users, users::BwUser};

/// `POST /identity/accounts/prelogin` and `/identity/accounts/prelogin/password`: the KDF
/// settings of a known user, a deterministic fake for an unknown one.
pub async fn prelogin(req: HttpRequest, body: Bytes) -> Result<HttpResponse, BwError> {
    let (_, sandbox) = sandbox_of(&req)?;
    let body = Body::parse(&body, true)?;
    let email = body.required_str("email")?;
    if email.len() > 256 || !email.contains('@') {
        return Err(BwError::field(
            "Email",
            "The Email field is not a valid e-mail address.",
        ));
    }
    let normalized = crypto::normalize_email(&email);
    let lookup = normalized.clone();
    let user = sandbox
        .store
        .read(move |c| users::find_by_email(c, &lookup))
        .await?;
    let (kdf, iterations, memory, parallelism, salt) = match user {
        Some(u) => (
            u.kdf,
            u.kdf_iterations,
            u.kdf_memory,
            u.kdf_parallelism,
            Some(normalized),
        ),
        None => {
            let key = jwt_key(&sandbox).await?;
            fake_kdf(&key, &normalized)
        }
    };
    Ok(HttpResponse::Ok().json(json!({
        "kdf": kdf,
        "kdfIterations": iterations,
        "kdfMemory": memory,
        "kdfParallelism": parallelism,
        "kdfSettings": {
            "kdfType": kdf,
            "iterations": iterations,
            "memory": memory,
            "parallelism": parallelism,
        },
        "salt": salt,
    })))
}

type Kdf = (i64, i64, Option<i64>, Option<i64>, Option<String>);

/// The anti-enumeration answer for an unknown email: chosen by an HMAC of the address from the
/// real server's pool, so it never changes for one address.
fn fake_kdf(key: &[u8], email: &str) -> Kdf {
    let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), email.as_bytes());
    let b = tag.as_ref();
    let salt = (b[1] % 2 == 0).then(|| email.to_string());
    match b[0] % 6 {
        0 | 1 => (0, 600_000, None, None, salt),
        2 => (0, 100_000, None, None, salt),
        3 => (0, 5_000, None, None, salt),
        4 => (1, 3, Some(64), Some(4), salt),
        _ => (1, 6, Some(32), Some(4), salt),
    }
}

mod issue;
pub mod token;

pub use token::token;

/// The keys a registration carries: the wrapped user key and, optionally, the key pair.
struct RegisteredKeys {
    user_key: String,
    public_key: Option<String>,
    private_key: Option<String>,
}

/// Reads `userSymmetricKey` (or the older `key`) and `userAsymmetricKeys` (or `keys`).
fn read_registered_keys(body: &Body) -> BwResult<RegisteredKeys> {
    let user_key = body
        .str("userSymmetricKey")?
        .or(body.str("key")?)
        .ok_or_else(|| {
            BwError::field(
                "UserSymmetricKey",
                "The UserSymmetricKey field is required.",
            )
        })?;
    let keys_obj = body.object("userAsymmetricKeys")?.or(body.object("keys")?);
    let (public_key, private_key) = match keys_obj {
        Some(k) => (k.str("publicKey")?, k.str("encryptedPrivateKey")?),
        None => (None, None),
    };
    for (name, v) in [
        ("UserSymmetricKey", Some(&user_key)),
        ("EncryptedPrivateKey", private_key.as_ref()),
    ] {
        if v.is_some_and(|v| !crypto::is_enc_string(v)) {
            return Err(BwError::field(name, "Invalid encrypted string."));
        }
    }
    Ok(RegisteredKeys {
        user_key,
        public_key,
        private_key,
    })
}

/// Reads `kdf` and `kdfIterations`: PBKDF2 only, 5,000 to 2,000,000 iterations.
fn read_kdf(body: &Body, default_iterations: u32) -> BwResult<(i64, i64)> {
    let kdf = body.i64("kdf")?.unwrap_or(0);
    let iterations = body
        .i64("kdfIterations")?
        .unwrap_or(i64::from(default_iterations));
    if kdf != 0 {
        return Err(BwError::BadRequest(
            "Only PBKDF2 is supported by this sandbox.".into(),
        ));
    }
    if !(5_000..=2_000_000).contains(&iterations) {
        return Err(BwError::field(
            "KdfIterations",
            "KDF iterations must be between 5000 and 2000000.",
        ));
    }
    Ok((kdf, iterations))
}

/// `POST /identity/accounts/register` and `/identity/accounts/register/finish`: creates a user
/// from what a client sends (its master password hash, wrapped user key and key pair).
pub async fn register(req: HttpRequest, body: Bytes) -> BwResult<HttpResponse> {
    let (state, sandbox) = sandbox_of(&req)?;
    let body = Body::parse(&body, true)?;
    let email = crypto::normalize_email(&body.required_str("email")?);
    if !email.contains('@') || email.len() > 256 {
        return Err(BwError::field(
            "Email",
            "The Email field is not a valid e-mail address.",
        ));
    }
    let hash = body.required_str("masterPasswordHash")?;
    let keys = read_registered_keys(&body)?;
    let (kdf, iterations) = read_kdf(&body, state.bitwarden.kdf_iterations)?;
    let now = sandbox.clock.now_ms();
    let server_iters = state.bitwarden.server_hash_iterations;
    let stored = state
        .password_workers
        .run(move || crypto::hash_for_storage(&hash, server_iters))
        .await?;
    let user = BwUser {
        id: ids::new_guid(),
        email,
        name: body.str("name")?,
        kdf,
        kdf_iterations: iterations,
        kdf_memory: None,
        kdf_parallelism: None,
        master_password_hash: Some(stored),
        user_key: Some(keys.user_key),
        public_key: keys.public_key,
        private_key: keys.private_key,
        security_stamp: ids::new_guid(),
        api_key: ids::random_alnum(30),
        premium: false,
        uses_key_connector: false,
        two_factor_enabled: false,
        created_at: now,
        revision_at: now,
    };
    sandbox
        .store
        .write(move |c| -> BwResult<_> {
            if users::find_by_email(c, &user.email)?.is_some() {
                return Err(BwError::BadRequest(format!(
                    "Email '{}' is already taken.",
                    user.email
                )));
            }
            users::insert(c, &user)?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::Ok().json(json!({"object": "register", "captchaBypassToken": null})))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fake_kdf_is_deterministic_per_address() {
        let a = fake_kdf(b"k", "nobody@x.test");
        assert_eq!(a, fake_kdf(b"k", "nobody@x.test"));
        assert!([5_000, 100_000, 600_000, 3, 6].contains(&a.1));
    }
}
