//! Black-box HTTP tests: one binary, one in-process server per test, each with its own data
//! directory, so tests run in parallel.

mod helpers;

mod approval_refusals;
mod approvals;
mod control;
mod enterprise_settings;
mod enterprise_users;
mod enterprises;
mod errors;
mod fixtures;
mod login;
mod races;
mod secrets;
mod session;
mod signing;
mod token_lifecycle;
mod tokens;
