//! The pending approval object as BitGo sends it (seed 000 step 2, `PendingApproval`).

use serde_json::{json, Map, Value};

use crate::bitgo::views::iso;
use crate::domain::approval::{Decision, Resolution};
use crate::store::approvals::ApprovalRow;

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
    // BitGo's `resolutionType` is the open state the resolver acted on (`pending`,
    // `pendingVideoApproval`, ...); its `resolutionAction` says what they did.
    let resolved_in = if a.state.is_open() {
        a.state.as_str()
    } else {
        a.change
            .get("heldAs")
            .and_then(Value::as_str)
            .unwrap_or("pending")
    };
    let resolvers: Vec<Value> = resolutions
        .iter()
        .map(|r| {
            let action = match r.decision {
                Decision::Approve => "approve",
                Decision::Reject => "reject",
            };
            json!({
                "user": r.user_id,
                "date": iso(r.at_ms),
                "resolutionType": resolved_in,
                "resolutionAction": action
            })
        })
        .collect();
    doc.insert("resolvers".into(), resolvers.into());
    doc.insert("actions".into(), json!([]));
    doc.insert("resolutionOrder".into(), json!([]));
    Value::Object(doc)
}
