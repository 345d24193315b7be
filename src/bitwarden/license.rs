//! Organization licenses (spec §7): downloaded on a cloud sandbox, applied on a self-hosted one.
//! Licenses are signed with the sandbox's own RSA key (RSA PKCS#1 v1.5 SHA-256 over the sorted
//! `Name:value|` string, as the server's legacy format), kept in the store, so a tampered
//! license or one from another data directory is refused. Real Bitwarden licenses, signed with
//! Bitwarden's certificate, are refused too.

use actix_web::web::{Bytes, Path, Query};
use actix_web::{HttpRequest, HttpResponse};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chrono::{DateTime, SecondsFormat, Utc};
use ring::signature;
use serde_json::{json, Map, Value};

use crate::bitwarden::body::Body;
use crate::bitwarden::call::BwCall;
use crate::bitwarden::config::Deployment;
use crate::bitwarden::crypto::{self, RsaKeyPair};
use crate::bitwarden::error::BwError;
use crate::bitwarden::organizations::{authorize, org_id, refusal, Refusal};
use crate::bitwarden::views;
use crate::domain::bitwarden::plan::Features;
use crate::domain::bitwarden::policy::Action;
use crate::domain::bitwarden::role::{MemberStatus, MemberType, Permissions};
use crate::error::{Error, Result};
use crate::store::bitwarden::keys::{self, OrgApiKey};
use crate::store::bitwarden::members::{self, BwMember};
use crate::store::bitwarden::orgs::{self, BwOrg};
use crate::store::bitwarden::{setting_or_insert, users};
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
    setting_or_insert(conn, INSTALLATION_SETTING, || Ok(crypto::new_guid()))
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
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|d| d.to_rfc3339_opts(SecondsFormat::Secs, true))
        .unwrap_or_default()
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

/// `GET /organizations/{id}/license?installationId=` (cloud only, owners).
pub async fn download(
    call: BwCall,
    path: Path<String>,
    query: Query<std::collections::HashMap<String, String>>,
) -> std::result::Result<HttpResponse, BwError> {
    if call.state.bitwarden.deployment == Deployment::SelfHosted {
        return Err(BwError::BadRequest(
            "Only allowed when not self hosted.".into(),
        ));
    }
    let id = org_id(&path)?;
    let installation = query
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("installationId"))
        .and_then(|(_, v)| crypto::parse_guid(v));
    let uid = call.user_id.clone();
    let now = call.now_ms();
    let license =
        call.sandbox
            .store
            .write(move |c| {
                let (org, _) = match authorize(c, &id, &uid, Action::License)? {
                    Ok(found) => found,
                    Err(d) => return Ok(Err(Refusal::Denied(d))),
                };
                let own = installation_id(c)?;
                let known = match &installation {
                    Some(i) => *i == own
                        || c.query_row(
                            "SELECT count(*) FROM bw_installations WHERE id = ?1 AND enabled = 1",
                            [i],
                            |r| r.get::<_, i64>(0),
                        )? > 0,
                    None => false,
                };
                let Some(installation) = installation.filter(|_| known) else {
                    return Ok(Err(Refusal::Rule("Invalid installation id".into())));
                };
                if !org.has_subscription && org.expiration_date.is_none_or(|e| e <= now) {
                    return Ok(Err(Refusal::Rule("No active subscription found.".into())));
                }
                let mut license = build(&org, &installation, now);
                sign(&signing_key(c)?, &mut license)?;
                Ok(Ok(license))
            })
            .await?
            .map_err(refusal)?;
    Ok(HttpResponse::Ok().json(Value::Object(license)))
}

/// The fields of a multipart/form-data body: (name, content).
fn multipart_fields(req: &HttpRequest, body: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    let ct = req.headers().get("content-type")?.to_str().ok()?;
    let boundary = ct
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))?
        .trim_matches('"');
    let delimiter = format!("--{boundary}");
    let text = body;
    let mut out = Vec::new();
    let positions: Vec<usize> = find_all(text, delimiter.as_bytes());
    for w in positions.windows(2) {
        let part = &text[w[0] + delimiter.len()..w[1]];
        let part = part.strip_prefix(b"\r\n").unwrap_or(part);
        let split = find_all(part, b"\r\n\r\n").into_iter().next()?;
        let headers = String::from_utf8_lossy(&part[..split]);
        let mut content = &part[split + 4..];
        content = content.strip_suffix(b"\r\n").unwrap_or(content);
        let name = headers.lines().find_map(|l| {
            let l = l.to_ascii_lowercase();
            l.starts_with("content-disposition").then(|| {
                l.split(';').find_map(|p| {
                    p.trim()
                        .strip_prefix("name=")
                        .map(|n| n.trim_matches('"').to_string())
                })
            })?
        })?;
        out.push((name, content.to_vec()));
    }
    Some(out)
}

fn find_all(hay: &[u8], needle: &[u8]) -> Vec<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return Vec::new();
    }
    (0..=hay.len() - needle.len())
        .filter(|&i| &hay[i..i + needle.len()] == needle)
        .collect()
}

