//! Go Account payload signatures: BitGo's SDK signs a withdrawal or trade payload with the
//! wallet's user key as a Bitcoin signed message (`bitcoinjs-message`: the hash is
//! SHA-256d over `"\x18Bitcoin Signed Message:\n" || varint(len) || message`, the signature
//! 65 bytes: a recovery header then r and s), and the user key is a BIP-32 `xpub`. The server
//! only verifies; signing is here for tests and the demo world.

use k256::ecdsa::signature::hazmat::PrehashVerifier;
use k256::ecdsa::{Signature, SigningKey, VerifyingKey};
use ring::digest::{digest, SHA256};

use crate::domain::error::{Error, Result};

const ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const MESSAGE_PREFIX: &[u8] = b"\x18Bitcoin Signed Message:\n";
const XPUB_VERSION: [u8; 4] = [0x04, 0x88, 0xb2, 0x1e];
const XPRV_VERSION: [u8; 4] = [0x04, 0x88, 0xad, 0xe4];

/// Characters of a serialized BIP-32 key (`xpub`/`xprv`): 78 bytes and a 4-byte checksum
/// are always 111 base58 characters (BIP-32, "Serialization format"). Checked before
/// decoding, whose cost grows with the square of the length.
pub const EXTENDED_KEY_CHARS: usize = 111;

/// Hex characters of a Bitcoin signed-message signature (65 bytes).
const SIGNATURE_HEX_CHARS: usize = 130;

fn sha256d(data: &[u8]) -> [u8; 32] {
    let once = digest(&SHA256, data);
    let twice = digest(&SHA256, once.as_ref());
    let mut out = [0u8; 32];
    out.copy_from_slice(twice.as_ref());
    out
}

/// Base58 decoding (Bitcoin alphabet); `None` on a character outside it.
fn base58_decode(s: &str) -> Option<Vec<u8>> {
    let mut bytes: Vec<u8> = Vec::new();
    for c in s.bytes() {
        let mut carry = ALPHABET.iter().position(|&a| a == c)? as u32;
        for b in bytes.iter_mut().rev() {
            carry += u32::from(*b) * 58;
            *b = (carry & 0xff) as u8;
            carry >>= 8;
        }
        while carry > 0 {
            bytes.insert(0, (carry & 0xff) as u8);
            carry >>= 8;
        }
    }
    let zeros = s.bytes().take_while(|&c| c == b'1').count();
    let mut out = vec![0u8; zeros];
    out.extend(bytes);
    Some(out)
}

fn base58_encode(data: &[u8]) -> String {
    let mut digits: Vec<u8> = Vec::new();
    for &byte in data {
        let mut carry = u32::from(byte);
        for d in digits.iter_mut().rev() {
            carry += u32::from(*d) << 8;
            *d = (carry % 58) as u8;
            carry /= 58;
        }
        while carry > 0 {
            digits.insert(0, (carry % 58) as u8);
            carry /= 58;
        }
    }
    let zeros = data.iter().take_while(|&&b| b == 0).count();
    let mut out = "1".repeat(zeros);
    out.extend(digits.iter().map(|&d| ALPHABET[d as usize] as char));
    out
}

fn base58check_decode(s: &str) -> Option<Vec<u8>> {
    let raw = base58_decode(s)?;
    if raw.len() < 4 {
        return None;
    }
    let (payload, check) = raw.split_at(raw.len() - 4);
    (sha256d(payload)[..4] == *check).then(|| payload.to_vec())
}

fn base58check_encode(payload: &[u8]) -> String {
    let mut data = payload.to_vec();
    data.extend_from_slice(&sha256d(payload)[..4]);
    base58_encode(&data)
}

/// The 78-byte payload of a serialized BIP-32 key with `version`; `None` for anything else,
/// refused on its length before any decoding.
fn extended_key(key: &str, version: [u8; 4]) -> Option<Vec<u8>> {
    if key.len() != EXTENDED_KEY_CHARS {
        return None;
    }
    let payload = base58check_decode(key)?;
    (payload.len() == 78 && payload[..4] == version).then_some(payload)
}

/// The public key inside a BIP-32 `xpub` (the 33 compressed bytes at its end), or a 400.
pub fn xpub_public_key(xpub: &str) -> Result<VerifyingKey> {
    let xpub = xpub.trim();
    if xpub.len() != EXTENDED_KEY_CHARS {
        return Err(Error::Invalid(format!(
            "pub is not a valid BIP-32 xpub: it has {} characters, an xpub has {EXTENDED_KEY_CHARS}",
            xpub.chars().count()
        )));
    }
    let bad = || Error::Invalid("pub is not a valid BIP-32 xpub".into());
    let payload = extended_key(xpub, XPUB_VERSION).ok_or_else(bad)?;
    VerifyingKey::from_sec1_bytes(&payload[45..78]).map_err(|_| bad())
}

