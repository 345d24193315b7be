//! Bitwarden key material, made as a client makes it: the PBKDF2 master key and master password
//! hash, the HKDF-stretched master key, `2.` encrypted strings (AES-256-CBC + HMAC-SHA256) and
//! `4.` encrypted strings (RSA-2048 OAEP with SHA-1). ring covers PBKDF2, HKDF, HMAC and random
//! bytes; the `rsa`, `aes`/`cbc` and `sha1` crates cover what ring does not offer (RSA
//! key generation and OAEP encryption, raw AES-CBC).

use std::num::NonZeroU32;

use crate::auth::password;
use aes::cipher::{block_padding::Pkcs7, BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use rand::RngCore;
use ring::{hkdf, hmac, pbkdf2};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use rsa::{Oaep, RsaPrivateKey, RsaPublicKey};

type Aes256CbcEnc = cbc::Encryptor<aes::Aes256>;
type Aes256CbcDec = cbc::Decryptor<aes::Aes256>;

/// Why a key operation failed.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    /// An encrypted string is not of the expected `N.` form.
    #[error("malformed encrypted string")]
    Malformed,
    /// The MAC does not match: wrong key or tampered text.
    #[error("MAC mismatch")]
    BadMac,
    /// Decryption or key decoding failed.
    #[error("{0}")]
    Key(String),
}

/// A 64-byte symmetric key: 32 bytes for AES-256, 32 for HMAC-SHA256.
#[derive(Clone, PartialEq, Eq)]
pub struct SymmetricKey {
    /// AES-256 key.
    pub enc: [u8; 32],
    /// HMAC-SHA256 key.
    pub mac: [u8; 32],
}

impl std::fmt::Debug for SymmetricKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SymmetricKey(<redacted>)")
    }
}

impl SymmetricKey {
    /// A fresh random key (a user key or an organization key).
    pub fn generate() -> SymmetricKey {
        let mut bytes = [0u8; 64];
        rand::rng().fill_bytes(&mut bytes);
        SymmetricKey::from_bytes(&bytes).unwrap_or_else(unreachable_key)
    }

    /// Splits 64 bytes into the two halves; `None` for any other length.
    pub fn from_bytes(bytes: &[u8]) -> Option<SymmetricKey> {
        if bytes.len() != 64 {
            return None;
        }
        let mut enc = [0u8; 32];
        let mut mac = [0u8; 32];
        enc.copy_from_slice(&bytes[..32]);
        mac.copy_from_slice(&bytes[32..]);
        Some(SymmetricKey { enc, mac })
    }

    /// The 64 bytes, encryption half first (the form a client encrypts and shares).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = self.enc.to_vec();
        v.extend_from_slice(&self.mac);
        v
    }
}

fn unreachable_key() -> SymmetricKey {
    SymmetricKey {
        enc: [0; 32],
        mac: [0; 32],
    }
}

/// Trims and lowercases an email, as clients do before using it as the PBKDF2 salt.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The master key: PBKDF2-HMAC-SHA256(password, salt = normalized email, iterations, 32 bytes).
pub fn master_key(password: &str, email: &str, iterations: u32) -> [u8; 32] {
    let mut out = [0u8; 32];
    let iterations = NonZeroU32::new(iterations).unwrap_or(NonZeroU32::MIN);
    pbkdf2::derive(
        pbkdf2::PBKDF2_HMAC_SHA256,
        iterations,
        normalize_email(email).as_bytes(),
        password.as_bytes(),
        &mut out,
    );
    out
}

/// The hash a client sends to the server (`HashPurpose.ServerAuthorization`):
/// base64(PBKDF2-HMAC-SHA256(master key, salt = password, 1 iteration, 32 bytes)).
pub fn master_password_hash(master_key: &[u8; 32], password: &str) -> String {
    let mut out = [0u8; 32];
    pbkdf2::derive(
        pbkdf2::PBKDF2_HMAC_SHA256,
        NonZeroU32::MIN,
        password.as_bytes(),
        master_key,
        &mut out,
    );
    B64.encode(out)
}

struct Len32;
impl hkdf::KeyType for Len32 {
    fn len(&self) -> usize {
        32
    }
}

fn hkdf_expand(prk: &[u8; 32], info: &[u8]) -> [u8; 32] {
    let prk = hkdf::Prk::new_less_safe(hkdf::HKDF_SHA256, prk);
    let mut out = [0u8; 32];
    let info = [info];
    // Expanding 32 bytes from SHA-256 never exceeds HKDF's 255-block limit.
    if let Ok(okm) = prk.expand(&info, Len32) {
        let _ = okm.fill(&mut out);
    }
    out
}

/// The stretched master key: HKDF-Expand(master key, "enc") and HKDF-Expand(master key, "mac").
pub fn stretch(master_key: &[u8; 32]) -> SymmetricKey {
    SymmetricKey {
        enc: hkdf_expand(master_key, b"enc"),
        mac: hkdf_expand(master_key, b"mac"),
    }
}

