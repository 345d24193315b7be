//! Applying a fixture: organizations, enterprises, users with their memberships, then tokens,
//! each created when missing and brought in line when different, inside the caller's
//! transaction.

use std::collections::BTreeMap;

use rusqlite::Connection;

use crate::auth::seal::ServerKey;
use crate::auth::token::sha256_hex;
use crate::domain::error::{Error, Result};
use crate::domain::ids::is_hex_id;
use crate::domain::ip::IpRestriction;
use crate::domain::role::{EnterprisePermission, OrgRole};
use crate::domain::scope::{Scope, ScopeSet};
use crate::domain::token_rules::TokenKind;
use crate::service::seeding::{
    normalized_email, Fixture, FixtureEnterprise, FixtureOrganization, FixtureToken, FixtureUser,
    Passwords, SeedReport, SEEDED_EPOCH_MS,
};
use crate::store::enterprises::{self, EnterpriseRow};
use crate::store::fixture as db;
use crate::store::organizations::{self, OrganizationRow};
use crate::store::tokens::{self, TokenRow};
use crate::store::users::{self, UserRow};

fn derived_id(seed: u64, kind: &str, key: &str) -> String {
    sha256_hex(format!("orgbox-fixture:{seed}:{kind}:{key}").as_bytes())[..32].to_string()
}

fn explicit_or_derived(id: &Option<String>, seed: u64, kind: &str, key: &str) -> Result<String> {
    match id {
        Some(id) if is_hex_id(id) => Ok(id.clone()),
        Some(id) => Err(Error::Invalid(format!(
            "{kind} {key}: id {id:?} is not 32 lowercase hex"
        ))),
        None => Ok(derived_id(seed, kind, key)),
    }
}

fn time_of(fixture: &Fixture, clock_now_ms: i64) -> Result<i64> {
    match &fixture.now {
        Some(serde_json::Value::Number(n)) => n
            .as_i64()
            .ok_or_else(|| Error::Invalid("fixture now: not an integer".into())),
        Some(serde_json::Value::String(s)) => chrono::DateTime::parse_from_rfc3339(s)
            .map(|t| t.timestamp_millis())
            .map_err(|e| Error::Invalid(format!("fixture now {s:?}: {e}"))),
        Some(_) => Err(Error::Invalid("fixture now: ms or RFC 3339".into())),
        None if fixture.seed.is_some() => Ok(SEEDED_EPOCH_MS),
        None => Ok(clock_now_ms),
    }
}

/// Applies `fixture` on `conn` (inside the caller's transaction) with its `passwords`
/// prepared beforehand (no hashing happens here); `key` seals new tokens.
pub fn apply(
    conn: &Connection,
    fixture: &Fixture,
    passwords: &Passwords,
    clock_now_ms: i64,
    key: &ServerKey,
) -> Result<SeedReport> {
    fixture.check_size()?;
    let mut run = Run {
        conn,
        seed: fixture.seed.unwrap_or(0),
        now: time_of(fixture, clock_now_ms)?,
        report: SeedReport::default(),
        keys: BTreeMap::new(),
        user_ids: BTreeMap::new(),
    };
    for o in &fixture.organizations {
        run.organization(o)?;
    }
    for e in &fixture.enterprises {
        run.enterprise(e)?;
    }
    run.report.ids = run.keys.clone();
    for u in &fixture.users {
        run.user(u, passwords)?;
    }
    for t in &fixture.tokens {
        run.token(t, key)?;
    }
    Ok(run.report)
}

/// One application of a fixture: what each kind of object needs of the ones before it.
struct Run<'a> {
    conn: &'a Connection,
    seed: u64,
    now: i64,
    report: SeedReport,
    /// Ids of the fixture's organizations and enterprises, by key.
    keys: BTreeMap<String, String>,
    /// Ids of the fixture's users, by normalized email.
    user_ids: BTreeMap<String, String>,
}

