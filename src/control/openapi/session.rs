//! BitGo's session routes: constants, ping, login, the caller, unlock and access tokens.

use super::Route;

/// Method, path template (BitGo's spelling where it has one), summary.
pub const ROUTES: &[Route] = &[
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
];
