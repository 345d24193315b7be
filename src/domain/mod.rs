//! Pure rules: no HTTP, no SQL, no clock. Callers pass in the actor, the target, `now` and the
//! client IP, and get back an answer with a reason.
pub mod error;

pub mod address;
pub mod approval;
pub mod bitwarden;
pub mod enterprise_change;
pub mod ids;
pub mod ip;
pub mod kyc;
pub mod ledger;
pub mod money;
pub mod organization;
pub mod policy;
pub mod role;
pub mod scope;
pub mod time;
pub mod token_rules;
pub mod transfer;
pub mod wallet_policy;
pub mod webhook;
pub mod withdrawal;
