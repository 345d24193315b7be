//! BitGo's pending approvals.

use super::Route;

/// Method, path template (BitGo's spelling where it has one), summary.
pub const ROUTES: &[Route] = &[
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
];
