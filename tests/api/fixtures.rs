//! Arrangements shared by the enterprise-user, approval and control-plane tests: a second
//! enterprise with Brennan as its only admin, the rows a refusal must leave alone, and the
//! captured mail.

use orgbox::domain::role::EnterprisePermission;
use orgbox::store::enterprises::{self, EnterpriseRow};
use orgbox::store::{outbox, users};

use crate::helpers::*;

/// Every row a refused enterprise, approval, invitation or organization request must leave
/// alone, in full: enterprises and their settings, members with their permissions and video
/// flags, organization roles, approvals with their state, resolutions, mail, users (all but
/// the last login time, which a login between two snapshots moves) and invitations. Compare
/// `world(&app)` before and after.
pub const WORLD: &[&str] = &[
    "enterprises",
    "enterprise_members",
    "organization_members",
    "pending_approvals",
    "pending_approval_resolutions",
    "outbox",
    "(SELECT id, username, first_name, last_name, password_hash, country, timezone, is_active, created_at FROM users)",
    "invitations",
];

/// The full rows of [`WORLD`], as text.
pub fn world(app: &TestApp) -> String {
    app.snapshot(WORLD)
}

/// The full rows of [`WORLD`] but `tables` (what a request is expected to add to).
pub fn world_except(app: &TestApp, tables: &[&str]) -> String {
    let kept: Vec<&str> = WORLD
        .iter()
        .copied()
        .filter(|t| !tables.contains(t))
        .collect();
    app.snapshot(&kept)
}

/// Row counts of enterprise_members, pending_approvals, pending_approval_resolutions, outbox,
/// users and invitations, in that order: for tests that count what a request added (a
/// refusal compares [`world`] instead).
pub fn counts(app: &TestApp) -> Vec<i64> {
    [
        "enterprise_members",
        "pending_approvals",
        "pending_approval_resolutions",
        "outbox",
        "users",
        "invitations",
    ]
    .iter()
    .map(|table| app.count(&format!("SELECT count(*) FROM {table}")))
    .collect()
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
