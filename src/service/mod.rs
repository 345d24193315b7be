//! Use cases that the dialects and the control plane share: synchronous functions over a
//! connection inside the caller's transaction, returning rows or outcomes (never JSON or
//! HTTP types).

pub mod access;
pub mod addresses;
pub mod approvals;
pub mod bitwarden_tokens;
pub mod deposits;
pub mod kyc;
pub mod organizations;
pub mod pricing;
pub mod seeding;
pub mod trading;
pub mod wallets;
pub mod webhooks;
pub mod withdrawals;
