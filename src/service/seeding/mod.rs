//! Declarative seeding: a fixture (TOML or JSON) of organizations, enterprises, users with
//! their memberships, and access tokens (with given raw values, for tests). Applying it is an
//! upsert: what is missing is created, what differs is brought in line, and applying the same
//! fixture twice changes nothing. Ids not given are derived from `seed` and each object's key,
//! so they are the same on every run; so are generated tokens and, with `seed` set, timestamps.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::error::{Error, Result};

mod apply;
mod passwords;

pub use apply::apply;
pub use passwords::{hash_passwords, prepare_passwords, stored_records, Passwords};

/// Most users one fixture may hold: each costs a password hash (tens of milliseconds at the
/// default cost). Split a larger world into several fixtures.
pub const MAX_USERS: usize = 100;

/// The time stamped on everything a fixture with a `seed` and no `now` creates:
/// 2026-01-01T00:00:00Z.
pub const SEEDED_EPOCH_MS: i64 = 1_767_225_600_000;

/// A fixture.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    /// Makes generated ids, tokens and timestamps reproducible (default 0 for ids and tokens).
    pub seed: Option<u64>,
    /// Creation time of what is created: ms since the epoch or RFC 3339.
    pub now: Option<serde_json::Value>,
    /// Password of users who give none (default: the demo password).
    pub password: Option<String>,
    /// Organizations.
    #[serde(default)]
    pub organizations: Vec<FixtureOrganization>,
    /// Enterprises.
    #[serde(default)]
    pub enterprises: Vec<FixtureEnterprise>,
    /// Users and their memberships.
    #[serde(default)]
    pub users: Vec<FixtureUser>,
    /// Long-lived access tokens.
    #[serde(default)]
    pub tokens: Vec<FixtureToken>,
}

/// An organization.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixtureOrganization {
    /// How the rest of the fixture refers to it.
    pub key: String,
    /// 32 hex; derived from the key when absent.
    pub id: Option<String>,
    /// Display name (default: the key).
    pub name: Option<String>,
}

/// An enterprise.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixtureEnterprise {
    /// How the rest of the fixture refers to it.
    pub key: String,
    /// 32 hex; derived from the key when absent.
    pub id: Option<String>,
    /// Display name (default: the key).
    pub name: Option<String>,
    /// Its organization: a key of this fixture or an existing organization id.
    pub organization: Option<String>,
    /// Default `cryptoAsAServiceParent` in an organization, else `bitgoAsAService`.
    #[serde(alias = "businessModel")]
    pub business_model: Option<String>,
    /// Default `entity`.
    #[serde(alias = "accountType")]
    pub account_type: Option<String>,
    /// Default `approved`.
    #[serde(alias = "kycState")]
    pub kyc_state: Option<String>,
}

/// A user.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixtureUser {
    /// Login email.
    pub email: String,
    /// 32 hex; derived from the email when absent.
    pub id: Option<String>,
    /// Default `Test`.
    #[serde(alias = "firstName")]
    pub first_name: Option<String>,
    /// Default `User`.
    #[serde(alias = "lastName")]
    pub last_name: Option<String>,
    /// Default: the fixture's password.
    pub password: Option<String>,
    /// Default true.
    pub active: Option<bool>,
    /// Enterprise (key or id) to permissions (`admin`, `auditor`, `wallet.create`, `member`).
    #[serde(default)]
    pub enterprises: BTreeMap<String, Vec<String>>,
    /// Organization (key or id) to role (`admin`, `member`, `serviceUser`, `customer`).
    #[serde(default)]
    pub organizations: BTreeMap<String, String>,
}

/// A long-lived access token.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixtureToken {
    /// The owner's email.
    pub user: String,
    /// The raw token; derived from the seed, user and label when absent.
    pub token: Option<String>,
    /// Its label.
    pub label: Option<String>,
    /// Scope names.
    pub scope: Vec<String>,
    /// Lifetime, seconds (default one year).
    #[serde(alias = "durationSeconds")]
    pub duration_seconds: Option<i64>,
}

/// What applying a fixture did.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SeedReport {
    /// Objects created.
    pub created: usize,
    /// Objects brought in line.
    pub updated: usize,
    /// Objects already as described.
    pub unchanged: usize,
    /// Ids by key (organizations, enterprises) and by email (users).
    pub ids: BTreeMap<String, String>,
    /// The fixture's tokens: `{user, label, id, token}` (raw values, as the fixture gave or
    /// derived them: a sandbox's test credentials).
    pub tokens: Vec<serde_json::Value>,
}

impl SeedReport {
    pub(super) fn count(&mut self, created: bool, updated: bool) {
        if created {
            self.created += 1;
        } else if updated {
            self.updated += 1;
        } else {
            self.unchanged += 1;
        }
    }
}

/// Parses a fixture from TOML or JSON (`toml` says which); a 400 for one with more than
/// [`MAX_USERS`] users.
pub fn parse(text: &str, toml: bool) -> Result<Fixture> {
    let fixture: Fixture = if toml {
        ::toml::from_str(text).map_err(|e| Error::Invalid(format!("fixture: {e}")))?
    } else {
        serde_json::from_str(text).map_err(|e| Error::Invalid(format!("fixture: {e}")))?
    };
    fixture.check_size()?;
    Ok(fixture)
}

impl Fixture {
    /// Refuses a fixture with more than [`MAX_USERS`] users.
    pub fn check_size(&self) -> Result<()> {
        if self.users.len() > MAX_USERS {
            return Err(Error::Invalid(format!(
                "fixture: {} users, at most {MAX_USERS} per fixture (split it into several)",
                self.users.len()
            )));
        }
        Ok(())
    }
}

/// A fixture user's email as stored: trimmed, lowercased.
fn normalized_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Reads a fixture file (`.toml`, else JSON).
pub fn read_file(path: &std::path::Path) -> Result<Fixture> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Invalid(format!("fixture {}: {e}", path.display())))?;
    let toml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    parse(&text, toml)
}
