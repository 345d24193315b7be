//! Organization licenses (spec §7): downloaded on a cloud sandbox, applied on a self-hosted one.
//! Licenses are signed with the sandbox's own RSA key (RSA PKCS#1 v1.5 SHA-256 over the sorted
//! `Name:value|` string, as the server's legacy format), kept in the store, so a tampered
//! license or one from another data directory is refused. Real Bitwarden licenses, signed with
//! Bitwarden's certificate, are refused too.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chrono::DateTime;
use ring::signature;
use serde_json::{json, Map, Value};

use crate::bitwarden::crypto::RsaKeyPair;
use crate::bitwarden::ids;
use crate::domain::error::{Error, Result};
use crate::domain::time::{self, Precision};
use crate::store::bitwarden::orgs::BwOrg;
use crate::store::bitwarden::setting_or_insert;
use rusqlite::Connection;

/// `bw_settings` name of the license signing key (base64 PKCS#8).
pub const LICENSE_KEY_SETTING: &str = "license_signing_key";
/// `bw_settings` name of this sandbox's installation id.
pub const INSTALLATION_SETTING: &str = "installation_id";
/// Current license file version.
pub const LICENSE_VERSION: i64 = 15;

/// The sandbox's license signing key, made on first use.
pub fn signing_key(conn: &Connection) -> Result<signature::RsaKeyPair> {
    let b64 = setting_or_insert(conn, LICENSE_KEY_SETTING, || {
        let pair = RsaKeyPair::generate().map_err(|e| Error::Internal(e.to_string()))?;
        Ok(B64.encode(
            pair.pkcs8_der()
                .map_err(|e| Error::Internal(e.to_string()))?,
        ))
    })?;
    let der = B64
        .decode(b64)
        .map_err(|e| Error::Internal(e.to_string()))?;
    signature::RsaKeyPair::from_pkcs8(&der)
        .map_err(|e| Error::Internal(format!("license key: {e}")))
}

/// The installation id of this sandbox.
pub fn installation_id(conn: &Connection) -> Result<String> {
    setting_or_insert(conn, INSTALLATION_SETTING, || Ok(ids::new_guid()))
}

fn value_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::String(s) => match DateTime::parse_from_rfc3339(s) {
            Ok(d) => d.timestamp().to_string(),
            Err(_) => s.clone(),
        },
        other => other.to_string(),
    }
}

/// The signed string: `license:organization|` and the fields sorted by name as `Name:value|`.
pub fn data_string(license: &Map<String, Value>, for_hash: bool) -> String {
    let mut names: Vec<&String> = license
        .keys()
        .filter(|k| {
            let k = k.to_ascii_lowercase();
            let unsigned = matches!(k.as_str(), "hash" | "signature" | "token");
            let unhashed = for_hash && matches!(k.as_str(), "issued" | "refresh");
            !(unsigned || unhashed)
        })
        .collect();
    names.sort_by_key(|k| k.to_ascii_lowercase());
    let mut s = String::from("license:organization|");
    for n in names {
        let mut c = n.chars();
        let pascal: String = c
            .next()
            .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
            .unwrap_or_default();
        s.push_str(&format!("{pascal}:{}|", value_text(&license[n])));
    }
    s
}

/// Signs a license object in place (`hash` and `signature`).
pub fn sign(key: &signature::RsaKeyPair, license: &mut Map<String, Value>) -> Result<()> {
    let hash = ring::digest::digest(&ring::digest::SHA256, data_string(license, true).as_bytes());
    license.insert("hash".into(), json!(B64.encode(hash.as_ref())));
    let mut sig = vec![0u8; key.public().modulus_len()];
    key.sign(
        &signature::RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        data_string(license, false).as_bytes(),
        &mut sig,
    )
    .map_err(|_| Error::Internal("license signing failed".into()))?;
    license.insert("signature".into(), json!(B64.encode(sig)));
    Ok(())
}

