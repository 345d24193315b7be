//! Black-box HTTP tests: one binary, one in-process server per test, each with its own data
//! directory, so tests run in parallel.

mod helpers;

mod approval_refusals;
mod approvals;
mod bitwarden_identity;
mod bitwarden_leave;
mod bitwarden_license;
mod bitwarden_members;
mod bitwarden_orgs;
mod bitwarden_races;
mod bitwarden_support;
mod child_enterprise_list;
mod child_enterprises;
mod control;
mod enterprise_settings;
mod enterprise_users;
mod enterprises;
mod errors;
mod fixtures;
mod forwarding;
mod fuzz;
mod kyc;
mod kyc_updates;
mod ledger_races;
mod login;
mod login_abuse;
mod money_refusals;
mod organizations;
mod races;
mod replay;
mod scopes;
mod secrets;
mod session;
mod signing;
mod token_lifecycle;
mod tokens;
mod trading;
mod wallet_policies;
mod wallets;
mod withdrawals;
