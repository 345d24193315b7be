//! Object ids: 32 lowercase hex characters. Like BitGo's, the first 8 are the creation time in
//! seconds, so ids sort roughly by age (which the list endpoints' `prevId` paging relies on).

use rand::RngCore;

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
}
