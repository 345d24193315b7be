//! The server key and the sealed copies of raw tokens. A signed BitGo request is keyed by the
//! raw token, so the server needs it back; it is kept sealed (ChaCha20-Poly1305) under a key
//! that lives in its own file beside, never inside, the database.

use std::fs;
use std::path::Path;

use rand::RngCore;
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, CHACHA20_POLY1305, NONCE_LEN};

/// The key that seals raw tokens at rest.
pub struct ServerKey {
    key: LessSafeKey,
}

impl std::fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerKey(<redacted>)")
    }
}

impl ServerKey {
    /// Reads the key at `path`, or creates one (owner-only permissions) if there is none.
    /// A key file its group or others can read is refused unless `allow_shared` is set.
    pub fn load_or_create(path: &Path, allow_shared: bool) -> std::io::Result<ServerKey> {
        let bytes = match fs::read(path) {
            Ok(bytes) => {
                if !allow_shared {
                    crate::files::check_private(path)?;
                }
                bytes
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut bytes = vec![0u8; 32];
                rand::rng().fill_bytes(&mut bytes);
                crate::files::write_private(path, &bytes)?;
                bytes
            }
            Err(e) => return Err(e),
        };
        ServerKey::from_bytes(&bytes).ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{} is not a 32-byte server key", path.display()),
            )
        })
    }

    /// A key from 32 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Option<ServerKey> {
        let unbound = UnboundKey::new(&CHACHA20_POLY1305, bytes).ok()?;
        Some(ServerKey {
            key: LessSafeKey::new(unbound),
        })
    }

    /// Seals `plaintext`, bound to `context` (the token id): nonce followed by ciphertext and tag.
    pub fn seal(&self, plaintext: &[u8], context: &str) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let mut buf = plaintext.to_vec();
        self.key
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(context.as_bytes()),
                &mut buf,
            )
            .expect("sealing a token never exceeds the AEAD size limit");
        [nonce.as_slice(), &buf].concat()
    }

    /// Opens what [`ServerKey::seal`] produced for the same `context`; `None` if it was
    /// tampered with, sealed for another context, or under another key.
    pub fn open(&self, sealed: &[u8], context: &str) -> Option<Vec<u8>> {
        if sealed.len() < NONCE_LEN {
            return None;
        }
        let (nonce, rest) = sealed.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut buf = rest.to_vec();
        let plain = self
            .key
            .open_in_place(nonce, Aad::from(context.as_bytes()), &mut buf)
            .ok()?;
        Some(plain.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_token_opens_only_for_its_context_and_key() {
        let key = ServerKey::from_bytes(&[7u8; 32]).unwrap();
        let sealed = key.seal(b"v2xsecret", "id1");
        assert!(!sealed.windows(9).any(|w| w == b"v2xsecret"));
        assert_eq!(key.open(&sealed, "id1").unwrap(), b"v2xsecret");
        assert!(key.open(&sealed, "id2").is_none());
        let other = ServerKey::from_bytes(&[8u8; 32]).unwrap();
        assert!(other.open(&sealed, "id1").is_none());
        let mut tampered = sealed.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert!(key.open(&tampered, "id1").is_none());
    }

    #[test]
    fn key_file_is_created_once_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("server.key");
        let a = ServerKey::load_or_create(&path, false).unwrap();
        let sealed = a.seal(b"x", "c");
        let b = ServerKey::load_or_create(&path, false).unwrap();
        assert_eq!(b.open(&sealed, "c").unwrap(), b"x");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
            assert!(ServerKey::load_or_create(&path, false).is_err());
            assert!(ServerKey::load_or_create(&path, true).is_ok());
        }
    }
}
