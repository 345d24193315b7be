//! Black-box HTTP tests: one binary, one in-process server per test, each with its own data
//! directory, so tests run in parallel.

mod helpers;

mod child_enterprise_list;
mod child_enterprises;
mod enterprises;
mod errors;
mod kyc;
mod kyc_updates;
mod login;
mod organizations;
mod races;
mod secrets;
mod session;
mod signing;
mod token_lifecycle;
mod tokens;
