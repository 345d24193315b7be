//! Arrangements shared by the enterprise-user, approval and control-plane tests: a second
//! enterprise with Brennan as its only admin, row counts a refusal must leave alone, and the
//! captured mail.

use orgbox::domain::role::EnterprisePermission;
use orgbox::store::enterprises::{self, EnterpriseRow};
use orgbox::store::{outbox, users};

use crate::helpers::*;

/// Rows a refusal must leave alone.
pub fn counts(app: &TestApp) -> Vec<i64> {
    let store = &app.state.sandboxes.default_sandbox().store;
    store
        .write_blocking(|c| {
            let mut out = Vec::new();
            for table in [
                "enterprise_members",
                "pending_approvals",
                "pending_approval_resolutions",
                "outbox",
                "users",
                "invitations",
            ] {
                let n: i64 =
                    c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
                out.push(n);
            }
            let settings: i64 = c.query_row(
                "SELECT total(approvals_required) + total(length(name)) FROM enterprises",
                [],
                |r| r.get::<_, f64>(0).map(|f| f as i64),
            )?;
            out.push(settings);
            let members: String = c.query_row(
                "SELECT coalesce(group_concat(user_id || permissions || video_id_user), '') FROM enterprise_members",
                [],
                |r| r.get(0),
            )?;
            out.push(members.len() as i64);
            Ok(out)
        })
        .unwrap()
}

/// A user's id by email.
pub fn user_id(app: &TestApp, email: &str) -> String {
    let email = email.to_string();
    app.state
        .sandboxes
        .default_sandbox()
        .store
        .write_blocking(move |c| users::find_by_username(c, &email))
        .unwrap()
        .unwrap()
        .id
}

/// An enterprise (outside the demo organization) whose only admin is Brennan, with `others`
/// as members with the given permission.
pub fn lone_enterprise(app: &TestApp, others: &[(&str, EnterprisePermission)]) -> String {
    let id = "5e1f".to_string() + &"0".repeat(28);
    let brennan = user_id(app, BRENNAN);
    let others: Vec<(String, EnterprisePermission)> =
        others.iter().map(|(e, p)| (user_id(app, e), *p)).collect();
    let eid = id.clone();
    app.state
        .sandboxes
        .default_sandbox()
        .store
        .write_blocking(move |c| {
            enterprises::insert(
                c,
                &EnterpriseRow {
                    id: eid.clone(),
                    name: "Solo Corp".into(),
                    organization_id: None,
                    business_model: "bitgoAsAService".into(),
                    account_type: "entity".into(),
                    kyc_state: "approved".into(),
                    created_at: 0,
                },
            )?;
            enterprises::upsert_member(c, &eid, &brennan, &[EnterprisePermission::Admin], 1)?;
            for (u, p) in &others {
                enterprises::upsert_member(c, &eid, u, &[*p], 2)?;
            }
            Ok(())
        })
        .unwrap();
    id
}

/// The mail captured for `to`, newest first.
pub fn mail_to(app: &TestApp, to: &str) -> Vec<outbox::OutboxRow> {
    let to = to.to_string();
    app.state
        .sandboxes
        .default_sandbox()
        .store
        .write_blocking(move |c| outbox::list(c, Some(&to), 100))
        .unwrap()
}
