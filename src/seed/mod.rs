//! What a sandbox holds before anyone calls it: the BitGo demo world of `[demo]` ([`demo`]),
//! the Bitwarden demo world ([`bitwarden`]), the cached key material that makes seeding fast
//! ([`cache`]) and the template named sandboxes are copied from ([`template`]).
pub mod bitwarden;
pub mod cache;
pub mod demo;
pub mod template;

pub use demo::{seed_demo, DemoAccount, DemoChildWorld, DemoWorld};
