//! `GET /sandbox/openapi.json`: an OpenAPI 3 description of the control plane and of every
//! vendor route orgbox serves (each also under `/s/{name}` for a named sandbox). The vendor
//! list is checked by a test against the router: each listed route is served, and every
//! route of BitGo's OpenAPI file that is served is listed.

use actix_web::HttpResponse;
use serde_json::{json, Map, Value};

use crate::bitgo::unserved;
use crate::control::Admin;

/// Vendor routes served: method, path template (BitGo's spelling where it has one), summary.
pub const VENDOR_ROUTES: &[(&str, &str, &str)] = &[
    ("GET", "/api/v1/client/constants", "Client constants"),
    ("GET", "/api/v2/client/constants", "Client constants"),
    ("GET", "/api/v1/ping", "Ping"),
    ("GET", "/api/v2/ping", "Ping"),
    ("POST", "/api/auth/v1/session", "Log in"),
    ("POST", "/api/v1/user/login", "Log in"),
    ("POST", "/api/v2/user/login", "Log in"),
    ("GET", "/api/v1/user/me", "The caller"),
    ("GET", "/api/v2/user/me", "The caller"),
    ("GET", "/api/v1/user/{id}", "A user (the caller)"),
    ("GET", "/api/v2/user/{id}", "A user (the caller)"),
    ("GET", "/api/v1/user/session", "The session"),
    ("GET", "/api/v2/user/session", "The session"),
    ("GET", "/api/v1/user/logout", "Log out"),
    ("GET", "/api/v2/user/logout", "Log out"),
    ("POST", "/api/v1/user/logout", "Log out"),
    ("POST", "/api/v2/user/logout", "Log out"),
    ("POST", "/api/v1/user/unlock", "Unlock the session"),
    ("POST", "/api/v2/user/unlock", "Unlock the session"),
    ("POST", "/api/v1/user/lock", "Lock the session"),
    ("POST", "/api/v2/user/lock", "Lock the session"),
    ("POST", "/api/v1/user/verifypassword", "Verify the password"),
    ("POST", "/api/v2/user/verifypassword", "Verify the password"),
    ("POST", "/api/auth/v1/accesstoken", "Create an access token"),
    ("POST", "/api/v1/user/accesstoken", "Create an access token"),
    ("POST", "/api/v2/user/accesstoken", "Create an access token"),
    ("GET", "/api/auth/v1/accesstoken", "List access tokens"),
    ("GET", "/api/v1/user/accesstoken", "List access tokens"),
    ("GET", "/api/v2/user/accesstoken", "List access tokens"),
    (
        "DELETE",
        "/api/auth/v1/accesstoken/{id}",
        "Revoke an access token",
    ),
    (
        "DELETE",
        "/api/v1/user/accesstoken/{id}",
        "Revoke an access token",
    ),
    (
        "DELETE",
        "/api/v2/user/accesstoken/{token}",
        "Revoke an access token",
    ),
    ("GET", "/api/v1/enterprise", "List enterprises"),
    ("GET", "/api/v2/enterprise", "List enterprises"),
    ("GET", "/api/v1/enterprise/{id}", "Get an enterprise"),
    (
        "GET",
        "/api/v2/enterprise/{enterpriseId}",
        "Get an enterprise",
    ),
    ("PUT", "/api/v1/enterprise/{id}", "Update an enterprise"),
    (
        "PUT",
        "/api/v2/enterprise/{enterpriseId}",
        "Update an enterprise",
    ),
    (
        "GET",
        "/api/v1/enterprise/{enterpriseId}/user",
        "List enterprise users",
    ),
    (
        "GET",
        "/api/v2/enterprise/{enterpriseId}/user",
        "List enterprise users",
    ),
    (
        "POST",
        "/api/v1/enterprise/{enterpriseId}/user",
        "Add an enterprise user",
    ),
    (
        "POST",
        "/api/v2/enterprise/{enterpriseId}/user",
        "Add an enterprise user",
    ),
    (
        "PUT",
        "/api/v1/enterprise/{enterpriseId}/user",
        "Change a role",
    ),
    (
        "PUT",
        "/api/v2/enterprise/{enterpriseId}/user",
        "Change a role",
    ),
    (
        "DELETE",
        "/api/v1/enterprise/{enterpriseId}/user",
        "Remove a user",
    ),
    (
        "DELETE",
        "/api/v2/enterprise/{enterpriseId}/user",
        "Remove a user",
    ),
    ("GET", "/api/v1/pendingapprovals", "List pending approvals"),
    ("GET", "/api/v2/pendingapprovals", "List pending approvals"),
    ("GET", "/api/v2/pendingApprovals", "List pending approvals"),
    (
        "GET",
        "/api/v2/{coin}/pendingapprovals",
        "List pending approvals",
    ),
    (
        "GET",
        "/api/v1/pendingapprovals/{approvalId}",
        "Get a pending approval",
    ),
    (
        "GET",
        "/api/v2/pendingapprovals/{approvalId}",
        "Get a pending approval",
    ),
    (
        "GET",
        "/api/v2/{coin}/pendingapprovals/{id}",
        "Get a pending approval",
    ),
    (
        "PUT",
        "/api/v1/pendingapprovals/{approvalId}",
        "Approve or reject",
    ),
    (
        "PUT",
        "/api/v2/pendingapprovals/{approvalId}",
        "Approve or reject",
    ),
    (
        "PUT",
        "/api/v2/{coin}/pendingapprovals/{id}",
        "Approve or reject",
    ),
    ("GET", "/api/v2/organization", "List organizations"),
    ("GET", "/api/v2/organization/{id}", "Get an organization"),
    (
        "POST",
        "/api/v2/organization/{organizationId}/user",
        "Add an organization user",
    ),
    (
        "PUT",
        "/api/v2/organization/{organizationId}/user",
        "Change an organization role",
    ),
    (
        "DELETE",
        "/api/v2/organization/{organizationId}/user",
        "Remove an organization user",
    ),
    (
        "POST",
        "/api/v2/organization/{organizationId}/enterprise",
        "Create a child enterprise",
    ),
    (
        "GET",
        "/api/v2/organization/{organizationId}/enterprise",
        "List child enterprises",
    ),
    (
        "POST",
        "/api/v2/organization/{organizationId}/enterprise/{enterpriseId}/user",
        "Add a child enterprise user",
    ),
    ("POST", "/api/evs/v1/identity", "Submit KYC"),
    ("GET", "/api/evs/v1/identity", "List KYC identities"),
    ("PATCH", "/api/evs/v1/identity/{id}", "Update KYC"),
    // Go Accounts, the ledger, withdrawals and policies (issue 7).
    (
        "POST",
        "/api/v2/{coin}/key",
        "Add a keychain (Go Account user key)",
    ),
    ("GET", "/api/v2/{coin}/key/{id}", "Get a keychain"),
    ("POST", "/api/v2/{coin}/wallet/add", "Add a Go Account"),
    ("GET", "/api/v2/{coin}/wallet", "List wallets of a coin"),
    ("GET", "/api/v2/wallets", "List wallets"),
    ("GET", "/api/v2/{coin}/wallet/{walletId}", "Get a wallet"),
    (
        "GET",
        "/api/v2/{coin}/wallet/{walletId}/addresses",
        "List addresses",
    ),
    (
        "POST",
        "/api/v2/{coin}/wallet/{walletId}/share",
        "Share a wallet",
    ),
    (
        "GET",
        "/api/v2/{coin}/wallet/{walletId}/transfer",
        "List a wallet's transfers",
    ),
    (
        "POST",
        "/api/v2/{coin}/wallet/{walletId}/tx/build",
        "Build a withdrawal",
    ),
    (
        "POST",
        "/api/v2/{coin}/wallet/{walletId}/tx/send",
        "Send a half-signed withdrawal",
    ),
    (
        "POST",
        "/api/v2/{coin}/wallet/{walletId}/tx/initiate",
        "Initiate a custodial withdrawal",
    ),
    (
        "POST",
        "/api/v2/{coin}/wallet/{walletId}/policy/rule",
        "Add a wallet policy rule",
    ),
    (
        "PUT",
        "/api/v2/{coin}/wallet/{walletId}/policy/rule",
        "Update a wallet policy rule",
    ),
    (
        "DELETE",
        "/api/v2/{coin}/wallet/{walletId}/policy/rule",
        "Delete a wallet policy rule",
    ),
    (
        "PUT",
        "/api/v2/policy/rule/bulk",
        "Update policy rules of many wallets",
    ),
    (
        "GET",
        "/api/v2/enterprise/{enterpriseId}/transfer",
        "List an enterprise's transfers",
    ),
    (
        "GET",
        "/api/policy/v1/organizations/{organizationId}/rules",
        "List organization rules",
    ),
    (
        "POST",
        "/api/policy/v1/organizations/{organizationId}/rules",
        "Add an organization rule",
    ),
    (
        "POST",
        "/api/fiat/v1/sandbox/transaction/simulate",
        "Simulate a deposit (test only)",
    ),
    (
        "GET",
        "/api/prime/trading/v1/user/current",
        "Current trading user",
    ),
    ("GET", "/api/prime/trading/v1/accounts", "Trading accounts"),
    (
        "GET",
        "/api/prime/trading/v1/accounts/{accountId}/balances",
        "Trading balances",
    ),
    (
        "GET",
        "/api/prime/trading/v1/accounts/{accountId}/currencies",
        "Currencies",
    ),
    (
        "GET",
        "/api/prime/trading/v1/accounts/{accountId}/products",
        "Products",
    ),
    (
        "GET",
        "/api/prime/trading/v1/accounts/{accountId}/orders",
        "List orders",
    ),
    (
        "POST",
        "/api/prime/trading/v1/accounts/{accountId}/orders",
        "Place an order",
    ),
    (
        "GET",
        "/api/prime/trading/v1/accounts/{accountId}/orders/{orderId}",
        "Get an order",
    ),
    (
        "PUT",
        "/api/prime/trading/v1/accounts/{accountId}/orders/{orderId}/cancel",
        "Cancel an order",
    ),
    (
        "GET",
        "/api/prime/trading/v1/accounts/{accountId}/trades",
        "List trades",
    ),
    (
        "GET",
        "/api/prime/trading/v1/accounts/{accountId}/trades/{tradeId}",
        "Get a trade",
    ),
];

