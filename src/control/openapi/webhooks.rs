//! BitGo's webhook, deposit address and transfer routes orgbox serves.

use super::Route;

/// Method, path template (BitGo's spelling), summary.
pub const ROUTES: &[Route] = &[
    ("POST", "/api/v2/{coin}/wallet/{walletId}/webhooks", "Add a wallet webhook"),
    ("GET", "/api/v2/{coin}/wallet/{walletId}/webhooks", "List a wallet's webhooks"),
    ("DELETE", "/api/v2/{coin}/wallet/{walletId}/webhooks", "Remove a wallet webhook ({type, url} or {id})"),
    (
        "GET",
        "/api/v2/{coin}/wallet/{walletId}/webhooks/notifications",
        "A wallet's webhook notifications, with every delivery attempt",
    ),
    (
        "POST",
        "/api/v2/{coin}/wallet/{walletId}/webhooks/{webhookId}/simulate",
        "Simulate a wallet webhook (transferId, pendingApprovalId or usePlaceholderData)",
    ),
    ("GET", "/api/v2/enterprise/{enterpriseId}/webhooks", "List an enterprise's webhooks"),
    ("POST", "/api/v2/enterprise/{enterpriseId}/webhooks", "Add an enterprise webhook"),
    ("DELETE", "/api/v2/enterprise/{enterpriseId}/webhook/{webhookId}", "Delete an enterprise webhook"),
    (
        "GET",
        "/api/v2/enterprise/{enterpriseId}/webhook/{webhookId}/simulate",
        "Simulate an enterprise webhook (also POST)",
    ),
    (
        "GET",
        "/api/v2/enterprise/{enterpriseId}/webhook/{webhookId}/bankaccount/{bankaccountId}/simulate",
        "Simulate a bank account webhook (placeholder data)",
    ),
    ("GET", "/api/v2/organization/{organizationId}/webhook", "List an organization's webhooks"),
    ("POST", "/api/v2/organization/{organizationId}/webhook", "Add an organization webhook"),
    ("GET", "/api/v2/organization/{organizationId}/webhook/{webhookId}", "Get an organization webhook"),
    ("DELETE", "/api/v2/organization/{organizationId}/webhook/{webhookId}", "Delete an organization webhook"),
    (
        "GET",
        "/api/v2/organization/{organizationId}/webhook/{webhookId}/notification",
        "An organization webhook's notifications",
    ),
    (
        "POST",
        "/api/v2/organization/{organizationId}/webhook/{webhookId}/simulate",
        "Simulate an organization webhook",
    ),
    ("POST", "/api/v2/webhook/secret", "Create (or rotate) an enterprise's or organization's webhook secret"),
    ("POST", "/api/v2/webhook/{webhookId}/verify", "Check a notification's X-Signature-SHA256"),
    (
        "GET",
        "/api/notifications/v1/webhooks/{webhookId}/notifications",
        "A webhook's notification history (limit, offset, status, hash, transferId)",
    ),
    (
        "POST",
        "/api/notifications/v1/webhooks/{webhookId}/notifications/retrigger",
        "Resend notifications with their original signature",
    ),
    ("POST", "/api/v2/{coin}/wallet/{walletId}/address", "Create a deposit address (onToken)"),
    ("GET", "/api/v2/{coin}/wallet/{walletId}/address/{addressOrId}", "Get an address"),
    ("GET", "/api/v2/{coin}/wallet/{walletId}/addresses", "List addresses"),
    ("GET", "/api/v2/{coin}/wallet/{walletId}/transfer/{transferId}", "Get a transfer by id or txid"),
];
