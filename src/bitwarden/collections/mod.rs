//! Collections of an organization.

pub mod access;