fn mac_of(key: &SymmetricKey, iv: &[u8], data: &[u8]) -> hmac::Tag {
    let k = hmac::Key::new(hmac::HMAC_SHA256, &key.mac);
    let mut ctx = hmac::Context::with_key(&k);
    ctx.update(iv);
    ctx.update(data);
    ctx.sign()
}

/// Encrypts `plain` as a type-2 string: `2.<b64 iv>|<b64 ciphertext>|<b64 mac>`.
pub fn encrypt_type2(key: &SymmetricKey, plain: &[u8]) -> String {
    let mut iv = [0u8; 16];
    rand::rng().fill_bytes(&mut iv);
    let ct = Aes256CbcEnc::new(&key.enc.into(), &iv.into()).encrypt_padded_vec_mut::<Pkcs7>(plain);
    let mac = mac_of(key, &iv, &ct);
    format!(
        "2.{}|{}|{}",
        B64.encode(iv),
        B64.encode(&ct),
        B64.encode(mac.as_ref())
    )
}

/// Decrypts a type-2 string, checking its MAC first.
pub fn decrypt_type2(key: &SymmetricKey, text: &str) -> Result<Vec<u8>, CryptoError> {
    let rest = text.strip_prefix("2.").ok_or(CryptoError::Malformed)?;
    let parts: Vec<&str> = rest.split('|').collect();
    let [iv, ct, mac] = parts.as_slice() else {
        return Err(CryptoError::Malformed);
    };
    let iv = B64.decode(iv).map_err(|_| CryptoError::Malformed)?;
    let ct = B64.decode(ct).map_err(|_| CryptoError::Malformed)?;
    let mac = B64.decode(mac).map_err(|_| CryptoError::Malformed)?;
    if iv.len() != 16 {
        return Err(CryptoError::Malformed);
    }
    let k = hmac::Key::new(hmac::HMAC_SHA256, &key.mac);
    let mut signed = iv.clone();
    signed.extend_from_slice(&ct);
    hmac::verify(&k, &signed, &mac).map_err(|_| CryptoError::BadMac)?;
    let mut iv16 = [0u8; 16];
    iv16.copy_from_slice(&iv);
    Aes256CbcDec::new(&key.enc.into(), &iv16.into())
        .decrypt_padded_vec_mut::<Pkcs7>(&ct)
        .map_err(|e| CryptoError::Key(e.to_string()))
}

/// Whether `text` has the shape of an encrypted string a client may send (`<type>.<parts>`
/// with type 0-6 and base64 parts).
pub fn is_enc_string(text: &str) -> bool {
    let Some((kind, rest)) = text.split_once('.') else {
        return false;
    };
    let parts = match kind {
        "0" => 2,
        "1" | "2" => 3,
        "3" | "4" => 1,
        "5" | "6" => 2,
        _ => return false,
    };
    let pieces: Vec<&str> = rest.split('|').collect();
    pieces.len() == parts && pieces.iter().all(|p| B64.decode(p).is_ok())
}

/// An RSA-2048 key pair as a client keeps it.
pub struct RsaKeyPair {
    /// The private key.
    pub private: RsaPrivateKey,
}

impl RsaKeyPair {
    /// Generates a fresh RSA-2048 key pair (slow in debug builds; cache the result).
    pub fn generate() -> Result<RsaKeyPair, CryptoError> {
        let mut rng = rsa::rand_core::OsRng;
        RsaPrivateKey::new(&mut rng, 2048)
            .map(|private| RsaKeyPair { private })
            .map_err(|e| CryptoError::Key(e.to_string()))
    }

    /// Loads a key from PKCS#8 DER.
    pub fn from_pkcs8(der: &[u8]) -> Result<RsaKeyPair, CryptoError> {
        RsaPrivateKey::from_pkcs8_der(der)
            .map(|private| RsaKeyPair { private })
            .map_err(|e| CryptoError::Key(e.to_string()))
    }

    /// The private key as PKCS#8 DER (what a client encrypts as its private key).
    pub fn pkcs8_der(&self) -> Result<Vec<u8>, CryptoError> {
        self.private
            .to_pkcs8_der()
            .map(|d| d.as_bytes().to_vec())
            .map_err(|e| CryptoError::Key(e.to_string()))
    }

    /// The public key as base64 SubjectPublicKeyInfo DER (Bitwarden's `publicKey`).
    pub fn public_key_b64(&self) -> Result<String, CryptoError> {
        RsaPublicKey::from(&self.private)
            .to_public_key_der()
            .map(|d| B64.encode(d.as_bytes()))
            .map_err(|e| CryptoError::Key(e.to_string()))
    }

    /// Decrypts a `4.` string made for this key.
    pub fn decrypt_type4(&self, text: &str) -> Result<Vec<u8>, CryptoError> {
        let b64 = text.strip_prefix("4.").ok_or(CryptoError::Malformed)?;
        let ct = B64.decode(b64).map_err(|_| CryptoError::Malformed)?;
        self.private
            .decrypt(Oaep::new::<sha1::Sha1>(), &ct)
            .map_err(|e| CryptoError::Key(e.to_string()))
    }
}

