//! Black-box HTTP tests: one binary, one in-process server per test, each with its own data
//! directory, so tests run in parallel.

mod helpers;

mod bitwarden_identity;
mod bitwarden_leave;
mod bitwarden_license;
mod bitwarden_members;
mod bitwarden_orgs;
mod bitwarden_races;
mod bitwarden_support;
mod enterprises;
mod errors;
mod login;
mod races;
mod secrets;
mod session;
mod signing;
mod token_lifecycle;
mod tokens;
