//! Reading an organization license's fields (names in any casing): its validity checks and
//! what it sets on an organization.

use chrono::DateTime;
use rusqlite::Connection;
use serde_json::{Map, Value};

use super::{installation_id, signing_key, verify, verify_token};
use crate::bitwarden::error::{BwError, BwResult};
use crate::bitwarden::ids;
use crate::domain::bitwarden::plan::Features;
use crate::store::bitwarden::orgs::BwOrg;

/// A license field by name in any casing; `None` when absent or null.
pub fn ci<'a>(m: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
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

/// The validity checks of spec §7, inside the caller's transaction; a license that fails them
/// is a 400 `Invalid license.` with the joined reasons.
pub fn check(conn: &Connection, l: &mut Map<String, Value>, now: i64) -> BwResult<()> {
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
    if reasons.is_empty() {
        Ok(())
    } else {
        Err(BwError::BadRequest(format!(
            "Invalid license. {}",
            reasons.join(" ")
        )))
    }
}

/// Copies a license's fields onto an organization (not `maxStorageGb`, not the id).
pub fn apply(org: &mut BwOrg, l: &Map<String, Value>) {
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

/// A new organization from a valid license: its id (or a new one) and `maxStorageGb` from the
/// license, the rest as [`apply`] copies it; no subscription (a self-hosted one has none).
pub fn new_org(l: &Map<String, Value>, now: i64) -> BwOrg {
    let mut org = BwOrg {
        id: ci(l, "id")
            .and_then(Value::as_str)
            .and_then(ids::parse_guid)
            .unwrap_or_else(ids::new_guid),
        identifier: None,
        name: String::new(),
        business_name: None,
        billing_email: String::new(),
        plan_type: 0,
        plan_name: String::new(),
        seats: None,
        max_collections: None,
        max_storage_gb: ci(l, "maxStorageGb").and_then(Value::as_i64),
        storage_bytes: 0,
        features: Features::default(),
        enabled: true,
        public_key: None,
        private_key: None,
        license_key: String::new(),
        expiration_date: None,
        key_connector_sso: false,
        provider_managed: false,
        has_subscription: false,
        created_at: now,
        revision_at: now,
    };
    apply(&mut org, l);
    org
}