/// Whether a license's signature was made by `key`.
pub fn verify(key: &signature::RsaKeyPair, license: &Map<String, Value>) -> bool {
    let sig = license
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("signature"))
        .and_then(|(_, v)| v.as_str())
        .and_then(|s| B64.decode(s).ok());
    let Some(sig) = sig else { return false };
    signature::UnparsedPublicKey::new(
        &signature::RSA_PKCS1_2048_8192_SHA256,
        key.public().as_ref(),
    )
    .verify(data_string(license, false).as_bytes(), &sig)
    .is_ok()
}

fn iso(ms: i64) -> String {
    time::iso(ms, Precision::Seconds)
}

/// The license of an organization for an installation, valid one year from `now`.
pub fn build(org: &BwOrg, installation: &str, now: i64) -> Map<String, Value> {
    let f = &org.features;
    let year = 365 * 86_400_000;
    let expires = org
        .expiration_date
        .filter(|e| *e > now)
        .unwrap_or(now + year);
    let v = json!({
        "licenseKey": org.license_key,
        "installationId": installation,
        "id": org.id,
        "name": org.name,
        "billingEmail": org.billing_email,
        "businessName": org.business_name,
        "enabled": org.enabled,
        "plan": org.plan_name,
        "planType": org.plan_type,
        "seats": org.seats,
        "maxCollections": org.max_collections,
        "usePolicies": f.use_policies,
        "useSso": f.use_sso,
        "useKeyConnector": f.use_key_connector,
        "useScim": f.use_scim,
        "useGroups": f.use_groups,
        "useEvents": f.use_events,
        "useDirectory": f.use_directory,
        "useTotp": f.use_totp,
        "use2fa": f.use_2fa,
        "useApi": f.use_api,
        "useResetPassword": f.use_reset_password,
        "maxStorageGb": org.max_storage_gb,
        "selfHost": f.self_host,
        "usersGetPremium": f.users_get_premium,
        "useCustomPermissions": f.use_custom_permissions,
        "version": LICENSE_VERSION,
        "issued": iso(now),
        "refresh": iso(now + 30 * 86_400_000),
        "expires": iso(expires),
        "expirationWithoutGracePeriod": iso(expires),
        "usePasswordManager": f.use_password_manager,
        "useSecretsManager": f.use_secrets_manager,
        "smSeats": null,
        "smServiceAccounts": null,
        "useRiskInsights": f.use_risk_insights,
        "trial": false,
        "licenseType": 1,
        "useOrganizationDomains": f.use_organization_domains,
        "useMyItems": f.use_my_items,
        "useInviteLinks": f.use_invite_links,
    });
    v.as_object().cloned().unwrap_or_default()
}

mod fields;
pub mod routes;
mod upload;

pub use routes::{download, upload_new, upload_update};

/// JWT claims that are not license fields.
const JWT_CLAIMS: &[&str] = &["iss", "aud", "iat", "nbf", "exp"];