/// Reads the upload: multipart (`license` file, `key`, ...) or, for convenience, JSON
/// `{"license": {...}, "key": "..."}`.
fn read_upload(
    req: &HttpRequest,
    body: &[u8],
) -> std::result::Result<(Map<String, Value>, Option<String>), BwError> {
    let (license_bytes, key) = match multipart_fields(req, body) {
        Some(fields) => {
            let get = |n: &str| {
                fields
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(n))
                    .map(|(_, v)| v.clone())
            };
            let license = get("license")
                .ok_or_else(|| BwError::field("License", "The License field is required."))?;
            (
                license,
                get("key").map(|k| String::from_utf8_lossy(&k).to_string()),
            )
        }
        None => {
            let b = Body::parse(body, true)?;
            let license = b
                .get("license")
                .cloned()
                .ok_or_else(|| BwError::field("License", "The License field is required."))?;
            (license.to_string().into_bytes(), b.str("key")?)
        }
    };
    match serde_json::from_slice::<Value>(&license_bytes) {
        Ok(Value::Object(m)) => Ok((m, key)),
        _ => Err(BwError::BadRequest("Invalid license".into())),
    }
}

fn ci<'a>(m: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    m.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
        .filter(|v| !v.is_null())
}

fn ci_date(m: &Map<String, Value>, name: &str) -> Option<i64> {
    ci(m, name)
        .and_then(Value::as_str)
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|d| d.timestamp_millis())
}

/// The validity checks of spec §7; `Err` holds the joined reasons.
fn check(
    conn: &Connection,
    l: &Map<String, Value>,
    now: i64,
) -> Result<std::result::Result<(), String>> {
    let mut reasons = Vec::new();
    if ci(l, "enabled").and_then(Value::as_bool) != Some(true) {
        reasons.push("Your cloud-hosted organization is currently disabled.");
    }
    if ci_date(l, "issued").is_none_or(|i| i > now) {
        reasons.push("The license hasn't been issued yet.");
    }
    if ci_date(l, "expires").is_none_or(|e| e <= now) {
        reasons.push("The license has expired.");
    }
    if !ci(l, "version")
        .and_then(Value::as_i64)
        .is_some_and(|v| (1..=16).contains(&v))
    {
        reasons.push("The license version is not supported.");
    }
    let own = installation_id(conn)?;
    if ci(l, "installationId")
        .and_then(Value::as_str)
        .and_then(crypto::parse_guid)
        != Some(own)
    {
        reasons.push("The installation ID does not match the current installation.");
    }
    if ci(l, "selfHost").and_then(Value::as_bool) != Some(true) {
        reasons.push("The license does not allow for on-premise hosting of organizations.");
    }
    if ci(l, "licenseType")
        .and_then(Value::as_i64)
        .is_some_and(|t| t != 1)
    {
        reasons.push("Premium licenses cannot be applied to an organization. Upload this license from your personal account settings page.");
    }
    if !verify(&signing_key(conn)?, l) {
        reasons.push("The license signature is not valid.");
    }
    Ok(if reasons.is_empty() {
        Ok(())
    } else {
        Err(format!("Invalid license. {}", reasons.join(" ")))
    })
}

/// Copies a license's fields onto an organization (not `maxStorageGb`, not the id).
fn apply(org: &mut BwOrg, l: &Map<String, Value>) {
    let s = |n: &str| ci(l, n).and_then(Value::as_str).map(str::to_string);
    let b = |n: &str| ci(l, n).and_then(Value::as_bool).unwrap_or(false);
    let i = |n: &str| ci(l, n).and_then(Value::as_i64);
    if let Some(n) = s("name") {
        org.name = n;
    }
    org.business_name = s("businessName");
    if let Some(e) = s("billingEmail") {
        org.billing_email = e;
    }
    if let Some(p) = i("planType") {
        org.plan_type = p;
    }
    if let Some(p) = s("plan") {
        org.plan_name = p;
    }
    org.seats = i("seats");
    org.max_collections = i("maxCollections");
    org.enabled = b("enabled");
    org.expiration_date = ci_date(l, "expires");
    if let Some(k) = s("licenseKey") {
        org.license_key = k;
    }
    org.features = Features {
        use_policies: b("usePolicies"),
        use_sso: b("useSso"),
        use_key_connector: b("useKeyConnector"),
        use_scim: b("useScim"),
        use_groups: b("useGroups"),
        use_directory: b("useDirectory"),
        use_events: b("useEvents"),
        use_totp: b("useTotp"),
        use_2fa: b("use2fa"),
        use_api: b("useApi"),
        use_reset_password: b("useResetPassword"),
        users_get_premium: b("usersGetPremium"),
        use_custom_permissions: b("useCustomPermissions"),
        self_host: b("selfHost"),
        use_secrets_manager: b("useSecretsManager"),
        use_password_manager: b("usePasswordManager"),
        use_risk_insights: b("useRiskInsights"),
        use_organization_domains: b("useOrganizationDomains"),
        use_my_items: b("useMyItems"),
        use_invite_links: b("useInviteLinks"),
    };
}

