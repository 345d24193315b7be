//! Go Account money: the assets a Go Account holds, amounts as integer base units, USD
//! values from configured prices (integer cents, never floats), and the withdrawal payload
//! the client signs (spec 6.7).

use serde_json::json;

use crate::domain::error::{Error, Result};

/// A user's permission on a wallet (BitGo's `users[].permissions`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WalletPermission {
    /// Manages the wallet's users and policies.
    Admin,
    /// Sends (withdraws) from it.
    Spend,
    /// Sees it.
    View,
}

impl WalletPermission {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            WalletPermission::Admin => "admin",
            WalletPermission::Spend => "spend",
            WalletPermission::View => "view",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<WalletPermission> {
        Some(match s {
            "admin" => WalletPermission::Admin,
            "spend" => WalletPermission::Spend,
            "view" => WalletPermission::View,
            _ => return None,
        })
    }

    /// BitGo's comma list (`"admin,spend,view"`) as permissions: an admin also spends and
    /// views, a spender also views. A 400 on an unknown name.
    pub fn parse_list(s: &str) -> Result<Vec<WalletPermission>> {
        let mut out = Vec::new();
        for name in s.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let p = WalletPermission::parse(name).ok_or_else(|| {
                Error::Invalid(format!(
                    "unknown wallet permission {name:?}: admin, spend or view"
                ))
            })?;
            let implied: &[WalletPermission] = match p {
                WalletPermission::Admin => &[
                    WalletPermission::Admin,
                    WalletPermission::Spend,
                    WalletPermission::View,
                ],
                WalletPermission::Spend => &[WalletPermission::Spend, WalletPermission::View],
                WalletPermission::View => &[WalletPermission::View],
            };
            for q in implied {
                if !out.contains(q) {
                    out.push(*q);
                }
            }
        }
        if out.is_empty() {
            return Err(Error::Invalid(
                "permissions is required: admin, spend or view".into(),
            ));
        }
        Ok(out)
    }
}

/// An asset a Go Account holds (`ofc` + coin, BitGo's test-network names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Asset {
    /// The id (`ofctbtc`), also the coin path segment of withdrawals.
    pub id: &'static str,
    /// The trading currency code (`BTC`).
    pub currency: &'static str,
    /// Base units per whole unit, as a power of ten.
    pub decimals: u32,
    /// Display name.
    pub name: &'static str,
    /// Whether it is fiat (USD).
    pub fiat: bool,
}

/// Every asset orgbox knows.
pub const ASSETS: &[Asset] = &[
    Asset {
        id: "ofctusd",
        currency: "USD",
        decimals: 2,
        name: "Test USD",
        fiat: true,
    },
    Asset {
        id: "ofctbtc",
        currency: "BTC",
        decimals: 8,
        name: "Test Bitcoin",
        fiat: false,
    },
    Asset {
        id: "ofctsol",
        currency: "SOL",
        decimals: 9,
        name: "Test Solana",
        fiat: false,
    },
    Asset {
        id: "ofctusdc",
        currency: "USDC",
        decimals: 6,
        name: "Test USD Coin",
        fiat: false,
    },
];

/// The asset with id `id` (case-insensitive), or a 400 listing the known ones.
pub fn asset(id: &str) -> Result<Asset> {
    let lower = id.to_ascii_lowercase();
    ASSETS
        .iter()
        .copied()
        .find(|a| a.id == lower)
        .ok_or_else(|| {
            let known: Vec<&str> = ASSETS.iter().map(|a| a.id).collect();
            Error::Invalid(format!(
                "unknown Go Account asset {id:?}: one of {}",
                known.join(", ")
            ))
        })
}

/// The asset whose trading currency is `code` (`BTC`), if any.
pub fn asset_by_currency(code: &str) -> Option<Asset> {
    ASSETS
        .iter()
        .copied()
        .find(|a| a.currency.eq_ignore_ascii_case(code))
}

/// A positive amount of base units, given as a decimal integer string (or JSON integer);
/// a 400 naming `field` otherwise.
pub fn parse_amount(raw: &str, field: &str) -> Result<i64> {
    let bad = || {
        Error::Invalid(format!(
            "{field} must be a positive integer number of base units, as a string"
        ))
    };
    if raw.is_empty() || raw.len() > 19 || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    match raw.parse::<i64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(bad()),
    }
}

