//! Passwords. The SDK never sends the password itself: it sends
//! `hex(HMAC-SHA256(key = lowercased email, message = password))`, and curl users may send the
//! plain password. orgbox stores a salted PBKDF2 of the SDK form, so either arrives at the same
//! check.

use std::num::NonZeroU32;

use rand::RngCore;
use ring::pbkdf2;

use crate::auth::signing::hmac_hex;

const ALGORITHM: pbkdf2::Algorithm = pbkdf2::PBKDF2_HMAC_SHA256;
const PREFIX: &str = "pbkdf2-sha256";

/// The SDK form of a password: what `@bitgo/sdk-api` sends as `password`.
pub fn sdk_form(email: &str, password: &str) -> String {
    hmac_hex(email.to_lowercase().as_bytes(), password.as_bytes())
}

/// Hashes the SDK form of a password for storage:
/// `pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>`.
pub fn hash_for_storage(email: &str, password: &str, iterations: u32) -> String {
    record_for(&sdk_form(email, password), iterations)
}

/// A salted PBKDF2-HMAC-SHA256 record of `secret`:
/// `pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>` (the form every stored secret takes).
pub fn record_for(secret: &str, iterations: u32) -> String {
    let iterations = NonZeroU32::new(iterations.max(1)).unwrap_or(NonZeroU32::MIN);
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let mut out = [0u8; 32];
    pbkdf2::derive(ALGORITHM, iterations, &salt, secret.as_bytes(), &mut out);
    format!(
        "{PREFIX}${iterations}${}${}",
        hex::encode(salt),
        hex::encode(out)
    )
}

/// Whether `given` (the SDK form, or the plain password) is the password of `email`.
pub fn verify(stored: &str, email: &str, given: &str) -> bool {
    verify_record(stored, given) || verify_record(stored, &sdk_form(email, given))
}

/// A well-formed stored record with `iterations` that no password matches (random salt and
/// random "hash"): checking against it costs what checking a real record costs.
pub fn decoy_record(iterations: u32) -> String {
    let mut bytes = [0u8; 48];
    rand::rng().fill_bytes(&mut bytes);
    format!(
        "{PREFIX}${}${}${}",
        iterations.max(1),
        hex::encode(&bytes[..16]),
        hex::encode(&bytes[16..])
    )
}

/// [`verify`] with the same work whatever `stored` is: an unknown user (`None`) or a record
/// that cannot match (an invited user's) is checked against `decoy` and fails, so the time
/// taken does not tell which emails have accounts.
pub fn verify_same_work(stored: Option<&str>, decoy: &str, email: &str, given: &str) -> bool {
    match stored.filter(|s| is_record(s)) {
        Some(record) => verify(record, email, given),
        None => {
            verify(decoy, email, given);
            false
        }
    }
}

fn is_record(stored: &str) -> bool {
    stored.starts_with(PREFIX) && stored.split('$').count() == 4
}

/// Whether `candidate` is the secret of a [`record_for`] record (constant time); a record
/// that does not parse matches nothing.
pub fn verify_record(stored: &str, candidate: &str) -> bool {
    let mut parts = stored.split('$');
    let (Some(PREFIX), Some(iter), Some(salt), Some(hash), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    let (Some(iterations), Ok(salt), Ok(hash)) = (
        iter.parse::<u32>().ok().and_then(NonZeroU32::new),
        hex::decode(salt),
        hex::decode(hash),
    ) else {
        return false;
    };
    pbkdf2::verify(ALGORITHM, iterations, &salt, candidate.as_bytes(), &hash).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdk_form_matches_bitgos_test_vectors() {
        assert_eq!(
            sdk_form("mike+test@bitgo.com", "itestutestwetest"),
            "ce897c2ded122c6cbacf9084691f1d6f9eb8433d6b9a655f2698947889333fe3"
        );
        assert_eq!(
            sdk_form("alice@example.com", "correct horse"),
            "9449d739df79bbdae40700f7572fd50e906c8c6ef942473bf08d0df0d84ce929"
        );
    }

    #[test]
    fn only_the_email_is_lowercased() {
        assert_eq!(
            sdk_form("Alice@Example.COM", "correct horse"),
            sdk_form("alice@example.com", "correct horse")
        );
        assert_ne!(
            sdk_form("alice@example.com", "Correct horse"),
            sdk_form("alice@example.com", "correct horse")
        );
    }

    #[test]
    fn plain_and_sdk_forms_both_verify() {
        let stored = hash_for_storage("alice@example.com", "correct horse", 1000);
        assert!(verify(&stored, "alice@example.com", "correct horse"));
        assert!(verify(
            &stored,
            "alice@example.com",
            "9449d739df79bbdae40700f7572fd50e906c8c6ef942473bf08d0df0d84ce929"
        ));
        assert!(!verify(&stored, "alice@example.com", "wrong"));
    }

    #[test]
    fn unknown_users_and_unusable_records_never_verify() {
        let decoy = decoy_record(1000);
        assert!(is_record(&decoy));
        assert!(!verify_same_work(None, &decoy, "a@b.c", "pw"));
        assert!(!verify_same_work(Some("!invited"), &decoy, "a@b.c", "pw"));
        let stored = hash_for_storage("a@b.c", "pw", 1000);
        assert!(verify_same_work(Some(&stored), &decoy, "a@b.c", "pw"));
    }

    #[test]
    fn stored_hashes_are_salted_and_never_contain_the_password() {
        let a = hash_for_storage("a@b.c", "pw", 10);
        let b = hash_for_storage("a@b.c", "pw", 10);
        assert_ne!(a, b);
        assert!(!a.contains("pw") && !a.contains(&sdk_form("a@b.c", "pw")));
        assert!(!verify("garbage", "a@b.c", "pw"));
    }
}
