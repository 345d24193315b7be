//! Black-box HTTP tests: one binary, one in-process server per test, each with its own data
//! directory, so tests run in parallel.

mod helpers;

mod approval_refusals;
mod approvals;
mod child_enterprise_list;
mod child_enterprises;
mod control;
mod enterprise_settings;
mod enterprise_users;
mod enterprises;
mod errors;
mod faults;
mod fixtures;
mod forwarding;
mod fuzz;
mod journal;
mod kyc;
mod kyc_updates;
mod login;
mod login_abuse;
mod organizations;
mod races;
mod replay;
mod sandboxes;
mod sandboxes_openapi;
mod sandboxes_scale;
mod sandboxes_seeding;
mod scopes;
mod secrets;
mod session;
mod signing;
mod snapshots;
mod token_lifecycle;
mod tokens;