/// `POST /organizations/licenses/self-hosted` (and the seed's `POST /organizations/license`):
/// a new organization from a license, with its owner membership and Default API key.
pub async fn upload_new(
    call: BwCall,
    req: HttpRequest,
    body: Bytes,
) -> std::result::Result<HttpResponse, BwError> {
    if call.state.bitwarden.deployment != Deployment::SelfHosted {
        return Err(BwError::BadRequest("Only allowed when self hosted.".into()));
    }
    let (license, key) = read_upload(&req, &body)?;
    let key = key
        .filter(|k| !k.is_empty())
        .ok_or_else(|| BwError::field("Key", "The Key field is required."))?;
    let uid = call.user_id.clone();
    let now = call.now_ms();
    let org = call
        .sandbox
        .store
        .write(move |c| {
            if users::find(c, &uid)?.is_none() {
                return Err(Error::Unauthenticated(
                    crate::error::AuthFailure::UnknownToken,
                ));
            }
            if let Err(m) = check(c, &license, now)? {
                return Ok(Err(Refusal::Rule(m)));
            }
            let id = ci(&license, "id")
                .and_then(Value::as_str)
                .and_then(crypto::parse_guid)
                .unwrap_or_else(crypto::new_guid);
            let license_key = ci(&license, "licenseKey")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            if orgs::find(c, &id)?.is_some()
                || orgs::find_by_license_key(c, &license_key, &id)?.is_some()
            {
                return Ok(Err(Refusal::Rule(
                    "License is already in use by another organization.".into(),
                )));
            }
            let mut org = BwOrg {
                id: id.clone(),
                identifier: None,
                name: String::new(),
                business_name: None,
                billing_email: String::new(),
                plan_type: 0,
                plan_name: String::new(),
                seats: None,
                max_collections: None,
                max_storage_gb: ci(&license, "maxStorageGb").and_then(Value::as_i64),
                storage_bytes: 0,
                features: Features::default(),
                enabled: true,
                public_key: None,
                private_key: None,
                license_key,
                expiration_date: None,
                key_connector_sso: false,
                provider_managed: false,
                has_subscription: false,
                created_at: now,
                revision_at: now,
            };
            apply(&mut org, &license);
            orgs::insert(c, &org)?;
            keys::upsert_api_key(
                c,
                &id,
                &OrgApiKey {
                    key_type: 0,
                    api_key: crypto::random_alnum(30),
                    revision_at: now,
                },
            )?;
            members::insert(
                c,
                &BwMember {
                    id: crypto::new_guid(),
                    organization_id: id,
                    user_id: Some(uid),
                    email: None,
                    member_type: MemberType::Owner,
                    status: MemberStatus::Confirmed,
                    permissions: Permissions::default(),
                    key: Some(key),
                    claimed: false,
                    invite_token: None,
                    created_at: now,
                },
            )?;
            Ok(Ok(org))
        })
        .await?
        .map_err(refusal)?;
    Ok(HttpResponse::Ok().json(views::organization(&org, true)))
}

/// `POST /organizations/licenses/self-hosted/{id}`: replaces an organization's license; the new
/// one must fit current usage.
pub async fn upload_update(
    call: BwCall,
    req: HttpRequest,
    path: Path<String>,
    body: Bytes,
) -> std::result::Result<HttpResponse, BwError> {
    if call.state.bitwarden.deployment != Deployment::SelfHosted {
        return Err(BwError::BadRequest("Only allowed when self hosted.".into()));
    }
    let id = org_id(&path)?;
    let (license, _) = read_upload(&req, &body)?;
    let uid = call.user_id.clone();
    let now = call.now_ms();
    call.sandbox
        .store
        .write(move |c| {
            let (mut org, _) = match authorize(c, &id, &uid, Action::License)? {
                Ok(found) => found,
                Err(d) => return Ok(Err(Refusal::Denied(d))),
            };
            if let Err(m) = check(c, &license, now)? {
                return Ok(Err(Refusal::Rule(m)));
            }
            let license_key = ci(&license, "licenseKey").and_then(Value::as_str).unwrap_or_default();
            if orgs::find_by_license_key(c, license_key, &id)?.is_some() {
                return Ok(Err(Refusal::Rule("License is already in use by another organization.".into())));
            }
            let seats = ci(&license, "seats").and_then(Value::as_i64);
            let used = members::occupied_seats(c, &id)?;
            if let Some(s) = seats.filter(|s| used > *s) {
                return Ok(Err(Refusal::Rule(format!(
                    "Your organization currently has {used} seats filled. Your new license only has ({s}) seats. Remove some users."
                ))));
            }
            apply(&mut org, &license);
            org.revision_at = now;
            orgs::update(c, &org)?;
            Ok(Ok(()))
        })
        .await?
        .map_err(refusal)?;
    Ok(HttpResponse::Ok().finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::temp_store;

    #[test]
    fn signed_licenses_verify_and_tampering_breaks_them() {
        let (store, _dir) = temp_store();
        let (key, other) = store
            .write_blocking(|c| {
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