/// Adds the current format's `token`: an RS256 JWT signed with the license key, issuer
/// `bitwarden`, audience `organization:<id>`, valid one year, whose claims mirror the fields.
pub fn add_token(
    key: &signature::RsaKeyPair,
    license: &mut Map<String, Value>,
    now_s: i64,
) -> Result<()> {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
    let mut claims: Map<String, Value> = license
        .iter()
        .filter(|(k, _)| {
            !matches!(
                k.to_ascii_lowercase().as_str(),
                "hash" | "signature" | "token"
            )
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let id = license
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    claims.insert("iss".into(), json!("bitwarden"));
    claims.insert("aud".into(), json!(format!("organization:{id}")));
    claims.insert("iat".into(), json!(now_s));
    claims.insert("nbf".into(), json!(now_s));
    claims.insert("exp".into(), json!(now_s + 365 * 86_400));
    let input = format!(
        "{}.{}",
        B64URL.encode(json!({"alg": "RS256", "typ": "JWT"}).to_string()),
        B64URL.encode(Value::Object(claims).to_string())
    );
    let mut sig = vec![0u8; key.public().modulus_len()];
    key.sign(
        &signature::RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        input.as_bytes(),
        &mut sig,
    )
    .map_err(|_| Error::Internal("license token signing failed".into()))?;
    license.insert(
        "token".into(),
        json!(format!("{input}.{}", B64URL.encode(sig))),
    );
    Ok(())
}

/// The license fields carried by a valid `token` (signature, issuer, audience and lifetime
/// checked), or `None`.
pub fn verify_token(
    key: &signature::RsaKeyPair,
    token: &str,
    now_s: i64,
) -> Option<Map<String, Value>> {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
    let mut parts = token.split('.');
    let (head, body, sig) = (parts.next()?, parts.next()?, parts.next()?);
    let header: Value = serde_json::from_slice(&B64URL.decode(head).ok()?).ok()?;
    if header.get("alg")?.as_str()? != "RS256" {
        return None;
    }
    signature::UnparsedPublicKey::new(
        &signature::RSA_PKCS1_2048_8192_SHA256,
        key.public().as_ref(),
    )
    .verify(
        format!("{head}.{body}").as_bytes(),
        &B64URL.decode(sig).ok()?,
    )
    .ok()?;
    let claims: Map<String, Value> = serde_json::from_slice(&B64URL.decode(body).ok()?).ok()?;
    let id = claims.get("id").and_then(Value::as_str).unwrap_or_default();
    let valid = claims.get("iss")?.as_str()? == "bitwarden"
        && claims.get("aud")?.as_str()? == format!("organization:{id}")
        && claims.get("exp")?.as_i64()? > now_s
        && claims.get("nbf").and_then(Value::as_i64).unwrap_or(0) <= now_s + 60;
    valid.then(|| {
        claims
            .into_iter()
            .filter(|(k, _)| !JWT_CLAIMS.contains(&k.as_str()))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::temp_store;

    #[test]
    fn tokens_carry_the_fields_and_refuse_tampering_and_foreign_keys() {
        let (store, _dir) = temp_store();
        let (key, other) = store
            .write_blocking(|c| -> Result<_> {
                let k = signing_key(c)?;
                c.execute("DELETE FROM bw_settings", [])?;
                Ok((k, signing_key(c)?))
            })
            .unwrap();
        let mut l: Map<String, Value> = json!({"id": "o1", "seats": 10})
            .as_object()
            .cloned()
            .unwrap();
        add_token(&key, &mut l, 1000).unwrap();
        let token = l["token"].as_str().unwrap().to_string();
        let claims = verify_token(&key, &token, 2000).unwrap();
        assert_eq!(
            (claims["seats"].clone(), claims.get("aud")),
            (json!(10), None)
        );
        assert!(verify_token(&other, &token, 2000).is_none());
        assert!(
            verify_token(&key, &token, 1000 + 366 * 86_400).is_none(),
            "expired"
        );
        let mut parts: Vec<String> = token.split('.').map(String::from).collect();
        parts[1] = parts[1].replace('M', "N");
        assert!(verify_token(&key, &parts.join("."), 2000).is_none());
    }

    #[test]
    fn signed_licenses_verify_and_tampering_breaks_them() {
        let (store, _dir) = temp_store();
        let (key, other) = store
            .write_blocking(|c| -> Result<_> {
                let k = signing_key(c)?;
                c.execute("DELETE FROM bw_settings", [])?;
                Ok((k, signing_key(c)?))
            })
            .unwrap();
        let mut l: Map<String, Value> =
            json!({"name": "Acme", "seats": 10, "enabled": true, "expires": "2030-01-01T00:00:00Z"})
                .as_object()
                .cloned()
                .unwrap();
        sign(&key, &mut l).unwrap();
        assert!(verify(&key, &l));
        assert!(!verify(&other, &l), "a foreign key must not verify");
        let mut tampered = l.clone();
        tampered.insert("seats".into(), json!(1000));
        assert!(!verify(&key, &tampered));
        assert!(data_string(&l, false)
            .starts_with("license:organization|Enabled:true|Expires:1893456000|"));
    }
}
