//! BitGo's wire shapes, built from store rows: the user object (seed 001's required fields and
//! BitGo's `User` schema), the access-token document, and the enterprise
//! (`GetEnterpriseResponse`'s required fields).

use serde_json::{json, Map, Value};

use crate::auth::token::{sha256_hex, RawToken};
use crate::domain::role::{EnterprisePermission, OrgRole};
use crate::domain::time::{self, Precision};
use crate::domain::token_rules::is_unlocked;
use crate::store::enterprises::{EnterpriseRow, Membership};
use crate::store::organizations::OrganizationRow;
use crate::store::tokens::TokenRow;
use crate::store::users::UserRow;

/// The BitGo legal entity every sandbox enterprise is held by.
const BITGO_ORG: &str = "BitGo Trust";

/// Milliseconds since the epoch as BitGo's ISO-8601 (`2025-10-24T16:44:39.108Z`).
pub fn iso(ms: i64) -> String {
    time::iso(ms, Precision::Millis)
}

/// Everything the user object is made from.
pub struct UserView<'a> {
    /// The user.
    pub user: &'a UserRow,
    /// Their enterprises.
    pub memberships: &'a [Membership],
    /// Their organizations and roles.
    pub organizations: &'a [(OrganizationRow, OrgRole)],
}

fn permission_names(p: &[EnterprisePermission]) -> Vec<&'static str> {
    p.iter().map(|p| p.as_str()).collect()
}

impl UserView<'_> {
    /// The full user object of `GET /user/me` and the login reply.
    pub fn to_json(&self) -> Value {
        let u = self.user;
        let full = format!("{} {}", u.first_name, u.last_name);
        let mut user = json!({
            "id": u.id,
            "username": u.username,
            "name": {"first": u.first_name, "last": u.last_name, "full": full},
            "email": {"email": u.username, "verified": true},
            "phone": {"phone": "", "verified": false},
            "enterprises": self.enterprises_json(),
            "organizations": self.organizations_json(),
            "country": u.country,
            "timezone": u.timezone,
            "identity": identity_json(u),
            "otpDevices": [{
                "id": otp_device_id(&u.id),
                "createDate": iso(u.created_at),
                "type": "totp",
                "label": "orgbox sandbox authenticator (any accepted OTP, e.g. 000000)",
                "verified": true,
                "scopes": []
            }],
            "agreements": {
                "termsOfUse": 1,
                "termsOfUseAcceptanceDate": iso(u.created_at),
                "patriotAct": 0
            },
            "allowedCoins": [],
            "bitgoAdminRoles": [],
            "bitgoEmployee": false,
            "currency": {"currency": "USD", "bitcoinUnit": "BTC"},
            "disableReset2FA": false,
            "featureFlags": [],
            "forceResetPassword": false,
            "isActive": u.is_active,
            "ecdhKeychain": null,
            "rateLimits": {},
            "referrer": {"source": null, "campaign": null},
            "shardKey": "unset",
            "sourceVerificationRequiredForReadOnlyAccess": false
        });
        if let Some(last) = u.last_login_at {
            user["lastLogin"] = iso(last).into();
        }
        user
    }

    fn enterprises_json(&self) -> Vec<Value> {
        self.memberships
            .iter()
            .map(|m| {
                json!({
                    "id": m.enterprise.id,
                    "name": m.enterprise.name,
                    "permissions": permission_names(&m.permissions),
                    "beneficialOwner": false,
                    "kycState": m.enterprise.kyc_state,
                    "bitgoOrg": BITGO_ORG,
                })
            })
            .collect()
    }

    fn organizations_json(&self) -> Vec<Value> {
        self.organizations
            .iter()
            .map(|(o, role)| {
                json!({
                    "id": o.id,
                    "name": o.name,
                    "role": role.as_str(),
                    "permissions": role.permissions(),
                })
            })
            .collect()
    }
}

/// The user's `identity`: verified, with the sandbox's approved KYC.
fn identity_json(u: &UserRow) -> Value {
    json!({
        "verified": true,
        "kyc": {
            "available": true,
            "required": true,
            "fullyRequired": false,
            "failureCount": 0,
            "hasVideoID": false,
            "isScreeningRequired": false,
            "overallState": "approved",
            "data": {
                "state": "approved",
                "fields": {"country": u.country, "firstName": u.first_name, "lastName": u.last_name}
            },
            "passport": {"required": false, "state": "unverified"},
            "documents": {"state": "unverified"},
            "residency": {"state": "unverified"}
        }
    })
}

/// A stable id for the user's sandbox OTP device.
fn otp_device_id(user_id: &str) -> String {
    sha256_hex(format!("otp-device:{user_id}").as_bytes())[..32].to_string()
}

