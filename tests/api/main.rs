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
mod forwarding;
mod fuzz;
mod fixtures;
mod login;
mod login_abuse;
mod races;
mod replay;
mod scopes;
mod secrets;
mod session;
mod signing;
mod token_lifecycle;
mod tokens;