/// Control-plane routes: method, path, summary.
pub const CONTROL_ROUTES: &[(&str, &str, &str)] = &[
    ("GET", "/sandbox/health", "Health"),
    ("GET", "/sandbox/openapi.json", "This document"),
    ("GET", "/sandbox/outbox", "Captured mail"),
    (
        "GET",
        "/sandbox/invitations/{token}",
        "Invitation accept page",
    ),
    (
        "POST",
        "/sandbox/invitations/{token}",
        "Accept an invitation",
    ),
    (
        "POST",
        "/sandbox/organizations/{id}/admins",
        "Make an organization admin",
    ),
    (
        "POST",
        "/sandbox/kyc/{id}/complete",
        "Decide a KYC identity",
    ),
    (
        "POST",
        "/sandbox/enterprises/{id}/members",
        "Set an enterprise member's permissions at once",
    ),
    (
        "PATCH",
        "/sandbox/bitwarden/organizations/{id}",
        "Set a Bitwarden organization's seats, storage used, SSO identifier or features",
    ),
    (
        "POST",
        "/sandbox/bitwarden/organizations/{id}/sso-links",
        "Link a Bitwarden user to the organization's SSO",
    ),
    ("GET", "/sandbox/sandboxes", "List named sandboxes"),
    (
        "POST",
        "/sandbox/sandboxes",
        "Create a named sandbox {name, snapshot?}",
    ),
    ("GET", "/sandbox/sandboxes/{name}", "Get a named sandbox"),
    (
        "DELETE",
        "/sandbox/sandboxes/{name}",
        "Delete a named sandbox",
    ),
    (
        "POST",
        "/sandbox/sandboxes/{name}/reset",
        "Reset a named sandbox",
    ),
    (
        "POST",
        "/sandbox/reset",
        "Reset the addressed sandbox to the template",
    ),
    ("GET", "/sandbox/clock", "Read the clock"),
    (
        "POST",
        "/sandbox/clock",
        "Move the clock {reset?, set?, advanceMs?, advanceSeconds?, freeze?}",
    ),
    (
        "GET",
        "/sandbox/journal",
        "Query the journal (method, path, status, since, until, refused, principal, before, limit)",
    ),
    ("GET", "/sandbox/journal/count", "Count journal entries"),
    ("DELETE", "/sandbox/journal", "Clear the journal"),
    ("GET", "/sandbox/faults", "List fault rules"),
    ("POST", "/sandbox/faults", "Add a fault rule"),
    ("DELETE", "/sandbox/faults", "Clear fault rules"),
    ("DELETE", "/sandbox/faults/{id}", "Remove a fault rule"),
    (
        "GET",
        "/sandbox/snapshot",
        "Download the state (SQLite file)",
    ),
    (
        "PUT",
        "/sandbox/snapshot",
        "Replace the state with an uploaded snapshot",
    ),
    ("GET", "/sandbox/snapshots", "List saved snapshots"),
    (
        "POST",
        "/sandbox/snapshots/{name}",
        "Save the state as a snapshot",
    ),
    (
        "GET",
        "/sandbox/snapshots/{name}",
        "Download a saved snapshot",
    ),
    ("PUT", "/sandbox/snapshots/{name}", "Upload a snapshot"),
    (
        "DELETE",
        "/sandbox/snapshots/{name}",
        "Delete a saved snapshot",
    ),
    (
        "POST",
        "/sandbox/snapshots/{name}/load",
        "Load a saved snapshot",
    ),
    ("GET", "/sandbox/digest", "SHA-256 of the state"),
    (
        "POST",
        "/sandbox/seed",
        "Apply a seeding fixture (JSON or TOML)",
    ),
    (
        "GET",
        "/sandbox/console/world",
        "The web console's view of the BitGo world, a page of enterprises at a time (offset, limit, q, as): organizations, users and roles, KYC, Go Accounts with balances, transfers and orders, open approvals",
    ),
    (
        "GET",
        "/sandbox/console/demo",
        "The demo users' password and OTP, for the console's act-as-a-user",
    ),
    (
        "GET",
        "/sandbox/console/journal",
        "The journal as the console shows it: the /sandbox/journal query, principal also by email, each entry named",
    ),
    (
        "GET",
        "/sandbox/console/tokens",
        "The web console's list of tokens (never their values): scopes, IP restriction, expiry, last use",
    ),
    (
        "GET",
        "/sandbox/console/bitwarden",
        "The web console's view of the Bitwarden world (organizations, plans, seats, members)",
    ),
];

