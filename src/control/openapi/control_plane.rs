//! The sandbox control plane's own routes (`/sandbox/...`).

use super::Route;

/// Control-plane routes: method, path, summary.
pub const ROUTES: &[Route] = &[
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
        "/sandbox/wallets/{id}/faucet",
        "Fund a Go Account from the faucet {asset, amount}",
    ),
    (
        "GET",
        "/sandbox/wallets/{id}/ledger",
        "A Go Account's ledger and balances",
    ),
    (
        "PUT",
        "/sandbox/prices/{asset}",
        "Set an asset's USD price {usd}",
    ),
    ("GET", "/sandbox/stubs", "List the stubs of unserved BitGo operations"),
    (
        "PUT",
        "/sandbox/stubs",
        "Stub an unserved BitGo operation {method, path, match?, response: {status, headers?, body}}",
    ),
    ("DELETE", "/sandbox/stubs", "Remove every stub"),
    ("DELETE", "/sandbox/stubs/{id}", "Remove a stub"),
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
        "The web console's view of the Bitwarden world (organizations, plans, seats, members, collections, groups, policies)",
    ),
    (
        "POST",
        "/sandbox/console/bitwarden/token",
        "A Bitwarden access token for a member who manages users {organizationId, memberId}, minted as the identity server mints one, for the console to act through the Bitwarden routes",
    ),
    (
        "POST",
        "/sandbox/webhooks/trigger",
        "Fire a webhook event end to end: {type, walletId | enterpriseId | organizationId, asset?, amount?} (a transfer is a real deposit)",
    ),
    (
        "GET",
        "/sandbox/webhooks",
        "Every webhook with its latest notifications and their delivery attempts",
    ),
    ("GET", "/sandbox/webhooks/inbox", "The capture inboxes"),
    (
        "POST",
        "/sandbox/webhooks/inbox/{name}",
        "A capture inbox receives a delivery (?fail=N answers 500 to the first N)",
    ),
    (
        "GET",
        "/sandbox/webhooks/inbox/{name}",
        "What a capture inbox received, oldest first (after, limit)",
    ),
    ("DELETE", "/sandbox/webhooks/inbox/{name}", "Empty a capture inbox"),
    (
        "POST",
        "/sandbox/wallets/{id}/deposit",
        "Money arrives at a deposit address: {address, amount, asset?}; unconfirmed, then confirmed on the sandbox clock",
    ),
];
