//! Accounts as a client makes them: a user's key material from a plaintext master password
//! (what a real registration produces); the access-token claims are built in
//! `service::bitwarden_tokens`, where the console's acting tokens are minted too.

use crate::bitwarden::crypto::{self, CryptoError, RsaKeyPair, SymmetricKey};
pub use crate::service::bitwarden_tokens::{org_claims, user_claims, Device};

/// Everything a client registration sends, plus the keys the sandbox keeps for seeding.
pub struct UserMaterial {
    /// The hash the client sends as its password.
    pub client_hash: String,
    /// `2.` user key under the stretched master key (`Key`).
    pub encrypted_user_key: String,
    /// base64 SPKI public key.
    pub public_key: String,
    /// `2.` PKCS#8 private key under the user key (`PrivateKey`).
    pub encrypted_private_key: String,
}

/// Derives a user's master key and hash, makes a random user key and an RSA-2048 key pair, and
/// wraps them as a Bitwarden client does on registration.
pub fn make_user_material(
    email: &str,
    master_password: &str,
    kdf_iterations: u32,
) -> Result<UserMaterial, CryptoError> {
    let master_key = crypto::master_key(master_password, email, kdf_iterations);
    let client_hash = crypto::master_password_hash(&master_key, master_password);
    let stretched = crypto::stretch(&master_key);
    let user_key = SymmetricKey::generate();
    let pair = RsaKeyPair::generate()?;
    Ok(UserMaterial {
        client_hash,
        encrypted_user_key: crypto::encrypt_type2(&stretched, &user_key.to_bytes()),
        public_key: pair.public_key_b64()?,
        encrypted_private_key: crypto::encrypt_type2(&user_key, &pair.pkcs8_der()?),
    })
}

/// An organization's key material: its symmetric key and its own RSA key pair (the private
/// key wrapped under the organization key).
pub struct OrgMaterial {
    /// The organization key (shared with members as `4.` strings).
    pub org_key: SymmetricKey,
    /// base64 SPKI.
    pub public_key: String,
    /// `2.` PKCS#8 under the organization key.
    pub encrypted_private_key: String,
}

/// Makes an organization's keys.
pub fn make_org_material() -> Result<OrgMaterial, CryptoError> {
    let org_key = SymmetricKey::generate();
    let pair = RsaKeyPair::generate()?;
    Ok(OrgMaterial {
        public_key: pair.public_key_b64()?,
        encrypted_private_key: crypto::encrypt_type2(&org_key, &pair.pkcs8_der()?),
        org_key,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_material_unlocks_with_the_master_password() {
        let m = make_user_material("A@B.test", "pw", 1000).unwrap();
        let mk = crypto::master_key("pw", "a@b.test", 1000);
        assert_eq!(m.client_hash, crypto::master_password_hash(&mk, "pw"));
        let user_key = crypto::decrypt_type2(&crypto::stretch(&mk), &m.encrypted_user_key).unwrap();
        let user_key = SymmetricKey::from_bytes(&user_key).unwrap();
        let der = crypto::decrypt_type2(&user_key, &m.encrypted_private_key).unwrap();
        let pair = RsaKeyPair::from_pkcs8(&der).unwrap();
        assert_eq!(pair.public_key_b64().unwrap(), m.public_key);
    }
}
