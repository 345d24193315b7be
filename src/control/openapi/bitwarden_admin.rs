//! The Bitwarden routes of what an organization admin manages beyond members (collections,
//! groups, policies, the event log) and of the Public API, with the `bitwarden/server` source
//! that defines each.

use super::bitwarden::BitwardenRoute;

const COLLECTIONS: &str = "src/Api/AdminConsole/Controllers/CollectionsController.cs";
const POLICIES: &str = "src/Api/AdminConsole/Controllers/PoliciesController.cs";
const EVENTS: &str = "src/Api/Dirt/Controllers/EventsController.cs";
const PUBLIC_MEMBERS: &str = "src/Api/AdminConsole/Public/Controllers/MembersController.cs";
const PUBLIC_COLLECTIONS: &str = "src/Api/AdminConsole/Public/Controllers/CollectionsController.cs";
const PUBLIC_EVENTS: &str = "src/Api/Dirt/Public/Controllers/EventsController.cs";
const GROUPS: &str = "src/Api/AdminConsole/Controllers/GroupsController.cs";
const PUBLIC_GROUPS: &str = "src/Api/AdminConsole/Public/Controllers/GroupsController.cs";
const PUBLIC_POLICIES: &str = "src/Api/AdminConsole/Public/Controllers/PoliciesController.cs";

/// These routes, as a client calls them (`/api` omitted).
pub const ROUTES: &[BitwardenRoute] = &[
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
    (
        "GET",
        "/public/policies",
        "Public API: policies",
        PUBLIC_POLICIES,
    ),
    (
        "GET",
        "/public/policies/{type}",
        "Public API: a policy",
        PUBLIC_POLICIES,
    ),
    (
        "PUT",
        "/public/policies/{type}",
        "Public API: turn a policy on or off",
        PUBLIC_POLICIES,
    ),
    (
        "GET",
        "/collections",
        "The caller's collections in every organization",
        COLLECTIONS,
    ),
];
