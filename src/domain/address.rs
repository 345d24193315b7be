//! Deposit addresses of a Go Account: one asset each, written in the form of that asset's test
//! network (a bech32 `tb1q…` for test bitcoin, base58 for test Solana, `0x…` for the ERC-20
//! test USDC), from random bytes. Fiat has no address: it arrives by wire.

use crate::domain::error::{Error, Result};
use crate::domain::money::Asset;

/// Longest address label, in characters (BitGo's `AddressLabelString`).
pub const MAX_LABEL_CHARS: usize = 250;

/// The chains BitGo's `AddressChain` names; a Go Account address is on one of them.
pub const CHAINS: &[i64] = &[0, 1, 10, 11, 20, 21, 30, 31, 40, 41];

/// The chain of a new address: BitGo's default 1 (receive) unless given; a chain BitGo does
/// not name is a 400.
pub fn check_chain(chain: Option<i64>) -> Result<i64> {
    let chain = chain.unwrap_or(1);
    if CHAINS.contains(&chain) {
        Ok(chain)
    } else {
        Err(Error::Invalid(format!(
            "invalid chain {chain}: expected one of 0, 1, 10, 11, 20, 21, 30, 31, 40, 41"
        )))
    }
}

/// The on-chain coin an asset is the off-chain twin of (`ofctbtc` -> `tbtc`).
pub fn underlying_coin(asset: Asset) -> &'static str {
    asset.id.strip_prefix("ofc").unwrap_or(asset.id)
}

/// A new deposit address for `asset` from `random` (at least 32 bytes).
pub fn format_address(asset: Asset, random: &[u8]) -> Result<String> {
    if asset.fiat || random.len() < 32 {
        return Err(Error::Invalid(format!(
            "{} is fiat and has no deposit address: fund it by wire \
             (POST /api/fiat/v1/sandbox/transaction/simulate)",
            asset.id
        )));
    }
    Ok(match asset.currency {
        "BTC" => bech32_segwit_v0("tb", &random[..20]),
        "SOL" => base58(&random[..32]),
        _ => format!("0x{}", hex::encode(&random[..20])),
    })
}

const BECH32: &[u8] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";

fn polymod(values: &[u8]) -> u32 {
    const GEN: [u32; 5] = [
        0x3b6a_57b2,
        0x2650_8e6d,
        0x1ea1_19fa,
        0x3d42_33dd,
        0x2a14_62b3,
    ];
    let mut chk: u32 = 1;
    for v in values {
        let top = chk >> 25;
        chk = ((chk & 0x01ff_ffff) << 5) ^ u32::from(*v);
        for (i, g) in GEN.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    }
    chk
}

/// A segwit version 0 address (BIP-173) of a 20-byte program.
fn bech32_segwit_v0(hrp: &str, program: &[u8]) -> String {
    let mut data = vec![0u8];
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in program {
        acc = (acc << 8) | u32::from(*b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            data.push(((acc >> bits) & 31) as u8);
        }
    }
    if bits > 0 {
        data.push(((acc << (5 - bits)) & 31) as u8);
    }
    let mut values: Vec<u8> = hrp.bytes().map(|c| c >> 5).collect();
    values.push(0);
    values.extend(hrp.bytes().map(|c| c & 31));
    values.extend(&data);
    values.extend([0u8; 6]);
    let checksum = polymod(&values) ^ 1;
    let mut out = format!("{hrp}1");
    for d in data {
        out.push(BECH32[usize::from(d)] as char);
    }
    for i in 0..6 {
        out.push(BECH32[((checksum >> (5 * (5 - i))) & 31) as usize] as char);
    }
    out
}

fn base58(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    let mut digits: Vec<u8> = Vec::new();
    for b in bytes {
        let mut carry = u32::from(*b);
        for d in digits.iter_mut() {
            carry += u32::from(*d) << 8;
            *d = (carry % 58) as u8;
            carry /= 58;
        }
        while carry > 0 {
            digits.push((carry % 58) as u8);
            carry /= 58;
        }
    }
    let zeros = bytes.iter().take_while(|b| **b == 0).count();
    std::iter::repeat_n(b'1', zeros)
        .chain(digits.iter().rev().map(|d| ALPHABET[usize::from(*d)]))
        .map(char::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money;

    #[test]
    fn bech32_matches_bip173() {
        // BIP-173's test vector: P2WPKH of 751e76e8199196d454941c45d1b3a323f1433bd6.
        let program = hex::decode("751e76e8199196d454941c45d1b3a323f1433bd6").unwrap();
        assert_eq!(
            bech32_segwit_v0("tb", &program),
            "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx"
        );
    }

    #[test]
    fn base58_keeps_leading_zeros() {
        assert_eq!(base58(&[0, 0, 1]), "112");
        assert_eq!(base58(b"hello world"), "StV1DL6CwTryKyV");
    }

    #[test]
    fn each_asset_gets_its_networks_form_and_fiat_none() {
        let r = [7u8; 32];
        let btc = format_address(money::asset("ofctbtc").unwrap(), &r).unwrap();
        assert!(btc.starts_with("tb1q") && btc.len() == 42, "{btc}");
        let sol = format_address(money::asset("ofctsol").unwrap(), &r).unwrap();
        assert!((32..=44).contains(&sol.len()), "{sol}");
        let usdc = format_address(money::asset("ofctusdc").unwrap(), &r).unwrap();
        assert!(usdc.starts_with("0x") && usdc.len() == 42);
        assert!(format_address(money::asset("ofctusd").unwrap(), &r).is_err());
        assert_eq!(underlying_coin(money::asset("ofctbtc").unwrap()), "tbtc");
        assert_eq!(check_chain(None).unwrap(), 1);
        assert!(check_chain(Some(2)).is_err());
    }
}
