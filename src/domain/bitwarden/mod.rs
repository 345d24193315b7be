//! Bitwarden's rules, pure: roles, membership status, custom permissions, plans, and the
//! permission checks of the Organizations API (`policy`, the one permission file of the dialect,
//! with the token claims it reads in `claims`), the member, collection and organization-policy
//! rules (`members`, `collections`, `groups`, `org_policies`, and `enforcement`: what turning a
//! policy on does to the members already in), seats and autoscaling (`seats`), the
//! event log's types (`events`), and refresh-token rotation (`refresh`). `access_table` walks every role through every action.
//! No HTTP, no SQL, no clock.

pub mod acceptance;
#[cfg(test)]
mod access_table;
pub mod claims;
pub mod collections;
pub mod enforcement;
pub mod events;
pub mod groups;
pub mod members;
pub mod org_policies;
pub mod plan;
pub mod policy;
pub mod refresh;
pub mod role;
pub mod rules;
pub mod seats;
