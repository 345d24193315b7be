//! Object ids: 32 lowercase hex characters. Like BitGo's, the first 8 are the creation time in
//! seconds, so ids sort roughly by age (which the list endpoints' `prevId` paging relies on).

use rand::{Rng, RngCore};

/// Whether `s` is a well-formed id (32 lowercase hex characters).
pub fn is_hex_id(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A new id for an object created at `now_ms`: 8 hex of seconds, then 24 random hex.
pub fn new_id(now_ms: i64) -> String {
    let secs = u32::try_from(now_ms.div_euclid(1000)).unwrap_or(u32::MAX);
    let mut random = [0u8; 12];
    rand::rng().fill_bytes(&mut random);
    format!("{secs:08x}{}", hex::encode(random))
}

/// Lowercase letters and digits (BitGo's request ids).
pub const BASE36: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
/// Letters of both cases and digits (Bitwarden's API and license keys).
pub const ALPHANUMERIC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// `n` characters drawn uniformly from `alphabet`.
pub fn random_chars(alphabet: &[u8], n: usize) -> String {
    let mut rng = rand::rng();
    (0..n)
        .map(|_| alphabet[rng.random_range(0..alphabet.len())] as char)
        .collect()
}

/// `n` random bytes as lowercase hex (secrets whose hash alone is stored).
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A new random (version 4) UUID, lowercase: the form of BitGo's order and identity ids and
/// of Bitwarden's GUIDs.
pub fn new_uuid() -> String {
    let mut b = [0u8; 16];
    rand::rng().fill_bytes(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    uuid_of(&hex::encode(b))
}

/// A 32-hex id written as a UUID (`8-4-4-4-12`); anything else unchanged.
pub fn uuid_of(hex: &str) -> String {
    if hex.len() != 32 {
        return hex.to_string();
    }
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ids_are_well_formed_and_start_with_the_time() {
        let id = new_id(1_761_324_279_108);
        assert!(is_hex_id(&id), "{id}");
        assert!(id.starts_with("68fbacf7"), "{id}");
        assert_ne!(new_id(0), new_id(0));
    }

    #[test]
    fn malformed_ids_are_rejected() {
        assert!(!is_hex_id("me"));
        assert!(!is_hex_id(&"A".repeat(32)));
        assert!(!is_hex_id(&"a".repeat(31)));
    }

    #[test]
    fn uuids_are_version_4_and_random_strings_use_their_alphabet() {
        let u = new_uuid();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"), "{u}");
        assert_ne!(new_uuid(), new_uuid());
        assert_eq!(uuid_of(&"ab".repeat(16)).matches('-').count(), 4);
        let s = random_chars(BASE36, 40);
        assert!(s.len() == 40 && s.bytes().all(|b| BASE36.contains(&b)));
        assert_eq!(random_hex(32).len(), 64);
    }
}