/// A decimal quantity of whole units (`"0.5"`) in base units of `asset`; a 400 when it has
/// more decimals than the asset or is not positive.
pub fn parse_decimal(raw: &str, asset: Asset, field: &str) -> Result<i64> {
    let bad = |why: &str| Error::Invalid(format!("{field} {raw:?} {why}"));
    let (whole, frac) = raw.split_once('.').unwrap_or((raw, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(frac) {
        return Err(bad("is not a decimal number"));
    }
    if frac.len() > asset.decimals as usize {
        return Err(bad(&format!("has more than {} decimals", asset.decimals)));
    }
    let scaled = format!("{whole}{frac:0<width$}", width = asset.decimals as usize);
    match scaled.trim_start_matches('0').parse::<i64>() {
        Ok(n) if n > 0 => Ok(n),
        _ if scaled.bytes().all(|b| b == b'0') => Err(bad("must be positive")),
        _ => Err(bad("is too large")),
    }
}

/// Base units of `asset` as a decimal string of whole units (`150000000` BTC → `"1.5"`).
pub fn format_decimal(amount: i64, asset: Asset) -> String {
    let scale = 10i128.pow(asset.decimals);
    let amount = i128::from(amount);
    let sign = if amount < 0 { "-" } else { "" };
    let (whole, frac) = (amount.abs() / scale, amount.abs() % scale);
    if asset.decimals == 0 || frac == 0 {
        return format!("{sign}{whole}");
    }
    let frac = format!("{frac:0width$}", width = asset.decimals as usize);
    format!("{sign}{whole}.{}", frac.trim_end_matches('0'))
}

/// A USD price per whole unit (`"60000.50"`) as integer cents; a 400 otherwise.
pub fn parse_price_cents(raw: &str) -> Result<i64> {
    let usd = Asset {
        id: "usd",
        currency: "USD",
        decimals: 2,
        name: "USD",
        fiat: true,
    };
    parse_decimal(raw, usd, "price")
}

/// The USD value in cents of `amount` base units at `price_cents` per whole unit (rounded
/// down), computed in 128 bits so it never overflows.
pub fn usd_cents(amount: i64, asset: Asset, price_cents: i64) -> i128 {
    i128::from(amount) * i128::from(price_cents) / 10i128.pow(asset.decimals)
}

/// Which way the USD side of a trade is rounded: what the customer pays is rounded up and
/// what the customer receives is rounded down, so rounding never gives an account value the
/// sandbox did not have (a round trip at one price always costs at least the fair value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerSide {
    /// The customer pays the USD (a buy, or the hold of a resting buy).
    Pays,
    /// The customer receives the USD (a sell).
    Receives,
}

/// The USD cents a trade of `amount` base units at `price_cents` per whole unit moves,
/// rounded against the customer (see [`CustomerSide`]); 128 bits, so it never overflows.
pub fn trade_usd_cents(amount: i64, asset: Asset, price_cents: i64, side: CustomerSide) -> i128 {
    let exact = i128::from(amount) * i128::from(price_cents);
    let scale = 10i128.pow(asset.decimals);
    match side {
        CustomerSide::Pays => (exact + scale - 1).div_euclid(scale),
        CustomerSide::Receives => exact.div_euclid(scale),
    }
}

/// Base units of `asset` that `quote_cents` buys at `price_cents` per whole unit (rounded
/// down).
pub fn base_for_quote(quote_cents: i64, asset: Asset, price_cents: i64) -> i128 {
    if price_cents <= 0 {
        return 0;
    }
    i128::from(quote_cents) * 10i128.pow(asset.decimals) / i128::from(price_cents)
}

/// Whether a limit order on `side` (`buy`/`sell`) at `limit_cents` fills at `price_cents`:
/// a buy when the price is at or below its limit, a sell when at or above.
pub fn limit_crosses(side: &str, limit_cents: i64, price_cents: i64) -> bool {
    match side {
        "buy" => price_cents <= limit_cents,
        _ => price_cents >= limit_cents,
    }
}

/// What a withdrawal moves: `amount` of `asset` from wallet `from` to `address`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawal {
    /// The source Go Account.
    pub from: String,
    /// The asset.
    pub asset: Asset,
    /// Base units.
    pub amount: i64,
    /// The recipient: another Go Account's id (a book transfer) or an outside address.
    pub address: String,
}

