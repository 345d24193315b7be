//! Changes to an enterprise that admins make and other admins may have to approve: adding,
//! removing and re-roling users, and the `approvalsRequired` setting. A change is stored with
//! its pending approval (as JSON) and applied when approved, or at once for a lone admin.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::domain::error::{Error, Result};
use crate::domain::role::EnterprisePermission;

/// One change to an enterprise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "camelCase")]
pub enum EnterpriseChange {
    /// Add `email` (an existing user, or one to invite) with `permissions`.
    #[serde(rename_all = "camelCase")]
    AddUser {
        /// The user's email (BitGo's username).
        email: String,
        /// The user, when the email already had an account at request time.
        user_id: Option<String>,
        /// Permission wire names.
        permissions: Vec<String>,
        /// Make them one of the enterprise's video approvers.
        video_id_user: bool,
        /// Added through this organization's child-enterprise route: the user also joins the
        /// organization as a `customer` if not in it yet.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        organization_id: Option<String>,
    },
    /// Remove a member.
    #[serde(rename_all = "camelCase")]
    RemoveUser {
        /// The member.
        user_id: String,
        /// Their email.
        email: String,
    },
    /// Replace a member's permissions with one role.
    #[serde(rename_all = "camelCase")]
    UpdateUser {
        /// The member.
        user_id: String,
        /// Their email.
        email: String,
        /// Permission wire names.
        permissions: Vec<String>,
    },
    /// Set `approvalsRequired`.
    #[serde(rename_all = "camelCase")]
    SetApprovalsRequired {
        /// The new value.
        requested: u32,
    },
}

impl EnterpriseChange {
    /// BitGo's `info.type` for this change.
    pub fn info_type(&self) -> &'static str {
        match self {
            EnterpriseChange::SetApprovalsRequired { .. } => "updateApprovalsRequiredRequest",
            _ => "updateEnterpriseRequest",
        }
    }

    /// The parsed permissions of an add or update (empty otherwise).
    pub fn permissions(&self) -> Result<Vec<EnterprisePermission>> {
        match self {
            EnterpriseChange::AddUser { permissions, .. }
            | EnterpriseChange::UpdateUser { permissions, .. } => permissions
                .iter()
                .map(|p| {
                    EnterprisePermission::parse(p)
                        .ok_or_else(|| Error::Internal(format!("stored permission {p:?}")))
                })
                .collect(),
            _ => Ok(Vec::new()),
        }
    }
}

/// Parses the permissions of an add (`admin`, `auditor`, `wallet.create`; none means a plain
/// `member`). Duplicates are dropped.
pub fn parse_add_permissions(names: &[String]) -> Result<Vec<EnterprisePermission>> {
    let mut out = Vec::new();
    for name in names {
        let p = EnterprisePermission::parse(name)
            .filter(|p| *p != EnterprisePermission::Member)
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "invalid permission {name:?}: expected admin, auditor or wallet.create"
                ))
            })?;
        if !out.contains(&p) {
            out.push(p);
        }
    }
    if out.is_empty() {
        out.push(EnterprisePermission::Member);
    }
    Ok(out)
}

/// Parses the role of a role change (`admin`, `auditor`, `wallet.create`, `member`).
pub fn parse_role(role: &str) -> Result<EnterprisePermission> {
    EnterprisePermission::parse(role).ok_or_else(|| {
        Error::Invalid(format!(
            "invalid role {role:?}: expected admin, auditor, wallet.create or member"
        ))
    })
}

/// An enterprise always keeps at least one admin: a change that would leave none is refused.
pub fn check_keeps_an_admin(admins_after: usize) -> Result<()> {
    if admins_after == 0 {
        return Err(Error::Invalid(
            "an enterprise must keep at least one admin: add another admin first".into(),
        ));
    }
    Ok(())
}

/// How many admins the enterprise has after `change`, given who the admins are now.
pub fn admins_after(
    change: &EnterpriseChange,
    admins: &[String],
    target_is_admin_after: bool,
) -> usize {
    let target = match change {
        EnterpriseChange::AddUser { user_id, .. } => user_id.as_deref(),
        EnterpriseChange::RemoveUser { user_id, .. }
        | EnterpriseChange::UpdateUser { user_id, .. } => Some(user_id.as_str()),
        EnterpriseChange::SetApprovalsRequired { .. } => return admins.len(),
    };
    let others = admins.iter().filter(|a| Some(a.as_str()) != target).count();
    others + usize::from(target_is_admin_after)
}

