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
    let mut members = vec![(BRENNAN, EnterprisePermission::Admin)];
    members.extend_from_slice(others);
    insert_enterprise(app, &id, "Solo Corp", None, "bitgoAsAService", &members);
    id
}

/// Inserts enterprise `id` named `name`, in `organization` (if any), of `business_model`, with
/// `members` (emails) and their permission; the first joined before the others.
pub fn insert_enterprise(
    app: &TestApp,
    id: &str,
    name: &str,
    organization: Option<&str>,
    business_model: &str,
    members: &[(&str, EnterprisePermission)],
) {
    let members: Vec<(String, EnterprisePermission)> =
        members.iter().map(|(e, p)| (user_id(app, e), *p)).collect();
    let row = EnterpriseRow {
        id: id.to_string(),
        name: name.into(),
        organization_id: organization.map(str::to_string),
        business_model: business_model.into(),
        account_type: "entity".into(),
        kyc_state: "approved".into(),
        created_at: 0,
    };
    app.state
        .sandboxes
        .default_sandbox()
        .store
        .write_blocking(move |c| -> orgbox::domain::error::Result<_> {
            enterprises::insert(c, &row)?;
            for (i, (u, p)) in members.iter().enumerate() {
                let joined = if i == 0 { 1 } else { 2 };
                enterprises::upsert_member(c, &row.id, u, &[*p], joined)?;
            }
            Ok(())
        })
        .unwrap();
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
