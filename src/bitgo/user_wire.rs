//! The user object serialized straight from the rows (no `serde_json::Value` tree): the hot
//! path of `GET /user/me`. Byte for byte what [`UserView::to_json`] builds; a test holds the
//! two together.

use serde::ser::{Serialize, SerializeSeq, Serializer};
use serde::Serialize as DeriveSerialize;

use crate::auth::token::sha256_hex;
use crate::bitgo::views::{iso, UserView};
use crate::domain::role::EnterprisePermission;
use crate::store::users::UserRow;

#[derive(DeriveSerialize)]
#[serde(rename_all = "camelCase")]
struct Wire<'a> {
    id: &'a str,
    username: &'a str,
    name: Name<'a>,
    email: Email<'a>,
    phone: Phone,
    enterprises: Enterprises<'a>,
    organizations: Organizations<'a>,
    country: &'a str,
    timezone: &'a str,
    identity: Identity<'a>,
    otp_devices: [OtpDevice; 1],
    agreements: Agreements,
    allowed_coins: [u8; 0],
    bitgo_admin_roles: [u8; 0],
    bitgo_employee: bool,
    currency: Currency,
    #[serde(rename = "disableReset2FA")]
    disable_reset_2fa: bool,
    feature_flags: [u8; 0],
    force_reset_password: bool,
    is_active: bool,
    ecdh_keychain: Option<()>,
    rate_limits: Empty,
    referrer: Referrer,
    shard_key: &'static str,
    source_verification_required_for_read_only_access: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_login: Option<String>,
}

#[derive(DeriveSerialize)]
struct Name<'a> {
    first: &'a str,
    last: &'a str,
    full: String,
}

#[derive(DeriveSerialize)]
struct Email<'a> {
    email: &'a str,
    verified: bool,
}

#[derive(DeriveSerialize)]
struct Phone {
    phone: &'static str,
    verified: bool,
}

#[derive(DeriveSerialize)]
struct Empty {}

#[derive(DeriveSerialize)]
struct Referrer {
    source: Option<()>,
    campaign: Option<()>,
}

#[derive(DeriveSerialize)]
#[serde(rename_all = "camelCase")]
struct Currency {
    currency: &'static str,
    bitcoin_unit: &'static str,
}

#[derive(DeriveSerialize)]
#[serde(rename_all = "camelCase")]
struct Agreements {
    terms_of_use: u8,
    terms_of_use_acceptance_date: String,
    patriot_act: u8,
}

#[derive(DeriveSerialize)]
#[serde(rename_all = "camelCase")]
struct OtpDevice {
    id: String,
    create_date: String,
    #[serde(rename = "type")]
    kind: &'static str,
    label: &'static str,
    verified: bool,
    scopes: [u8; 0],
}

#[derive(DeriveSerialize)]
struct Identity<'a> {
    verified: bool,
    kyc: Kyc<'a>,
}

#[derive(DeriveSerialize)]
#[serde(rename_all = "camelCase")]
struct Kyc<'a> {
    available: bool,
    required: bool,
    fully_required: bool,
    failure_count: u8,
    #[serde(rename = "hasVideoID")]
    has_video_id: bool,
    is_screening_required: bool,
    overall_state: &'static str,
    data: KycData<'a>,
    passport: Passport,
    documents: State,
    residency: State,
}

#[derive(DeriveSerialize)]
struct KycData<'a> {
    state: &'static str,
    fields: KycFields<'a>,
}

#[derive(DeriveSerialize)]
#[serde(rename_all = "camelCase")]
struct KycFields<'a> {
    country: &'a str,
    first_name: &'a str,
    last_name: &'a str,
}

#[derive(DeriveSerialize)]
struct Passport {
    required: bool,
    state: &'static str,
}

#[derive(DeriveSerialize)]
struct State {
    state: &'static str,
}

struct Enterprises<'a>(&'a UserView<'a>);

#[derive(DeriveSerialize)]
#[serde(rename_all = "camelCase")]
struct EnterpriseEntry<'a> {
    id: &'a str,
    name: &'a str,
    permissions: Permissions<'a>,
    beneficial_owner: bool,
    kyc_state: &'a str,
    bitgo_org: &'static str,
}

struct Permissions<'a>(&'a [EnterprisePermission]);

impl Serialize for Permissions<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for p in self.0 {
            seq.serialize_element(p.as_str())?;
        }
        seq.end()
    }
}

impl Serialize for Enterprises<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.memberships.len()))?;
        for m in self.0.memberships {
            seq.serialize_element(&EnterpriseEntry {
                id: &m.enterprise.id,
                name: &m.enterprise.name,
                permissions: Permissions(&m.permissions),
                beneficial_owner: false,
                kyc_state: &m.enterprise.kyc_state,
                bitgo_org: "BitGo Trust",
            })?;
        }
        seq.end()
    }
}

struct Organizations<'a>(&'a UserView<'a>);