/// BitGo's `info` document of an enterprise change, stored with its pending approval (the
/// approval routes show it as it is).
pub fn info_of(change: &EnterpriseChange) -> Value {
    let permissions = |p: &[String]| match p {
        [one] => Value::from(one.as_str()),
        many => Value::from(many.to_vec()),
    };
    let request = match change {
        EnterpriseChange::AddUser {
            email,
            user_id,
            permissions: p,
            video_id_user,
            ..
        } => {
            let mut r = Map::new();
            r.insert("action".into(), "add".into());
            r.insert("email".into(), email.as_str().into());
            r.insert("permissions".into(), permissions(p));
            if let Some(id) = user_id {
                r.insert("userId".into(), id.as_str().into());
            }
            if *video_id_user {
                r.insert("isVideoIdUser".into(), true.into());
            }
            Value::Object(r)
        }
        EnterpriseChange::RemoveUser { user_id, email } => {
            json!({"action": "remove", "email": email, "userId": user_id})
        }
        EnterpriseChange::UpdateUser {
            user_id,
            email,
            permissions: p,
        } => {
            json!({"action": "update", "email": email, "permissions": permissions(p), "userId": user_id})
        }
        EnterpriseChange::SetApprovalsRequired { requested } => {
            return json!({
                "type": change.info_type(),
                "updateApprovalsRequiredRequest": {"requestedApprovalsRequired": requested}
            });
        }
    };
    json!({"type": change.info_type(), "updateEnterpriseRequest": request})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn add_permissions_default_to_member_and_refuse_unknown_names() {
        assert_eq!(
            parse_add_permissions(&[]).unwrap(),
            vec![EnterprisePermission::Member]
        );
        assert_eq!(
            parse_add_permissions(&s(&["admin", "wallet.create", "admin"])).unwrap(),
            vec![
                EnterprisePermission::Admin,
                EnterprisePermission::WalletCreate
            ]
        );
        assert!(parse_add_permissions(&s(&["viewer"])).is_err());
        assert!(parse_add_permissions(&s(&["member"])).is_err());
        assert!(parse_role("member").is_ok());
        assert!(parse_role("owner").is_err());
    }

    #[test]
    fn removing_or_demoting_the_last_admin_is_refused() {
        let admins = s(&["a"]);
        let remove = EnterpriseChange::RemoveUser {
            user_id: "a".into(),
            email: "a@x".into(),
        };
        assert_eq!(admins_after(&remove, &admins, false), 0);
        assert!(check_keeps_an_admin(0).is_err());
        let demote_other = EnterpriseChange::UpdateUser {
            user_id: "b".into(),
            email: "b@x".into(),
            permissions: s(&["auditor"]),
        };
        assert_eq!(admins_after(&demote_other, &admins, false), 1);
    }

    #[test]
    fn changes_round_trip_through_json() {
        let c = EnterpriseChange::AddUser {
            email: "n@x.test".into(),
            user_id: None,
            permissions: s(&["admin"]),
            video_id_user: true,
            organization_id: None,
        };
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["action"], "addUser");
        assert_eq!(v["videoIdUser"], true);
        assert!(v.get("organizationId").is_none(), "{v}");
        assert_eq!(serde_json::from_value::<EnterpriseChange>(v).unwrap(), c);
        assert_eq!(c.info_type(), "updateEnterpriseRequest");
    }

    #[test]
    fn an_add_has_the_seed_000_info_shape() {
        let info = info_of(&EnterpriseChange::AddUser {
            email: "a@x.test".into(),
            user_id: Some("u".repeat(32)),
            permissions: vec!["admin".into()],
            video_id_user: false,
            organization_id: None,
        });
        assert_eq!(info["type"], "updateEnterpriseRequest");
        let r = &info["updateEnterpriseRequest"];
        assert_eq!(r["action"], "add");
        assert_eq!(r["permissions"], "admin");
        assert_eq!(r["userId"], "u".repeat(32));
    }
}
