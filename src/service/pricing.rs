//! USD prices of the sandbox's assets: the control plane's, else config.toml's.

use rusqlite::Connection;

use crate::config::MoneyConfig;
use crate::domain::error::{Error, Result};
use crate::domain::money::{self, Asset};
use crate::store::wallets;

/// The USD price in cents of `asset`: the control plane's, else config.toml's.
pub fn price_cents(conn: &Connection, config: &MoneyConfig, asset: Asset) -> Result<i64> {
    if let Some(p) = wallets::price_cents(conn, asset.id)? {
        return Ok(p);
    }
    let raw = config
        .prices
        .get(asset.id)
        .ok_or_else(|| Error::Invalid(format!("no USD price configured for {}", asset.id)))?;
    money::parse_price_cents(raw)
}