/// The message hash `bitcoinjs-message` signs.
pub fn message_hash(message: &[u8]) -> [u8; 32] {
    let mut data = MESSAGE_PREFIX.to_vec();
    let len = message.len();
    // Bitcoin's varint.
    if len < 0xfd {
        data.push(len as u8);
    } else if len <= 0xffff {
        data.push(0xfd);
        data.extend_from_slice(&(len as u16).to_le_bytes());
    } else {
        data.push(0xfe);
        data.extend_from_slice(&(len as u32).to_le_bytes());
    }
    data.extend_from_slice(message);
    sha256d(&data)
}

/// Whether `signature_hex` (65 bytes as hex, BitGo's `halfSigned.signature`) is `xpub`'s
/// signature of `message`.
pub fn verify(xpub: &str, message: &str, signature_hex: &str) -> bool {
    let Ok(key) = xpub_public_key(xpub) else {
        return false;
    };
    let signature_hex = signature_hex.trim();
    if signature_hex.len() != SIGNATURE_HEX_CHARS {
        return false;
    }
    let Ok(bytes) = hex::decode(signature_hex) else {
        return false;
    };
    if bytes.len() != 65 || !(27..=42).contains(&bytes[0]) {
        return false;
    }
    let Ok(signature) = Signature::from_slice(&bytes[1..]) else {
        return false;
    };
    let signature = signature.normalize_s().unwrap_or(signature);
    key.verify_prehash(&message_hash(message.as_bytes()), &signature)
        .is_ok()
}

/// A BIP-32 key pair from 32 secret bytes: `(xprv, xpub)` at depth 0 with a chain code
/// derived from the secret (tests and the demo world; BitGo's SDK makes its own).
pub fn key_pair(secret: &[u8; 32]) -> Option<(String, String)> {
    let signing = SigningKey::from_slice(secret).ok()?;
    let chain_code = digest(&SHA256, secret);
    let public = signing.verifying_key().to_encoded_point(true);
    let header = |version: [u8; 4]| {
        let mut p = version.to_vec();
        p.extend_from_slice(&[0u8; 9]); // depth, parent fingerprint, child number
        p.extend_from_slice(chain_code.as_ref());
        p
    };
    let mut xprv = header(XPRV_VERSION);
    xprv.push(0);
    xprv.extend_from_slice(secret);
    let mut xpub = header(XPUB_VERSION);
    xpub.extend_from_slice(public.as_bytes());
    Some((base58check_encode(&xprv), base58check_encode(&xpub)))
}

/// Signs `message` as `bitcoinjs-message` does with the key of `xprv`; the 65-byte
/// signature as hex. `None` when `xprv` is not a depth-0 key from [`key_pair`]'s format.
pub fn sign(xprv: &str, message: &str) -> Option<String> {
    let payload = extended_key(xprv, XPRV_VERSION)?;
    let key = SigningKey::from_slice(&payload[46..78]).ok()?;
    let (signature, recovery) = key
        .sign_prehash_recoverable(&message_hash(message.as_bytes()))
        .ok()?;
    let mut out = vec![27 + 4 + recovery.to_byte()];
    out.extend_from_slice(&signature.to_bytes());
    Some(hex::encode(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_for_its_message_and_key() {
        let (xprv, xpub) = key_pair(&[7u8; 32]).unwrap();
        assert!(xpub.starts_with("xpub"), "{xpub}");
        assert!(xprv.starts_with("xprv"), "{xprv}");
        let sig = sign(&xprv, "{\"amount\":\"1\"}").unwrap();
        assert_eq!(sig.len(), 130);
        assert!(verify(&xpub, "{\"amount\":\"1\"}", &sig));
        assert!(!verify(&xpub, "{\"amount\":\"2\"}", &sig));
        let (_, other) = key_pair(&[8u8; 32]).unwrap();
        assert!(!verify(&other, "{\"amount\":\"1\"}", &sig));
        assert!(!verify(&xpub, "{\"amount\":\"1\"}", "zz"));
    }

    #[test]
    fn a_known_bitgo_xpub_parses() {
        // BIP-32 test vector 1, master xpub.
        let xpub = "xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8";
        assert!(xpub_public_key(xpub).is_ok());
        assert!(xpub_public_key("xpub123").is_err());
        assert!(
            xpub_public_key(&format!(" {xpub}\n")).is_ok(),
            "surrounding space"
        );
        // A long string is refused on its length, before the quadratic decoding.
        let long = "z".repeat(200_000);
        let e = xpub_public_key(&long).unwrap_err().to_string();
        assert!(e.contains("200000 characters"), "{e}");
        let mut broken = xpub.to_string();
        broken.replace_range(20..21, "Z");
        assert!(xpub_public_key(&broken).is_err());
    }
}