impl Run<'_> {
    /// The id a reference names: a key of this fixture, or else an id as given.
    fn resolve(&self, what: &str, r: &str) -> Result<String> {
        self.keys
            .get(r)
            .cloned()
            .or_else(|| is_hex_id(r).then(|| r.to_string()))
            .ok_or_else(|| Error::Invalid(format!("fixture: no {what} with key {r:?}")))
    }

    /// Creates the organization or renames it.
    fn organization(&mut self, o: &FixtureOrganization) -> Result<()> {
        let (conn, now) = (self.conn, self.now);
        let id = explicit_or_derived(&o.id, self.seed, "organization", &o.key)?;
        let name = o.name.clone().unwrap_or_else(|| o.key.clone());
        let created = organizations::find_by_id(conn, &id)?.is_none();
        let updated = if created {
            organizations::insert(
                conn,
                &OrganizationRow {
                    id: id.clone(),
                    name,
                    created_at: now,
                },
            )?;
            false
        } else {
            db::update_organization(conn, &id, &name)?
        };
        self.report.count(created, updated);
        self.keys.insert(o.key.clone(), id);
        Ok(())
    }

    /// Creates the enterprise or brings it in line; its organization must exist.
    fn enterprise(&mut self, e: &FixtureEnterprise) -> Result<()> {
        let (conn, now) = (self.conn, self.now);
        let id = explicit_or_derived(&e.id, self.seed, "enterprise", &e.key)?;
        let org = e
            .organization
            .as_deref()
            .map(|r| self.resolve("organization", r))
            .transpose()?;
        if let Some(org) = &org {
            if organizations::find_by_id(conn, org)?.is_none() {
                return Err(Error::Invalid(format!(
                    "enterprise {}: no organization {org}",
                    e.key
                )));
            }
        }
        let row = EnterpriseRow {
            id: id.clone(),
            name: e.name.clone().unwrap_or_else(|| e.key.clone()),
            business_model: e.business_model.clone().unwrap_or_else(|| {
                if org.is_some() {
                    "cryptoAsAServiceParent"
                } else {
                    "bitgoAsAService"
                }
                .into()
            }),
            organization_id: org,
            account_type: e.account_type.clone().unwrap_or_else(|| "entity".into()),
            kyc_state: e.kyc_state.clone().unwrap_or_else(|| "approved".into()),
            created_at: now,
        };
        let created = enterprises::find_by_id(conn, &id)?.is_none();
        let updated = if created {
            enterprises::insert(conn, &row)?;
            false
        } else {
            db::update_enterprise(
                conn,
                &id,
                &row.name,
                row.organization_id.as_deref(),
                &row.business_model,
                &row.account_type,
                &row.kyc_state,
            )?
        };
        self.report.count(created, updated);
        self.keys.insert(e.key.clone(), id);
        Ok(())
    }

    /// Creates the user or brings their names, activity and password in line, then their
    /// memberships.
    fn user(&mut self, u: &FixtureUser, passwords: &Passwords) -> Result<()> {
        let conn = self.conn;
        let email = normalized_email(&u.email);
        if !email.contains('@') {
            return Err(Error::Invalid(format!(
                "fixture user {email:?}: not an email"
            )));
        }
        let first = u.first_name.clone().unwrap_or_else(|| "Test".into());
        let last = u.last_name.clone().unwrap_or_else(|| "User".into());
        let active = u.active.unwrap_or(true);
        let (id, created, updated) = match users::find_by_username(conn, &email)? {
            Some(existing) => {
                if let Some(want) = &u.id {
                    if *want != existing.id {
                        return Err(Error::Conflict(format!(
                            "fixture user {email}: exists with id {}, not {want}",
                            existing.id
                        )));
                    }
                }
                let mut changed = db::update_user(conn, &existing.id, &first, &last, active)?;
                if let Some(record) = passwords.for_existing(&email, &existing.password_hash)? {
                    db::set_password_hash(conn, &existing.id, &record)?;
                    changed = true;
                }
                (existing.id, false, changed)
            }
            None => {
                let id = explicit_or_derived(&u.id, self.seed, "user", &email)?;
                users::insert(
                    conn,
                    &UserRow {
                        id: id.clone(),
                        password_hash: passwords.for_new(&email)?,
                        username: email.clone(),
                        first_name: first,
                        last_name: last,
                        country: "USA".into(),
                        timezone: "America/New_York".into(),
                        is_active: active,
                        created_at: self.now,
                        last_login_at: None,
                    },
                )?;
                (id, true, false)
            }
        };
        let memberships_changed = self.memberships(u, &email, &id)?;
        let updated = updated || memberships_changed;
        self.report.count(created, updated && !created);
        self.report.ids.insert(email.clone(), id.clone());
        self.user_ids.insert(email, id);
        Ok(())
    }

    /// Brings the user's enterprise permissions and organization roles in line; whether any
    /// changed.
    fn memberships(&self, u: &FixtureUser, email: &str, id: &str) -> Result<bool> {
        let (conn, now) = (self.conn, self.now);
        let mut updated = false;
        for (r, perms) in &u.enterprises {
            let eid = self.resolve("enterprise", r)?;
            if enterprises::find_by_id(conn, &eid)?.is_none() {
                return Err(Error::Invalid(format!("user {email}: no enterprise {eid}")));
            }
            let perms = perms
                .iter()
                .map(|p| {
                    EnterprisePermission::parse(p).ok_or_else(|| {
                        Error::Invalid(format!("user {email}: unknown permission {p:?}"))
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let want = serde_json::to_string(&perms.iter().map(|p| p.as_str()).collect::<Vec<_>>())
                .map_err(|e| Error::Internal(e.to_string()))?;
            if db::enterprise_permissions_json(conn, &eid, id)?.as_deref() != Some(want.as_str()) {
                enterprises::upsert_member(conn, &eid, id, &perms, now)?;
                updated = true;
            }
        }
        for (r, role) in &u.organizations {
            let oid = self.resolve("organization", r)?;
            let role = OrgRole::parse(role)
                .ok_or_else(|| Error::Invalid(format!("user {email}: unknown role {role:?}")))?;
            if organizations::find_by_id(conn, &oid)?.is_none() {
                return Err(Error::Invalid(format!(
                    "user {email}: no organization {oid}"
                )));
            }
            if organizations::role_of(conn, &oid, id)? != Some(role) {
                organizations::upsert_member(conn, &oid, id, role, now)?;
                updated = true;
            }
        }
        Ok(updated)
    }

    /// Creates the token unless a token of the same value exists for the same user.
    fn token(&mut self, t: &FixtureToken, key: &ServerKey) -> Result<()> {
        let (conn, now) = (self.conn, self.now);
        let email = t.user.trim().to_lowercase();
        let user_id = match self.user_ids.get(&email) {
            Some(id) => id.clone(),
            None => users::find_by_username(conn, &email)?
                .map(|u| u.id)
                .ok_or_else(|| Error::Invalid(format!("token for {email}: no such user")))?,
        };
        let label = t.label.clone().unwrap_or_else(|| "fixture".into());
        let raw = raw_token(t, self.seed, &email, &label)?;
        let hash = sha256_hex(raw.as_bytes());
        let id = derived_id(self.seed, "token", &hash);
        let created = match tokens::find_by_hash(conn, &hash)? {
            Some(found) if found.token.user_id != user_id => {
                return Err(Error::Conflict(format!(
                    "token {label}: already belongs to another user"
                )))
            }
            Some(_) => false,
            None => {
                let duration = t.duration_seconds.unwrap_or(365 * 86_400);
                if duration <= 0 {
                    return Err(Error::Invalid(format!(
                        "token {label}: duration must be positive"
                    )));
                }
                tokens::insert(
                    conn,
                    &TokenRow {
                        sealed_token: key.seal(raw.as_bytes(), &id),
                        id: id.clone(),
                        token_hash: hash,
                        user_id: user_id.clone(),
                        kind: TokenKind::Api,
                        label: Some(label.clone()),
                        scope: ScopeSet::from_stored(&t.scope.join(" ")),
                        ip_restrict: IpRestriction::default(),
                        created_ip: None,
                        enterprise_id: None,
                        is_extensible: false,
                        tx_value_limit: None,
                        tx_value: 0,
                        tx_count: 0,
                        created_at: now,
                        expires_at: now.saturating_add(duration.saturating_mul(1000)),
                        revoked_at: None,
                        unlocked_at: None,
                        unlock_expires_at: None,
                    },
                )?;
                true
            }
        };
        self.report.count(created, false);
        self.report
            .tokens
            .push(serde_json::json!({"user": email, "label": label, "id": id, "token": raw}));
        Ok(())
    }
}

/// The raw value of a fixture token: as given (16 to 256 printable characters) or derived
/// from the seed, the user and the label; its scopes must all be known.
fn raw_token(t: &FixtureToken, seed: u64, email: &str, label: &str) -> Result<String> {
    let raw = match &t.token {
        Some(raw)
            if raw.len() >= 16 && raw.len() <= 256 && raw.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            raw.clone()
        }
        Some(_) => {
            return Err(Error::Invalid(format!(
                "token {label} of {email}: 16 to 256 printable characters"
            )))
        }
        None => format!(
            "v2x{}",
            sha256_hex(format!("orgbox-fixture-token:{seed}:{email}:{label}").as_bytes())
        ),
    };
    for s in &t.scope {
        if Scope::parse(s).is_none() {
            return Err(Error::Invalid(format!(
                "token {label} of {email}: unknown scope {s:?}"
            )));
        }
    }
    Ok(raw)
}
