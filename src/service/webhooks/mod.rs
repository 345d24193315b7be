//! BitGo's webhooks as use cases: registering them (`register`), reporting state changes to
//! the ones that listen (`emit`, called by the money, approval and token use cases inside
//! their own transactions), the bodies delivered (`payload`), simulations and retriggers
//! (`simulate`), and the secrets that sign deliveries (`secrets`). Delivery itself is the
//! sandbox's worker pool (`sandbox::deliveries`), which never runs inside these transactions.

pub mod emit;
pub mod owners;
pub mod payload;
pub mod register;
pub mod secrets;
pub mod simulate;
pub mod trigger;

pub use emit::{
    report_access_token, report_address, report_approval, report_trade, report_transfer,
    report_transfer_id,
};