/// The payload string `tx/build` returns and the client signs (spec 6.7): its fields in
/// BitGo's order; `nonce` makes it unique and `timestamp` is the build time.
pub fn build_payload(
    w: &Withdrawal,
    nonce: &str,
    timestamp_iso: &str,
    book_transfer: bool,
) -> String {
    json!({
        "coin": w.asset.id,
        "recipients": [{"address": w.address, "amount": w.amount.to_string()}],
        "fromAccount": w.from,
        "nonce": nonce,
        "timestamp": timestamp_iso,
        "feeString": "0",
        "shortCircuitBlockchainTransfer": false,
        "isIntraJXTransfer": book_transfer,
    })
    .to_string()
}

/// The most one simulated deposit credits: 1,000,000,000 USD of value at the sandbox price, in
/// cents (BitGo's simulator credits 10 USD when no amount is given; it documents no maximum).
pub const MAX_SIMULATED_DEPOSIT_USD_CENTS: i128 = 100_000_000_000;

/// A simulated deposit worth `usd_cents` is credited only up to
/// [`MAX_SIMULATED_DEPOSIT_USD_CENTS`]; a 400 otherwise.
pub fn check_simulated_deposit(usd_cents: i128) -> Result<()> {
    if usd_cents > MAX_SIMULATED_DEPOSIT_USD_CENTS {
        return Err(Error::Invalid(format!(
            "amount is too large: a simulated deposit credits at most {} USD of value, this one \
             is worth {} USD",
            MAX_SIMULATED_DEPOSIT_USD_CENTS / 100,
            usd_cents / 100
        )));
    }
    Ok(())
}

/// Whether a withdrawal needs a video approver: its USD value is above `threshold_cents`.
pub fn needs_video_approval(usd_value_cents: i128, threshold_cents: i64) -> bool {
    usd_value_cents > i128::from(threshold_cents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_positive_integer_strings() {
        assert_eq!(parse_amount("100", "amount").unwrap(), 100);
        for bad in ["", "0", "-1", "1.5", "1e3", "99999999999999999999", " 1"] {
            assert!(parse_amount(bad, "amount").is_err(), "{bad}");
        }
    }

    #[test]
    fn decimals_round_trip_through_base_units() {
        let btc = asset("OFCTBTC").unwrap();
        assert_eq!(parse_decimal("1.5", btc, "q").unwrap(), 150_000_000);
        assert_eq!(format_decimal(150_000_000, btc), "1.5");
        assert_eq!(format_decimal(0, btc), "0");
        assert!(parse_decimal("0.000000001", btc, "q").is_err());
        assert!(parse_decimal("0", btc, "q").is_err());
        assert!(parse_decimal("abc", btc, "q").is_err());
        assert!(asset("ofcxyz").is_err());
    }

    #[test]
    fn usd_values_use_integer_cents() {
        let btc = asset("ofctbtc").unwrap();
        let price = parse_price_cents("60000").unwrap();
        assert_eq!(usd_cents(100_000_000, btc, price), 6_000_000);
        assert!(needs_video_approval(25_000_001, 25_000_000));
        assert!(!needs_video_approval(25_000_000, 25_000_000));
        assert_eq!(base_for_quote(6_000_000, btc, price), 100_000_000);
        assert!(limit_crosses("buy", 100, 99) && !limit_crosses("buy", 100, 101));
        assert!(limit_crosses("sell", 100, 101) && !limit_crosses("sell", 100, 99));
    }

    #[test]
    fn a_simulated_deposit_is_capped_by_its_usd_value() {
        assert!(check_simulated_deposit(MAX_SIMULATED_DEPOSIT_USD_CENTS).is_ok());
        assert!(check_simulated_deposit(MAX_SIMULATED_DEPOSIT_USD_CENTS + 1).is_err());
        let btc = asset("ofctbtc").unwrap();
        let worth = usd_cents(i64::MAX, btc, parse_price_cents("60000").unwrap());
        assert!(check_simulated_deposit(worth).is_err());
    }

    #[test]
    fn a_trade_rounds_what_the_customer_pays_up_and_what_it_receives_down() {
        let btc = asset("ofctbtc").unwrap();
        // 0.00000033 BTC at 60,000 USD is worth 1.98 cents.
        assert_eq!(trade_usd_cents(33, btc, 6_000_000, CustomerSide::Pays), 2);
        assert_eq!(
            trade_usd_cents(33, btc, 6_000_000, CustomerSide::Receives),
            1
        );
        // An exact amount is not rounded either way.
        assert_eq!(
            trade_usd_cents(50_000_000, btc, 6_000_000, CustomerSide::Pays),
            3_000_000
        );
        assert_eq!(
            trade_usd_cents(50_000_000, btc, 6_000_000, CustomerSide::Receives),
            3_000_000
        );
    }
}
