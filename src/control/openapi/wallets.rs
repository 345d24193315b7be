//! BitGo's Go Account routes: keys, wallets, withdrawals, policies, transfers and deposits.

use super::Route;

/// Method, path template (BitGo's spelling where it has one), summary.
pub const ROUTES: &[Route] = &[
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
];
