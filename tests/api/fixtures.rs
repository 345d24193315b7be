//! Arrangements shared by the enterprise-user, approval and control-plane tests: a second
//! enterprise with Brennan as its only admin, the rows a refusal must leave alone, and the
//! captured mail.

use orgbox::domain::role::EnterprisePermission;
use serde_json::{json, Value};

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
    app.text(&format!(
        "SELECT id FROM users WHERE username = '{}'",
        email.to_lowercase()
    ))
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

/// Creates enterprise `id` named `name`, in `organization` (if any), of `business_model`
/// (a seeding fixture), with `members` (emails) and their permission (the control plane); the
/// first joined before the others.
pub fn insert_enterprise(
    app: &TestApp,
    id: &str,
    name: &str,
    organization: Option<&str>,
    business_model: &str,
    members: &[(&str, EnterprisePermission)],
) {
    app.seed(json!({
        "now": 0,
        "enterprises": [{"key": id, "id": id, "name": name, "organization": organization,
                         "businessModel": business_model, "accountType": "entity",
                         "kycState": "approved"}],
    }));
    for (i, (email, permission)) in members.iter().enumerate() {
        let joined = if i == 0 { 1 } else { 2 };
        app.control(
            Req::post(&format!("/sandbox/enterprises/{id}/members")).json(&json!({
                "email": email, "permissions": [permission.as_str()], "joinedAt": joined,
            })),
        )
        .ok();
    }
}

/// One captured mail, as `GET /sandbox/outbox` shows it.
#[derive(Debug, Clone)]
pub struct Mail {
    /// What it is: `invitation`, `notification`, `otp`, ...
    pub kind: String,
    /// Plain-text body.
    pub body: String,
    /// A link to follow, if any.
    pub link: Option<String>,
}

/// The mail captured for `to`, newest first.
pub fn mail_to(app: &TestApp, to: &str) -> Vec<Mail> {
    let path = format!("/sandbox/outbox?to={}&limit=100", to.replace('+', "%2B"));
    let text = |m: &Value, k: &str| m[k].as_str().unwrap().to_string();
    app.control(Req::get(&path)).ok()["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| Mail {
            kind: text(m, "kind"),
            body: text(m, "body"),
            link: m["link"].as_str().map(str::to_string),
        })
        .collect()
}
