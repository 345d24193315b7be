//! The identity document BitGo's KYC routes answer with (and the control plane shows).

use serde_json::{json, Map, Value};

use crate::bitgo::views::iso;
use crate::domain::kyc;
use crate::store::kyc::IdentityRow;

/// The identity document of `GET /api/evs/v1/identity` (every submitted field, plus the
/// status as of `now_ms`).
pub fn identity_json(i: &IdentityRow, now_ms: i64) -> Value {
    let status = i.schedule.status_at(now_ms);
    let updated = i
        .updated_at
        .max(i.schedule.changed_at(i.created_at, now_ms));
    let mut doc = Map::new();
    doc.insert("id".into(), i.id.clone().into());
    doc.insert("status".into(), status.into());
    doc.insert("organizationId".into(), i.organization_id.clone().into());
    doc.insert("enterpriseId".into(), i.enterprise_id.clone().into());
    doc.insert("userId".into(), i.user_id.clone().into());
    doc.insert("transactionType".into(), i.transaction_type.clone().into());
    doc.insert("createdAt".into(), iso(i.created_at).into());
    doc.insert("updatedAt".into(), iso(updated).into());
    if status == kyc::DECLINED {
        let reason = i.error_description.clone().unwrap_or_else(|| {
            i.fields
                .get("debugFailureReason")
                .and_then(Value::as_str)
                .unwrap_or("identity verification failed")
                .to_string()
        });
        doc.insert("errorDescription".into(), reason.into());
    }
    doc.insert("signaturesSubmitted".into(), json!([]));
    doc.insert("signaturesRequired".into(), json!([]));
    for (k, v) in &i.fields {
        if !doc.contains_key(k) && k != "errorDescription" {
            doc.insert(k.clone(), v.clone());
        }
    }
    Value::Object(doc)
}
