//! The Bitwarden routes orgbox serves (each under `/api` too, except the identity server's,
//! which is also under `/identity`), with the `bitwarden/server` source that defines each.

/// One Bitwarden route: method, path, summary, the server's source file that defines it.
pub type BitwardenRoute = (&'static str, &'static str, &'static str, &'static str);

const IDENTITY: &str = "src/Identity/Controllers/AccountsController.cs";
const CONNECT: &str = "src/Identity/IdentityServer";
const ACCOUNTS: &str = "src/Api/Auth/Controllers/AccountsController.cs";
const ORGS: &str = "src/Api/AdminConsole/Controllers/OrganizationsController.cs";
const USERS: &str = "src/Api/AdminConsole/Controllers/OrganizationUsersController.cs";
const LICENSES: &str = "src/Api/Controllers/SelfHosted/SelfHostedOrganizationLicensesController.cs";
const BILLING: &str = "src/Api/Billing/Controllers/OrganizationsController.cs";

/// Bitwarden routes of accounts, organizations and members served, as a client calls them
/// (`/api` omitted); what an organization admin manages beyond members is in
/// [`super::bitwarden_admin::ROUTES`].
pub const ROUTES: &[BitwardenRoute] = &[
    (
        "POST",
        "/identity/connect/token",
        "Log in (password, client credentials, refresh)",
        CONNECT,
    ),
    (
        "POST",
        "/identity/accounts/prelogin",
        "KDF settings of an account",
        IDENTITY,
    ),
    (
        "POST",
        "/identity/accounts/register",
        "Register an account",
        IDENTITY,
    ),
    (
        "GET",
        "/config",
        "Server configuration",
        "src/Api/Controllers/ConfigController.cs",
    ),
    (
        "GET",
        "/sync",
        "Everything a client reads after login",
        "src/Api/Vault/Controllers/SyncController.cs",
    ),
    (
        "GET",
        "/accounts/profile",
        "The account's profile",
        ACCOUNTS,
    ),
    (
        "GET",
        "/accounts/revision-date",
        "The account's revision date",
        ACCOUNTS,
    ),
    (
        "POST",
        "/accounts/key-management/user-key-id",
        "Record the user key's id",
        ACCOUNTS,
    ),
    (
        "DELETE",
        "/accounts/sso/{organizationId}",
        "Remove the account's SSO link",
        ACCOUNTS,
    ),
    ("GET", "/organizations", "The account's organizations", ORGS),
    ("POST", "/organizations", "Create an organization", ORGS),
    (
        "POST",
        "/organizations/create-without-payment",
        "Create an organization",
        ORGS,
    ),
    (
        "POST",
        "/organizations/licenses/self-hosted",
        "Create from a license file",
        LICENSES,
    ),
    (
        "POST",
        "/organizations/licenses/self-hosted/{id}",
        "Update the license",
        LICENSES,
    ),
    (
        "GET",
        "/organizations/{id}/license",
        "Download the license",
        BILLING,
    ),
    (
        "GET",
        "/organizations/{identifier}/auto-enroll-status",
        "Auto-enroll status",
        ORGS,
    ),
    (
        "POST",
        "/organizations/{id}/leave",
        "Leave an organization",
        ORGS,
    ),
    (
        "POST",
        "/organizations/{id}/delete",
        "Delete an organization",
        ORGS,
    ),
    (
        "POST",
        "/organizations/{id}/api-key",
        "The organization's API key",
        ORGS,
    ),
    (
        "POST",
        "/organizations/{id}/rotate-api-key",
        "Rotate the API key",
        ORGS,
    ),
    (
        "GET",
        "/organizations/{id}/api-key-information",
        "API keys' information",
        ORGS,
    ),
    (
        "GET",
        "/organizations/{id}/api-key-information/{type}",
        "An API key's information",
        ORGS,
    ),
    (
        "POST",
        "/organizations/{id}/storage",
        "Adjust storage",
        ORGS,
    ),
    (
        "GET",
        "/organizations/{id}/public-key",
        "The organization's public key",
        ORGS,
    ),
    ("GET", "/organizations/{id}/users", "Members", USERS),
    (
        "POST",
        "/organizations/{id}/users/invite",
        "Invite members",
        USERS,
    ),
    (
        "GET",
        "/organizations/{id}/users/{member}",
        "A member",
        USERS,
    ),
    (
        "POST",
        "/organizations/{id}/users/{member}/accept",
        "Accept an invitation",
        USERS,
    ),
    (
        "POST",
        "/organizations/{id}/users/{member}/confirm",
        "Confirm a member",
        USERS,
    ),
    (
        "GET",
        "/users/{id}/public-key",
        "A user's public key",
        "src/Api/Controllers/UsersController.cs",
    ),
    ("GET", "/organizations/{id}", "An organization", ORGS),
    ("PUT", "/organizations/{id}", "Update an organization", ORGS),
    (
        "DELETE",
        "/organizations/{id}",
        "Delete an organization",
        ORGS,
    ),
    (
        "GET",
        "/organizations/{id}/users/mini-details",
        "Members, in brief",
        USERS,
    ),
    (
        "POST",
        "/organizations/{id}/users/reinvite",
        "Invite members again",
        USERS,
    ),
    (
        "POST",
        "/organizations/{id}/users/{member}/reinvite",
        "Invite a member again",
        USERS,
    ),
    (
        "POST",
        "/organizations/{id}/users/confirm",
        "Confirm members",
        USERS,
    ),
    (
        "POST",
        "/organizations/{id}/users/public-keys",
        "Members' public keys",
        USERS,
    ),
    (
        "PUT",
        "/organizations/{id}/users/{member}",
        "Change a member's role, permissions and access",
        USERS,
    ),
    (
        "PUT",
        "/organizations/{id}/users/{member}/revoke",
        "Revoke a member",
        USERS,
    ),
    (
        "PUT",
        "/organizations/{id}/users/{member}/restore",
        "Restore a member",
        USERS,
    ),
    (
        "PUT",
        "/organizations/{id}/users/revoke",
        "Revoke members",
        USERS,
    ),
    (
        "PUT",
        "/organizations/{id}/users/restore",
        "Restore members",
        USERS,
    ),
    (
        "DELETE",
        "/organizations/{id}/users/{member}",
        "Remove a member",
        USERS,
    ),
    (
        "DELETE",
        "/organizations/{id}/users",
        "Remove members",
        USERS,
    ),
];
