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
const COLLECTIONS: &str = "src/Api/AdminConsole/Controllers/CollectionsController.cs";
const POLICIES: &str = "src/Api/AdminConsole/Controllers/PoliciesController.cs";
const EVENTS: &str = "src/Api/Dirt/Controllers/EventsController.cs";
const PUBLIC_MEMBERS: &str = "src/Api/AdminConsole/Public/Controllers/MembersController.cs";
const PUBLIC_COLLECTIONS: &str = "src/Api/AdminConsole/Public/Controllers/CollectionsController.cs";
const PUBLIC_EVENTS: &str = "src/Api/Dirt/Public/Controllers/EventsController.cs";
const GROUPS: &str = "src/Api/AdminConsole/Controllers/GroupsController.cs";
const PUBLIC_GROUPS: &str = "src/Api/AdminConsole/Public/Controllers/GroupsController.cs";
const BILLING: &str = "src/Api/Billing/Controllers/OrganizationsController.cs";

/// Bitwarden routes served, as a client calls them (`/api` omitted).
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
    (
        "GET",
        "/organizations/{id}/collections",
        "Collections",
        COLLECTIONS,
    ),
    (
        "GET",
        "/organizations/{id}/collections/details",
        "Collections with their access",
        COLLECTIONS,
    ),
    (
        "GET",
        "/organizations/{id}/collections/{collection}",
        "A collection",
        COLLECTIONS,
    ),
    (
        "GET",
        "/organizations/{id}/collections/{collection}/details",
        "A collection with its access",
        COLLECTIONS,
    ),
    (
        "POST",
        "/organizations/{id}/collections",
        "Create a collection",
        COLLECTIONS,
    ),
    (
        "PUT",
        "/organizations/{id}/collections/{collection}",
        "Update a collection",
        COLLECTIONS,
    ),
    (
        "DELETE",
        "/organizations/{id}/collections/{collection}",
        "Delete a collection",
        COLLECTIONS,
    ),
    (
        "GET",
        "/organizations/{id}/events",
        "The organization's event log",
        EVENTS,
    ),
    ("GET", "/organizations/{id}/policies", "Policies", POLICIES),
    (
        "GET",
        "/organizations/{id}/policies/{type}",
        "A policy",
        POLICIES,
    ),
    (
        "PUT",
        "/organizations/{id}/policies/{type}",
        "Turn a policy on or off",
        POLICIES,
    ),
    (
        "GET",
        "/public/members",
        "Public API: members",
        PUBLIC_MEMBERS,
    ),
    (
        "GET",
        "/public/members/{id}",
        "Public API: a member",
        PUBLIC_MEMBERS,
    ),
    (
        "POST",
        "/public/members",
        "Public API: invite a member",
        PUBLIC_MEMBERS,
    ),
    (
        "DELETE",
        "/public/members/{id}",
        "Public API: remove a member",
        PUBLIC_MEMBERS,
    ),
    (
        "GET",
        "/public/collections",
        "Public API: collections",
        PUBLIC_COLLECTIONS,
    ),
    (
        "GET",
        "/public/events",
        "Public API: the event log",
        PUBLIC_EVENTS,
    ),
    (
        "PUT",
        "/public/members/{id}",
        "Public API: change a member's role, permissions, collections and groups",
        PUBLIC_MEMBERS,
    ),
    (
        "POST",
        "/public/members/{id}/reinvite",
        "Public API: re-send a member's invitation",
        PUBLIC_MEMBERS,
    ),
    (
        "POST",
        "/public/members/{id}/revoke",
        "Public API: revoke a member",
        PUBLIC_MEMBERS,
    ),
    (
        "POST",
        "/public/members/{id}/restore",
        "Public API: restore a member",
        PUBLIC_MEMBERS,
    ),
    (
        "GET",
        "/public/policies",
        "Public API: policies",
        "src/Api/AdminConsole/Public/Controllers/PoliciesController.cs",
    ),
    (
        "GET",
        "/public/policies/{type}",
        "Public API: a policy",
        "src/Api/AdminConsole/Public/Controllers/PoliciesController.cs",
    ),
    (
        "PUT",
        "/public/policies/{type}",
        "Public API: turn a policy on or off",
        "src/Api/AdminConsole/Public/Controllers/PoliciesController.cs",
    ),
    (
        "GET",
        "/public/collections/{id}",
        "Public API: a collection",
        PUBLIC_COLLECTIONS,
    ),
    (
        "PUT",
        "/public/collections/{id}",
        "Public API: change a collection's external id and groups",
        PUBLIC_COLLECTIONS,
    ),
    (
        "DELETE",
        "/public/collections/{id}",
        "Public API: delete a collection",
        PUBLIC_COLLECTIONS,
    ),
    (
        "GET",
        "/organizations/{id}/groups",
        "Groups (collection managers, user or group managers)",
        GROUPS,
    ),
    (
        "GET",
        "/organizations/{id}/groups/details",
        "Groups with their collections",
        GROUPS,
    ),
    (
        "GET",
        "/organizations/{id}/groups/{group}",
        "A group",
        GROUPS,
    ),
    (
        "GET",
        "/organizations/{id}/groups/{group}/details",
        "A group with its collections",
        GROUPS,
    ),
    (
        "GET",
        "/organizations/{id}/groups/{group}/users",
        "A group's member ids",
        GROUPS,
    ),
    (
        "POST",
        "/organizations/{id}/groups",
        "Create a group",
        GROUPS,
    ),
    (
        "PUT",
        "/organizations/{id}/groups/{group}",
        "Update a group",
        GROUPS,
    ),
    (
        "POST",
        "/organizations/{id}/groups/{group}",
        "Update a group (obsolete)",
        GROUPS,
    ),
    (
        "DELETE",
        "/organizations/{id}/groups/{group}",
        "Delete a group",
        GROUPS,
    ),
    (
        "POST",
        "/organizations/{id}/groups/{group}/delete",
        "Delete a group (obsolete)",
        GROUPS,
    ),
    (
        "DELETE",
        "/organizations/{id}/groups",
        "Delete groups",
        GROUPS,
    ),
    (
        "POST",
        "/organizations/{id}/groups/delete",
        "Delete groups (obsolete)",
        GROUPS,
    ),
    (
        "DELETE",
        "/organizations/{id}/groups/{group}/user/{member}",
        "Take a member out of a group",
        GROUPS,
    ),
    (
        "POST",
        "/organizations/{id}/groups/{group}/delete-user/{member}",
        "Take a member out of a group (obsolete)",
        GROUPS,
    ),
    ("GET", "/public/groups", "Public API: groups", PUBLIC_GROUPS),
    (
        "GET",
        "/public/groups/{id}",
        "Public API: a group",
        PUBLIC_GROUPS,
    ),
    (
        "POST",
        "/public/groups",
        "Public API: create a group",
        PUBLIC_GROUPS,
    ),
    (
        "PUT",
        "/public/groups/{id}",
        "Public API: update a group",
        PUBLIC_GROUPS,
    ),
    (
        "DELETE",
        "/public/groups/{id}",
        "Public API: delete a group",
        PUBLIC_GROUPS,
    ),
    (
        "GET",
        "/public/groups/{id}/member-ids",
        "Public API: a group's member ids",
        PUBLIC_GROUPS,
    ),
    (
        "PUT",
        "/public/groups/{id}/member-ids",
        "Public API: set a group's members",
        PUBLIC_GROUPS,
    ),
    (
        "GET",
        "/public/members/{id}/group-ids",
        "Public API: a member's group ids",
        PUBLIC_MEMBERS,
    ),
    (
        "PUT",
        "/public/members/{id}/group-ids",
        "Public API: set a member's groups",
        PUBLIC_MEMBERS,
    ),
];
