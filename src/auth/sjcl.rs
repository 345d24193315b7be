//! The BitGo SDK's password encryption (`bitgo.encrypt`, `@bitgo/sdk-api` `encrypt`: SJCL v1):
//! PBKDF2-HMAC-SHA256 (10,000 rounds, 8-byte salt) to an AES-256 key, AES-CCM with a 64-bit tag
//! under the first 13 bytes of a 16-byte IV, no associated data, as SJCL's JSON envelope. The
//! demo Go Account's user keychain carries its key this way, so `wallet.send({
//! walletPassphrase })` decrypts it with the demo password as it would a real keychain.

use aes::cipher::{BlockEncrypt, KeyInit};
use aes::Aes256;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

/// PBKDF2 rounds the SDK uses.
const ITERATIONS: u32 = 10_000;
/// Tag length, bytes (SJCL's `ts: 64`).
const TAG: usize = 8;

fn key(password: &str, salt: &[u8]) -> Aes256 {
    let mut key = [0u8; 32];
    ring::pbkdf2::derive(
        ring::pbkdf2::PBKDF2_HMAC_SHA256,
        std::num::NonZeroU32::new(ITERATIONS).unwrap_or(std::num::NonZeroU32::MIN),
        salt,
        password.as_bytes(),
        &mut key,
    );
    Aes256::new(&key.into())
}

fn encrypt_block(cipher: &Aes256, block: [u8; 16]) -> [u8; 16] {
    let mut b = block.into();
    cipher.encrypt_block(&mut b);
    b.into()
}

/// CCM's length field size for a message of `len` bytes (SJCL: at least 2).
fn length_bytes(len: usize) -> usize {
    let mut l = 2;
    while l < 4 && (len >> (8 * l)) != 0 {
        l += 1;
    }
    l
}

/// The counter block `(L-1) || nonce || i`.
fn counter(nonce: &[u8], l: usize, i: u32) -> [u8; 16] {
    let mut block = [0u8; 16];
    block[0] = (l - 1) as u8;
    block[1..1 + nonce.len()].copy_from_slice(nonce);
    let count = u64::from(i).to_be_bytes();
    block[16 - l..].copy_from_slice(&count[8 - l..]);
    block
}

/// The CBC-MAC of `plaintext` (CCM's tag before encryption).
fn mac(cipher: &Aes256, nonce: &[u8], l: usize, plaintext: &[u8]) -> [u8; 16] {
    let mut b0 = [0u8; 16];
    b0[0] = (((TAG - 2) / 2) << 3) as u8 | (l - 1) as u8;
    b0[1..1 + nonce.len()].copy_from_slice(nonce);
    let len = (plaintext.len() as u64).to_be_bytes();
    b0[16 - l..].copy_from_slice(&len[8 - l..]);
    let mut state = encrypt_block(cipher, b0);
    for chunk in plaintext.chunks(16) {
        for (s, p) in state.iter_mut().zip(chunk) {
            *s ^= p;
        }
        state = encrypt_block(cipher, state);
    }
    state
}

/// XORs `data` with the key stream from counter 1 on.
fn ctr(cipher: &Aes256, nonce: &[u8], l: usize, data: &mut [u8]) {
    for (i, chunk) in data.chunks_mut(16).enumerate() {
        let stream = encrypt_block(cipher, counter(nonce, l, i as u32 + 1));
        for (d, s) in chunk.iter_mut().zip(stream) {
            *d ^= s;
        }
    }
}

/// Encrypts `plaintext` under `password` with the given salt and IV, as the SDK's
/// `encrypt(password, plaintext, { salt, iv })` does, byte for byte.
pub fn encrypt(password: &str, plaintext: &str, salt: [u8; 8], iv: [u8; 16]) -> String {
    let cipher = key(password, &salt);
    let data = plaintext.as_bytes();
    let l = length_bytes(data.len());
    let nonce = &iv[..15 - l];
    let tag = mac(&cipher, nonce, l, data);
    let mut out = data.to_vec();
    ctr(&cipher, nonce, l, &mut out);
    let s0 = encrypt_block(&cipher, counter(nonce, l, 0));
    out.extend(tag[..TAG].iter().zip(s0).map(|(t, s)| t ^ s));
    format!(
        r#"{{"iv":"{}","v":1,"iter":{ITERATIONS},"ks":256,"ts":64,"mode":"ccm","adata":"","cipher":"aes","salt":"{}","ct":"{}"}}"#,
        STANDARD.encode(iv),
        STANDARD.encode(salt),
        STANDARD.encode(out)
    )
}

/// Decrypts an envelope [`encrypt`] made; `None` for a wrong password or another shape.
pub fn decrypt(password: &str, envelope: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(envelope).ok()?;
    let field = |k: &str| STANDARD.decode(v[k].as_str()?).ok();
    let (iv, salt, ct) = (field("iv")?, field("salt")?, field("ct")?);
    if iv.len() != 16 || ct.len() < TAG || v["iter"] != ITERATIONS || v["ks"] != 256 {
        return None;
    }
    let cipher = key(password, &salt);
    let (body, sealed_tag) = ct.split_at(ct.len() - TAG);
    let l = length_bytes(body.len());
    let nonce = &iv[..15 - l];
    let mut plain = body.to_vec();
    ctr(&cipher, nonce, l, &mut plain);
    let s0 = encrypt_block(&cipher, counter(nonce, l, 0));
    let tag = mac(&cipher, nonce, l, &plain);
    let expected: Vec<u8> = tag[..TAG].iter().zip(s0).map(|(t, s)| t ^ s).collect();
    // Every byte compared, whatever the first difference.
    let equal = expected
        .iter()
        .zip(sealed_tag)
        .fold(0u8, |acc, (a, b)| acc | (a ^ b))
        == 0;
    equal.then(|| String::from_utf8(plain).ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Made by `@bitgo/sdk-api` 1.86.0: `encrypt('Prestige-Worldwide-2026',
    /// 'xprv-test-plaintext', { salt: 0102..08, iv: 0001..0f })`.
    const SDK_ENVELOPE: &str = r#"{"iv":"AAECAwQFBgcICQoLDA0ODw==","v":1,"iter":10000,"ks":256,"ts":64,"mode":"ccm","adata":"","cipher":"aes","salt":"AQIDBAUGBwg=","ct":"6nMMEMwTAa+3Cee8+QEJNaG0wDVohdKXFGhD"}"#;

    fn salt_and_iv() -> ([u8; 8], [u8; 16]) {
        let salt = [1, 2, 3, 4, 5, 6, 7, 8];
        let iv: [u8; 16] = std::array::from_fn(|i| i as u8);
        (salt, iv)
    }

    #[test]
    fn encrypts_byte_for_byte_as_the_sdk_does() {
        let (salt, iv) = salt_and_iv();
        let made = encrypt("Prestige-Worldwide-2026", "xprv-test-plaintext", salt, iv);
        assert_eq!(made, SDK_ENVELOPE);
    }

    #[test]
    fn decrypts_with_the_password_only() {
        assert_eq!(
            decrypt("Prestige-Worldwide-2026", SDK_ENVELOPE).as_deref(),
            Some("xprv-test-plaintext")
        );
        assert_eq!(decrypt("wrong", SDK_ENVELOPE), None);
        let (salt, iv) = salt_and_iv();
        let long = "x".repeat(300);
        assert_eq!(decrypt("p", &encrypt("p", &long, salt, iv)), Some(long));
    }
}
