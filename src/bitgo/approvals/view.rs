//! The pending approval object as BitGo sends it (seed 000 step 2, `PendingApproval`), and the
//! `info` object of an enterprise change.

use serde_json::{json, Map, Value};

use crate::bitgo::views::iso;
use crate::domain::approval::{Decision, Resolution};
use crate::domain::enterprise_change::EnterpriseChange;
use crate::store::approvals::ApprovalRow;

/// BitGo's `info` for an enterprise change.
pub fn change_info(change: &EnterpriseChange) -> Value {
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

/// The pending approval document, with its resolutions.
pub fn approval_json(a: &ApprovalRow, resolutions: &[Resolution]) -> Value {
    let mut doc = Map::new();
    doc.insert("id".into(), a.id.as_str().into());
    if let Some(e) = &a.enterprise_id {
        doc.insert("enterprise".into(), e.as_str().into());
    }
    if let Some(o) = &a.organization_id {
        doc.insert("organization".into(), o.as_str().into());
    }
    if let Some(w) = &a.wallet_id {
        doc.insert("wallet".into(), w.as_str().into());
    }
    if let Some(c) = &a.coin {
        doc.insert("coin".into(), c.as_str().into());
    }
    doc.insert("creator".into(), a.creator_id.as_str().into());
    doc.insert("createDate".into(), iso(a.created_at).into());
    doc.insert("updatedAt".into(), iso(a.updated_at).into());
    if let (Some(at), "approved") = (a.resolved_at, a.state.as_str()) {
        doc.insert("approvedDate".into(), iso(at).into());
    }
    doc.insert("info".into(), a.info.clone());
    let approvers: Vec<&str> = resolutions
        .iter()
        .filter(|r| r.decision == Decision::Approve)
        .map(|r| r.user_id.as_str())
        .collect();
    doc.insert("approvers".into(), approvers.into());
    doc.insert("state".into(), a.state.as_str().into());
    doc.insert("scope".into(), a.scope.as_str().into());
    doc.insert("userIds".into(), a.user_ids.clone().into());
    doc.insert("approvalsRequired".into(), a.approvals_required.into());
    doc.insert("singleRunResults".into(), json!([]));
    let resolvers: Vec<Value> = resolutions
        .iter()
        .map(|r| {
            let (kind, action) = match r.decision {
                Decision::Approve => ("approved", "approve"),
                Decision::Reject => ("rejected", "reject"),
            };
            json!({
                "user": r.user_id,
                "date": iso(r.at_ms),
                "resolutionType": kind,
                "resolutionAction": action
            })
        })
        .collect();
    doc.insert("resolvers".into(), resolvers.into());
    doc.insert("actions".into(), json!([]));
    doc.insert("resolutionOrder".into(), json!([]));
    Value::Object(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_add_has_the_seed_000_info_shape() {
        let info = change_info(&EnterpriseChange::AddUser {
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
