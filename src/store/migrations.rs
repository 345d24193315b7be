//! Ordered schema migrations behind `PRAGMA user_version`. `schema.sql` is version 1; each
//! later version is one SQL file in `migrations/`, applied in order, in the same `BEGIN
//! IMMEDIATE` transaction as the version bump, so an existing data directory upgrades in place
//! and a failed upgrade leaves the file as it was.
//!
//! To change the schema: add a file `migrations/NNNN_what.sql` and one line to [`MIGRATIONS`]
//! with the next free number. Never edit a migration that has shipped.

use rusqlite::Connection;

use crate::error::{Error, Result};

/// The base schema (version 1).
pub const BASE_SCHEMA: &str = include_str!("../../schema.sql");

/// Every migration after the base schema: (version it brings the file to, SQL), ascending.
pub const MIGRATIONS: &[(i64, &str)] = &[
    (2, include_str!("migrations/0002_outbox.sql")),
    (3, include_str!("migrations/0003_invitations.sql")),
    (4, include_str!("migrations/0004_live_token_index.sql")),
    (
        10,
        include_str!("migrations/0010_enterprise_users_and_approvals.sql"),
    ),
    (20, include_str!("migrations/0020_child_enterprises.sql")),
    (21, include_str!("migrations/0021_kyc_identities.sql")),
    (30, include_str!("migrations/0030_bitwarden.sql")),
    (
        40,
        include_str!("migrations/0040_go_accounts_and_ledger.sql"),
    ),
    (41, include_str!("migrations/0041_trading_orders.sql")),
    (42, include_str!("migrations/0042_wallet_policy_rules.sql")),
    (
        50,
        include_str!("migrations/0050_policy_rules_set_by_org_admin.sql"),
    ),
    (60, include_str!("migrations/0060_token_spending.sql")),
];

/// The version a fully migrated file has.
pub fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(1, |(v, _)| *v)
}

/// Brings the database on `tx` (an open immediate transaction) up to [`latest_version`].
/// A file newer than this binary is refused rather than guessed at.
pub fn upgrade(tx: &Connection) -> Result<()> {
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let latest = latest_version();
    if version > latest {
        return Err(Error::Internal(format!(
            "database schema version {version} is newer than this orgbox ({latest})"
        )));
    }
    if version < 1 {
        tx.execute_batch(BASE_SCHEMA)?;
    }
    for (target, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > version.max(1)) {
        tx.execute_batch(sql)
            .map_err(|e| Error::Internal(format!("schema migration to version {target}: {e}")))?;
    }
    if version < latest {
        tx.pragma_update(None, "user_version", latest)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_strictly_ascending_from_two() {
        let mut previous = 1;
        for (v, _) in MIGRATIONS {
            assert!(*v > previous, "migration {v} is out of order");
            previous = *v;
        }
    }

    #[test]
    fn a_version_one_file_upgrades_in_place_and_keeps_its_rows() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(BASE_SCHEMA).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO organizations (id, name, created_at) VALUES (?1, 'kept', 0)",
            ["c".repeat(32)],
        )
        .unwrap();
        upgrade(&conn).unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, latest_version());
        let name: String = conn
            .query_row("SELECT name FROM organizations", [], |r| r.get(0))
            .unwrap();
        assert_eq!(name, "kept");
        // Upgrading an up-to-date file is a no-op.
        upgrade(&conn).unwrap();
    }

    #[test]
    fn version_50_marks_the_rules_organization_admins_set() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(BASE_SCHEMA).unwrap();
        for (_, sql) in MIGRATIONS.iter().filter(|(v, _)| *v <= 42) {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 42).unwrap();
        // Without foreign keys, the wallet needs no key row.
        let (org, ent, wallet) = ("o".repeat(32), "e".repeat(32), "w".repeat(32));
        conn.execute_batch(&format!(
            "PRAGMA foreign_keys = OFF;
             INSERT INTO organizations (id, name, created_at) VALUES ('{org}', 'o', 0);
             INSERT INTO enterprises (id, name, organization_id, business_model, created_at)
               VALUES ('{ent}', 'e', '{org}', 'cryptoAsAServiceChild', 0);
             INSERT INTO users (id, username, first_name, last_name, password_hash, created_at)
               VALUES ('{a}', 'a@x', 'a', 'a', 'x', 0), ('{s}', 's@x', 's', 's', 'x', 0);
             INSERT INTO organization_members (organization_id, user_id, role, created_at)
               VALUES ('{org}', '{a}', 'admin', 0), ('{org}', '{s}', 'serviceUser', 0);
             INSERT INTO wallets (id, coin, type, label, enterprise_id, user_key_id, created_by,
               created_at) VALUES ('{wallet}', 'ofc', 'trading', 'w', '{ent}', '{k}', '{s}', 0);
             INSERT INTO wallet_policy_rules (scope, rule_id, type, action, condition, created_by,
               created_at) VALUES
               ('wallet:{wallet}', 'by-admin', 'velocityLimit', 'deny', '{{}}', '{a}', 0),
               ('wallet:{wallet}', 'by-service', 'velocityLimit', 'deny', '{{}}', '{s}', 0),
               ('organization:{org}', 'org-rule', 'velocityLimit', 'deny', '{{}}', '{a}', 0);",
            a = "a".repeat(32),
            s = "5".repeat(32),
            k = "k".repeat(32),
        ))
        .unwrap();
        upgrade(&conn).unwrap();
        let marked: Vec<String> = conn
            .prepare(
                "SELECT rule_id FROM wallet_policy_rules WHERE set_by_org_admin = 1 ORDER BY 1",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(marked, ["by-admin", "org-rule"]);
    }

    #[test]
    fn a_newer_file_is_refused() {
        let conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", latest_version() + 1)
            .unwrap();
        assert!(upgrade(&conn).is_err());
    }
}
