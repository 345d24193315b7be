//! BitGo's enterprise routes: enterprises and their users.

use super::Route;

/// Method, path template (BitGo's spelling where it has one), summary.
pub const ROUTES: &[Route] = &[
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
];
