//! The license routes: download (cloud), upload and update (self-hosted).

use super::{add_token, build, installation_id, sign, signing_key, verify, verify_token};
use crate::bitwarden::body::Body;
use crate::bitwarden::call::BwCall;
use crate::bitwarden::error::BwError;
use crate::bitwarden::ids;
use crate::bitwarden::organizations::{authorize, org_id, refusal, Refusal};
use crate::bitwarden::views;
use crate::config::bitwarden::Deployment;
use crate::domain::bitwarden::plan::Features;
use crate::domain::bitwarden::policy::Action;
use crate::domain::bitwarden::role::{MemberStatus, MemberType, Permissions};
use crate::domain::error::{Error, Result};
use crate::store::bitwarden as bwstore;
use crate::store::bitwarden::keys::{self, OrgApiKey};
use crate::store::bitwarden::members::{self, BwMember};
use crate::store::bitwarden::orgs::{self, BwOrg};
use crate::store::bitwarden::users;
use actix_web::web::{Bytes, Path, Query};
use actix_web::{HttpRequest, HttpResponse};
use chrono::DateTime;
use rusqlite::Connection;
use serde_json::{Map, Value};

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
        .and_then(|(_, v)| ids::parse_guid(v));
    let uid = call.user_id.clone();
    let now = call.now_ms();
    let license = call
        .sandbox
        .store
        .write(move |c| -> Result<_> {
            let (org, _) = match authorize(c, &id, &uid, Action::License)? {
                Ok(found) => found,
                Err(d) => return Ok(Err(Refusal::Denied(d))),
            };
            let own = installation_id(c)?;
            let known = match &installation {
                Some(i) => *i == own || bwstore::installation_enabled(c, i)?,
                None => false,
            };
            let Some(installation) = installation.filter(|_| known) else {
                return Ok(Err(Refusal::Rule("Invalid installation id".into())));
            };
            if !org.has_subscription && org.expiration_date.is_none_or(|e| e <= now) {
                return Ok(Err(Refusal::Rule("No active subscription found.".into())));
            }
            let mut license = build(&org, &installation, now);
            let key = signing_key(c)?;
            add_token(&key, &mut license, now.div_euclid(1000))?;
            sign(&key, &mut license)?;
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
    l: &mut Map<String, Value>,
    now: i64,
) -> Result<std::result::Result<(), String>> {
    let mut reasons = Vec::new();
    let key = signing_key(conn)?;
    // The current format: when a token is present its claims are trusted and overwrite the
    // plain fields; otherwise the legacy signature must verify.
    match ci(l, "token").and_then(Value::as_str).map(str::to_string) {
        Some(token) => match verify_token(&key, &token, now.div_euclid(1000)) {
            Some(claims) => {
                for (name, value) in claims {
                    l.retain(|k, _| !k.eq_ignore_ascii_case(&name));
                    l.insert(name, value);
                }
            }
            None => reasons.push("The license token is not valid."),
        },
        None => {
            if !verify(&key, l) {
                reasons.push("The license signature is not valid.");
            }
        }
    }
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
        .and_then(ids::parse_guid)
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
    let (mut license, key) = read_upload(&req, &body)?;
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
                    crate::domain::error::AuthFailure::UnknownToken,
                ));
            }
            if let Err(m) = check(c, &mut license, now)? {
                return Ok(Err(Refusal::Rule(m)));
            }
            let id = ci(&license, "id")
                .and_then(Value::as_str)
                .and_then(ids::parse_guid)
                .unwrap_or_else(ids::new_guid);
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
                    api_key: ids::random_alnum(30),
                    revision_at: now,
                },
            )?;
            members::insert(
                c,
                &BwMember {
                    id: ids::new_guid(),
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
    let (mut license, _) = read_upload(&req, &body)?;
    let uid = call.user_id.clone();
    let now = call.now_ms();
    call.sandbox
        .store
        .write(move |c| -> Result<_> {
            let (mut org, _) = match authorize(c, &id, &uid, Action::License)? {
                Ok(found) => found,
                Err(d) => return Ok(Err(Refusal::Denied(d))),
            };
            if let Err(m) = check(c, &mut license, now)? {
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