/// Everything a token document is made from.
pub struct TokenView<'a> {
    /// The token.
    pub token: &'a TokenRow,
    /// The owner's organization ids.
    pub organization_ids: &'a [String],
    /// `origin` to report.
    pub origin: &'a str,
    /// The sandbox's now, ms.
    pub now_ms: i64,
}

impl TokenView<'_> {
    /// The token document; `raw` adds the `token` field (only ever in the create reply).
    pub fn to_json(&self, raw: Option<&RawToken>) -> Value {
        let t = self.token;
        let expires = t.revoked_at.map_or(t.expires_at, |r| r.min(t.expires_at));
        let mut doc = Map::new();
        doc.insert("id".into(), t.id.clone().into());
        doc.insert("client".into(), "bitgo".into());
        doc.insert("user".into(), t.user_id.clone().into());
        doc.insert("scope".into(), t.scope.names().into());
        doc.insert("created".into(), iso(t.created_at).into());
        doc.insert("expires".into(), iso(expires).into());
        doc.insert("origin".into(), self.origin.into());
        if let Some(label) = &t.label {
            doc.insert("label".into(), label.clone().into());
        }
        doc.insert("isExtensible".into(), t.is_extensible.into());
        if let Some(ip) = &t.created_ip {
            doc.insert("ip".into(), ip.clone().into());
        }
        if !t.ip_restrict.is_empty() {
            doc.insert("ipRestrict".into(), t.ip_restrict.entries().into());
        }
        if let Some(enterprise) = &t.enterprise_id {
            doc.insert("enterprise".into(), enterprise.clone().into());
        }
        doc.insert("organizations".into(), self.organization_ids.into());
        doc.insert("oauth".into(), json!({"oauthRequired": false}));
        if let Some(unlock) = self.unlock() {
            doc.insert("unlock".into(), unlock);
        }
        if let Some(raw) = raw {
            doc.insert("token".into(), raw.expose().into());
        }
        Value::Object(doc)
    }

    /// `unlock`: present while the session is unlocked, or when the token has a spending
    /// limit (a long-lived token's own unlock, for its whole life); `txValue` and `txCount`
    /// are what the token has committed so far (USD cents, transactions).
    fn unlock(&self) -> Option<Value> {
        let t = self.token;
        if is_unlocked(t.unlock_expires_at, self.now_ms) {
            let mut u = json!({
                "time": iso(t.unlocked_at.unwrap_or(t.created_at)),
                "expires": iso(t.unlock_expires_at.unwrap_or(t.expires_at)),
                "txCount": t.tx_count,
                "txValue": t.tx_value
            });
            if let Some(limit) = t.tx_value_limit {
                u["txValueLimit"] = limit.into();
            }
            return Some(u);
        }
        t.tx_value_limit.map(|limit| {
            json!({
                "time": iso(t.created_at),
                "expires": iso(t.expires_at),
                "txValueLimit": limit,
                "txCount": t.tx_count,
                "txValue": t.tx_value
            })
        })
    }
}

/// The enterprise document, with the caller's permissions on it.
pub fn enterprise_json(e: &EnterpriseRow, permissions: &[EnterprisePermission]) -> Value {
    let caas = e.business_model != "bitgoAsAService";
    json!({
        "id": e.id,
        "name": e.name,
        "organizationId": e.organization_id,
        "organization": e.organization_id,
        "type": "Other",
        "bitgoOrg": BITGO_ORG,
        "kycState": e.kyc_state,
        "accountType": e.account_type,
        "businessModel": e.business_model,
        "legalIdentifiers": {"legalPersonNameIdentifierType": "LEGL", "legalPersonName": e.name},
        "latestSAVersionSigned": 0,
        "travelRule": false,
        "productLicenses": [],
        "canAccessBorrowing": false,
        "canAccessLending": false,
        "canAccessSettlement": caas,
        "canAccessTrading": caas,
        "canCreateColdWallet": true,
        "canCreateHotWallet": true,
        "canCreateCustodialWallet": false,
        "canCreateOffchainWallet": caas,
        "oneTimeFees": [],
        "upfrontPaymentStatus": "waived",
        "ethAlwaysUseHop": false,
        "usersViewAllWallets": true,
        "videoIdWaived": false,
        "approvalsRequired": 1,
        "featureFlags": [],
        "permissions": permission_names(permissions),
        "createdAt": iso(e.created_at),
        "wallets": [],
        "tags": [],
        "hasScimClient": false
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_has_milliseconds_and_z() {
        assert_eq!(iso(1_761_324_279_108), "2025-10-24T16:44:39.108Z");
    }
}