/// Encrypts `plain` for the holder of `public_key_b64` (SPKI DER) as `4.<b64 RSA-OAEP-SHA1>`.
pub fn encrypt_type4(public_key_b64: &str, plain: &[u8]) -> Result<String, CryptoError> {
    let der = B64
        .decode(public_key_b64)
        .map_err(|_| CryptoError::Malformed)?;
    let public =
        RsaPublicKey::from_public_key_der(&der).map_err(|e| CryptoError::Key(e.to_string()))?;
    let mut rng = rsa::rand_core::OsRng;
    let ct = public
        .encrypt(&mut rng, Oaep::new::<sha1::Sha1>(), plain)
        .map_err(|e| CryptoError::Key(e.to_string()))?;
    Ok(format!("4.{}", B64.encode(ct)))
}

/// Base64 (standard alphabet, padded), as Bitwarden writes binary values.
pub fn b64(bytes: &[u8]) -> String {
    B64.encode(bytes)
}

/// Server-side storage of a client's master password hash: `pbkdf2-sha256$<iter>$<salt>$<hash>`.
pub fn hash_for_storage(client_hash: &str, iterations: u32) -> String {
    password::record_for(client_hash, iterations)
}

/// Whether `client_hash` matches a value made by [`hash_for_storage`] (constant time).
pub fn verify_stored(stored: &str, client_hash: &str) -> bool {
    password::verify_record(stored, client_hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Vectors computed independently with Node's crypto (pbkdf2Sync / hkdfSync), the library
    // the Bitwarden CLI itself uses for these derivations.
    const EMAIL: &str = " Owner@Example.TEST ";
    const PASSWORD: &str = "correct horse battery staple";

    #[test]
    fn master_password_hash_matches_an_independent_derivation() {
        let mk = master_key(PASSWORD, EMAIL, 5000);
        assert_eq!(hex::encode(mk), MASTER_KEY_HEX);
        assert_eq!(master_password_hash(&mk, PASSWORD), SERVER_HASH_B64);
    }

    #[test]
    fn stretched_key_matches_an_independent_hkdf_expand() {
        let mk = master_key(PASSWORD, EMAIL, 5000);
        let s = stretch(&mk);
        assert_eq!(hex::encode(s.enc), STRETCH_ENC_HEX);
        assert_eq!(hex::encode(s.mac), STRETCH_MAC_HEX);
    }

    #[test]
    fn type2_round_trips_and_detects_tampering() {
        let key = SymmetricKey::generate();
        let text = encrypt_type2(&key, b"hello bitwarden");
        assert!(text.starts_with("2.") && is_enc_string(&text));
        assert_eq!(decrypt_type2(&key, &text).unwrap(), b"hello bitwarden");
        let other = SymmetricKey::generate();
        assert!(matches!(
            decrypt_type2(&other, &text),
            Err(CryptoError::BadMac)
        ));
        assert!(decrypt_type2(&key, "2.x|y").is_err());
    }

    #[test]
    fn type2_decrypts_a_vector_made_elsewhere() {
        let key = SymmetricKey::from_bytes(&[7u8; 64]).unwrap();
        assert_eq!(decrypt_type2(&key, TYPE2_VECTOR).unwrap(), b"orgbox");
    }

    #[test]
    fn type4_round_trips_with_a_fresh_rsa_key() {
        let pair = RsaKeyPair::generate().unwrap();
        let org_key = SymmetricKey::generate();
        let text = encrypt_type4(&pair.public_key_b64().unwrap(), &org_key.to_bytes()).unwrap();
        assert!(text.starts_with("4.") && is_enc_string(&text));
        let back = pair.decrypt_type4(&text).unwrap();
        assert_eq!(SymmetricKey::from_bytes(&back).unwrap(), org_key);
        let der = pair.pkcs8_der().unwrap();
        assert_eq!(
            RsaKeyPair::from_pkcs8(&der)
                .unwrap()
                .public_key_b64()
                .unwrap(),
            pair.public_key_b64().unwrap()
        );
    }

    #[test]
    fn stored_hashes_verify_only_the_same_client_hash() {
        let s = hash_for_storage("abc=", 10);
        assert!(verify_stored(&s, "abc="));
        assert!(!verify_stored(&s, "abd="));
        assert!(!verify_stored("junk", "abc="));
    }

    const MASTER_KEY_HEX: &str = "46c2feca66860e098c2ffb02e7ec06290e9a24968e656ee4ec564c58d2b11d39";
    const SERVER_HASH_B64: &str = "pyqKUfVHaaarq6y+LPq00L29t8BqKf8fHAZBSYmEr2Q=";
    const STRETCH_ENC_HEX: &str =
        "95a6088907a83965c8175540c471ba7b4c3b23a3570ed005995702a043637933";
    const STRETCH_MAC_HEX: &str =
        "be8417bf7518106576c355ffd64d40bf2946330b151bbae7c5e52b0547061beb";
    const TYPE2_VECTOR: &str = "2.AwMDAwMDAwMDAwMDAwMDAw==|kVjPIvFcGJEJz3MGj9rZ+A==|TEtp4jBQAGKFeU9LvgiVTcOng622LeHtmG2g9uh/0pc=";
}
