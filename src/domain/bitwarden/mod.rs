//! Bitwarden's rules, pure: roles, membership status, custom permissions, plans, and the
//! permission checks of the Organizations API (`policy`, the one permission file of the dialect),
//! refresh-token rotation (`refresh`).
//! No HTTP, no SQL, no clock.

pub mod plan;
pub mod policy;
pub mod refresh;
pub mod role;
pub mod rules;
