//! The matching engine's property: over random prices and orders, no fill or match ever
//! gives an account value from rounding.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::config::MoneyConfig;
use crate::domain::error::Result;
use crate::domain::ledger::EntryKind;
use crate::domain::money::{self, Asset};
use crate::service::trading::{fill, match_resting, new_order_id, products, rest, Product};
use crate::store::enterprises::{self, EnterpriseRow};
use crate::store::ledger;
use crate::store::orders::OrderRow;
use crate::store::testing::temp_store;
use crate::store::users::{self, UserRow};
use crate::store::wallets::{self, set_price_cents, KeyRow, WalletRow};
use crate::store::Store;

const ACCOUNTS: [&str; 3] = [
    "a0000000000000000000000000000000",
    "b0000000000000000000000000000000",
    "c0000000000000000000000000000000",
];

/// Three funded trading accounts of one user and enterprise.
fn funded_accounts(store: &Store) {
    store
        .write_blocking(|c| -> Result<_> {
            let (user, ent, key) = ("1".repeat(32), "2".repeat(32), "3".repeat(32));
            users::insert(
                c,
                &UserRow {
                    id: user.clone(),
                    username: "p@x.test".into(),
                    first_name: "P".into(),
                    last_name: "T".into(),
                    password_hash: "x".into(),
                    country: "USA".into(),
                    timezone: "America/New_York".into(),
                    is_active: true,
                    created_at: 0,
                    last_login_at: None,
                },
            )?;
            enterprises::insert(
                c,
                &EnterpriseRow {
                    id: ent.clone(),
                    name: "e".into(),
                    organization_id: None,
                    business_model: "cryptoAsAServiceParent".into(),
                    account_type: "entity".into(),
                    kyc_state: "approved".into(),
                    created_at: 0,
                },
            )?;
            wallets::insert_key(
                c,
                &KeyRow {
                    id: key.clone(),
                    coin: "ofc".into(),
                    user_id: user.clone(),
                    pub_key: "xpub".into(),
                    encrypted_prv: None,
                    source: "user".into(),
                    key_type: "independent".into(),
                    original_passcode_encryption_code: None,
                    created_at: 0,
                },
            )?;
            for id in ACCOUNTS {
                wallets::insert(
                    c,
                    &WalletRow {
                        id: id.into(),
                        coin: "ofc".into(),
                        wallet_type: "trading".into(),
                        label: "t".into(),
                        enterprise_id: ent.clone(),
                        user_key_id: key.clone(),
                        created_by: user.clone(),
                        created_at: 0,
                    },
                )?;
                for a in money::ASSETS {
                    ledger::post(c, id, a.id, EntryKind::Credit, 1 << 50, "faucet", 0)?;
                }
            }
            Ok(())
        })
        .unwrap();
}

/// An account's USD and `asset` holdings valued at `price`, in cents × 10^decimals (exact).
fn value(store: &Store, account: &str, asset: Asset, price: i64) -> i128 {
    let account = account.to_string();
    let (usd, base) = store
        .write_blocking(move |c| -> Result<_> {
            let total = |a: &str| -> Result<i128> {
                let b = ledger::balance(c, &account, a)?;
                Ok(i128::from(b.available) + i128::from(b.held))
            };
            Ok((total("ofctusd")?, total(asset.id)?))
        })
        .unwrap();
    usd * 10i128.pow(asset.decimals) + base * i128::from(price)
}

/// A quantity from one base unit (dust) to about a thousand whole units, log-uniform.
fn quantity(rng: &mut StdRng, asset: Asset) -> i64 {
    let digits = rng.random_range(0..=asset.decimals + 3);
    rng.random_range(1..=10i64.pow(digits))
}

fn order(
    account: &str,
    p: Product,
    side: &str,
    base_quantity: i64,
    limit: Option<i64>,
) -> OrderRow {
    let id = new_order_id();
    OrderRow {
        id: id.clone(),
        account_id: account.into(),
        enterprise_id: "2".repeat(32),
        user_id: "1".repeat(32),
        client_order_id: id,
        product: p.id(),
        side: side.into(),
        order_type: if limit.is_some() { "limit" } else { "market" }.into(),
        quantity: base_quantity.to_string(),
        quantity_currency: p.base.currency.into(),
        base_quantity,
        limit_price_cents: limit,
        status: "pending_open".into(),
        hold_asset: None,
        hold_amount: 0,
        filled_quantity: 0,
        filled_quote: 0,
        canceled_by: None,
        created_at: 0,
        completed_at: None,
    }
}

#[test]
fn no_fill_ever_gives_an_account_value_from_rounding() {
    let (store, _dir) = temp_store();
    funded_accounts(&store);
    let config = MoneyConfig::default();
    let mut rng = StdRng::seed_from_u64(14);
    let all = products().unwrap();
    let (mut fills, mut rested, mut matched) = (0, 0, 0);
    for step in 0..1_500 {
        let p = all[rng.random_range(0..all.len())];
        let digits = rng.random_range(1..=9);
        let price: i64 = rng.random_range(1..=10i64.pow(digits));
        // A new price fills the resting orders it crosses: no account gains at that price.
        let before: Vec<i128> = ACCOUNTS
            .iter()
            .map(|a| value(&store, a, p.base, price))
            .collect();
        matched += store
            .write_blocking(|c| {
                set_price_cents(c, p.base.id, price, step)?;
                match_resting(c, &config, p.base, step)
            })
            .unwrap();
        for (a, was) in ACCOUNTS.iter().zip(&before) {
            assert!(
                value(&store, a, p.base, price) <= *was,
                "step {step}: matching at {price}"
            );
        }
        // A market or limit order of a random size and side.
        let account = ACCOUNTS[rng.random_range(0..ACCOUNTS.len())];
        let side = if rng.random_bool(0.5) { "buy" } else { "sell" };
        let limit = rng
            .random_bool(0.4)
            .then(|| (price + rng.random_range(-price / 2..=price / 2)).max(1));
        let mut o = order(account, p, side, quantity(&mut rng, p.base), limit);
        let was = value(&store, account, p.base, price);
        let done = store.write_blocking(|c| match limit {
            Some(l) if !money::limit_crosses(side, l, price) => rest(c, &mut o, p, l, step),
            _ => fill(c, &mut o, p, price, step),
        });
        let now = value(&store, account, p.base, price);
        assert!(
            now <= was,
            "step {step}: {o:?} at {price} gained {}",
            now - was
        );
        if done.is_ok() && o.status == "completed" {
            // Rounding costs the customer less than one cent.
            assert!(
                was - now < 10i128.pow(p.base.decimals),
                "step {step}: {o:?}"
            );
            fills += 1;
        } else if done.is_ok() {
            rested += 1;
        }
    }
    assert!(
        fills > 300 && rested > 100 && matched > 50,
        "{fills} {rested} {matched}"
    );
}