#[derive(DeriveSerialize)]
struct OrganizationEntry<'a> {
    id: &'a str,
    name: &'a str,
    role: &'static str,
    permissions: &'static [&'static str],
}

impl Serialize for Organizations<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.organizations.len()))?;
        for (o, role) in self.0.organizations {
            seq.serialize_element(&OrganizationEntry {
                id: &o.id,
                name: &o.name,
                role: role.as_str(),
                permissions: role.permissions(),
            })?;
        }
        seq.end()
    }
}

/// `{"user": <the user object>}`, serialized directly.
pub struct UserEnvelope<'a>(pub &'a UserView<'a>);

#[derive(DeriveSerialize)]
struct Envelope<'a> {
    user: Wire<'a>,
}

impl Serialize for UserEnvelope<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let view = self.0;
        let u = view.user;
        let created = iso(u.created_at);
        Envelope {
            user: Wire {
                id: &u.id,
                username: &u.username,
                name: Name {
                    first: &u.first_name,
                    last: &u.last_name,
                    full: format!("{} {}", u.first_name, u.last_name),
                },
                email: Email {
                    email: &u.username,
                    verified: true,
                },
                phone: Phone {
                    phone: "",
                    verified: false,
                },
                enterprises: Enterprises(view),
                organizations: Organizations(view),
                country: &u.country,
                timezone: &u.timezone,
                identity: sandbox_identity(u),
                otp_devices: [otp_device(u, created.clone())],
                agreements: Agreements {
                    terms_of_use: 1,
                    terms_of_use_acceptance_date: created,
                    patriot_act: 0,
                },
                allowed_coins: [],
                bitgo_admin_roles: [],
                bitgo_employee: false,
                currency: Currency {
                    currency: "USD",
                    bitcoin_unit: "BTC",
                },
                disable_reset_2fa: false,
                feature_flags: [],
                force_reset_password: false,
                is_active: u.is_active,
                ecdh_keychain: None,
                rate_limits: Empty {},
                referrer: Referrer {
                    source: None,
                    campaign: None,
                },
                shard_key: "unset",
                source_verification_required_for_read_only_access: false,
                last_login: u.last_login_at.map(iso),
            },
        }
        .serialize(s)
    }
}

/// The user's `identity`: verified, with the sandbox's approved KYC.
fn sandbox_identity(u: &UserRow) -> Identity<'_> {
    Identity {
        verified: true,
        kyc: Kyc {
            available: true,
            required: true,
            fully_required: false,
            failure_count: 0,
            has_video_id: false,
            is_screening_required: false,
            overall_state: "approved",
            data: KycData {
                state: "approved",
                fields: KycFields {
                    country: &u.country,
                    first_name: &u.first_name,
                    last_name: &u.last_name,
                },
            },
            passport: Passport {
                required: false,
                state: "unverified",
            },
            documents: State {
                state: "unverified",
            },
            residency: State {
                state: "unverified",
            },
        },
    }
}

/// The user's one sandbox OTP device, created with the user.
fn otp_device(u: &UserRow, created: String) -> OtpDevice {
    OtpDevice {
        id: sha256_hex(format!("otp-device:{}", u.id).as_bytes())[..32].to_string(),
        create_date: created,
        kind: "totp",
        label: "orgbox sandbox authenticator (any accepted OTP, e.g. 000000)",
        verified: true,
        scopes: [],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::role::OrgRole;
    use crate::store::enterprises::{EnterpriseRow, Membership};
    use crate::store::organizations::OrganizationRow;
    use crate::store::users::UserRow;

    #[test]
    fn the_direct_serialization_equals_the_value_tree() {
        let user = UserRow {
            id: "a".repeat(32),
            username: "x@y.test".into(),
            first_name: "X \"quoted\"".into(),
            last_name: "Y".into(),
            password_hash: String::new(),
            country: "USA".into(),
            timezone: "America/New_York".into(),
            is_active: true,
            created_at: 1_700_000_000_123,
            last_login_at: Some(1_700_000_100_000),
        };
        let memberships = vec![Membership {
            enterprise: EnterpriseRow {
                id: "b".repeat(32),
                name: "E".into(),
                organization_id: None,
                business_model: "bitgoAsAService".into(),
                account_type: "entity".into(),
                kyc_state: "approved".into(),
                created_at: 0,
            },
            permissions: vec![EnterprisePermission::Admin, EnterprisePermission::Auditor],
        }];
        let organizations = vec![(
            OrganizationRow {
                id: "c".repeat(32),
                name: "O".into(),
                created_at: 0,
            },
            OrgRole::ServiceUser,
        )];
        for last_login in [Some(1_700_000_100_000), None] {
            let mut user = user.clone();
            user.last_login_at = last_login;
            let view = UserView {
                user: &user,
                memberships: &memberships,
                organizations: &organizations,
            };
            let tree = serde_json::to_string(&serde_json::json!({"user": view.to_json()})).unwrap();
            let direct = serde_json::to_string(&UserEnvelope(&view)).unwrap();
            assert_eq!(direct, tree);
        }
    }
}
