//! BitGo's organization routes: organizations, their users and child enterprises, and KYC.

use super::Route;

/// Method, path template (BitGo's spelling where it has one), summary.
pub const ROUTES: &[Route] = &[
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
];