fn operation(method: &str, path: &str, summary: &str, tag: &str) -> Value {
    let parameters: Vec<Value> = path
        .split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
        .collect();
    let mut op = json!({
        "summary": summary,
        "tags": [tag],
        "operationId": format!("{}{}", method.to_ascii_lowercase(), path.replace(['/', '{', '}', '.'], "_")),
        "responses": {"default": {"description": "See the README; errors in the dialect's shape"}},
    });
    if !parameters.is_empty() {
        op["parameters"] = Value::Array(parameters);
    }
    op
}

/// The whole document.
pub fn document() -> Value {
    let mut paths: Map<String, Value> = Map::new();
    let mut add = |method: &str, path: &str, summary: &str, tag: &str| {
        let item = paths
            .entry(path.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        item[method.to_ascii_lowercase()] = operation(method, path, summary, tag);
    };
    for (method, path, summary) in VENDOR_ROUTES {
        let tag = unserved::find(method, path).map_or("BitGo", |r| r.tag);
        add(method, path, summary, tag);
    }
    for (method, path, summary) in CONTROL_ROUTES {
        add(method, path, summary, "Sandbox control plane");
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "orgbox",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "An offline, stateful sandbox of BitGo's API. Every path is also served under /s/{name} for the named sandbox {name}; BitGo routes documented by BitGo but not served here answer 501 NotImplemented.",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
    })
}

/// `GET /sandbox/openapi.json`.
pub async fn openapi(_admin: Admin) -> HttpResponse {
    HttpResponse::Ok().json(document())
}
