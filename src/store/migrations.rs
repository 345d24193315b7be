//! Ordered schema migrations behind `PRAGMA user_version`. `schema.sql` is version 1; each
//! later version is one SQL file in `migrations/`, applied in order, in the same `BEGIN
//! IMMEDIATE` transaction as the version bump, so an existing data directory upgrades in place
//! and a failed upgrade leaves the file as it was.
//!
//! To change the schema: add a file `migrations/NNNN_what.sql` and one line to [`MIGRATIONS`]
//! with the next free number. Never edit a migration that has shipped.

use std::collections::BTreeMap;

use rusqlite::Connection;

use crate::domain::error::{Error, Result};

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
    (
        70,
        include_str!("migrations/0070_refresh_token_families.sql"),
    ),
    (90, include_str!("migrations/0090_webhooks.sql")),
    (91, include_str!("migrations/0091_wallet_addresses.sql")),
    (100, include_str!("migrations/0100_sandbox_stubs.sql")),
    (110, include_str!("migrations/0110_bitwarden_admin.sql")),
    (
        112,
        include_str!("migrations/0112_bitwarden_revocation_reason.sql"),
    ),
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

/// One object of a database's schema as `sqlite_schema` lists it: its type (`table`,
/// `index`, `trigger`, `view`), the table it belongs to and the SQL that made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaObject {
    /// `table`, `index`, `trigger` or `view`.
    pub kind: String,
    /// The table it is on (its own name for a table).
    pub table: String,
    /// The statement that created it (none for SQLite's automatic indexes).
    pub sql: Option<String>,
}

/// Every object of `conn`'s schema, by name.
pub fn schema_of(conn: &Connection) -> Result<BTreeMap<String, SchemaObject>> {
    let mut stmt = conn.prepare("SELECT name, type, tbl_name, sql FROM sqlite_schema")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            SchemaObject {
                kind: r.get(1)?,
                table: r.get(2)?,
                sql: r.get(3)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The schema of a fully migrated orgbox store, made in memory.
pub fn expected_schema() -> Result<BTreeMap<String, SchemaObject>> {
    let conn = Connection::open_in_memory()?;
    upgrade(&conn)?;
    schema_of(&conn)
}

/// Where `conn`'s schema (a foreign file, migrated to [`latest_version`]) is not orgbox's:
/// objects orgbox does not have, objects made with other SQL, objects missing. Each is
/// described for a refusal; none means the schemas are the same.
pub fn schema_differences(conn: &Connection) -> Result<Vec<String>> {
    let expected = expected_schema()?;
    let found = schema_of(conn)?;
    let mut out = Vec::new();
    for (name, o) in &found {
        match expected.get(name) {
            None => out.push(format!(
                "it has a {} {name:?} on {:?} that orgbox's schema does not have",
                o.kind, o.table
            )),
            Some(e) if e != o => out.push(format!("its {} {name:?} differs from orgbox's", o.kind)),
            Some(_) => {}
        }
    }
    for (name, e) in &expected {
        if !found.contains_key(name) {
            out.push(format!("it lacks orgbox's {} {name:?}", e.kind));
        }
    }
    Ok(out)
}

/// Triggers and views in `conn` (orgbox's own schema has none): checked before a foreign
/// file is migrated, so that nothing it planted runs during the migration.
pub fn triggers_and_views(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT type, name, tbl_name FROM sqlite_schema WHERE type IN ('trigger', 'view')
         ORDER BY name",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(format!(
            "it has a {} {:?} on {:?} that orgbox's schema does not have",
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
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
    fn an_upgraded_version_one_file_has_exactly_the_fresh_schema() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(BASE_SCHEMA).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        upgrade(&conn).unwrap();
        assert_eq!(schema_differences(&conn).unwrap(), Vec::<String>::new());
        // orgbox has no triggers or views: loading refuses any before migrating.
        assert!(triggers_and_views(&conn).unwrap().is_empty());
    }

    #[test]
    fn planted_extra_and_changed_objects_are_named() {
        let conn = Connection::open_in_memory().unwrap();
        upgrade(&conn).unwrap();
        conn.execute_batch(
            "CREATE TRIGGER widen AFTER INSERT ON access_tokens BEGIN
               UPDATE access_tokens SET scope = 'all' WHERE id = NEW.id; END;
             CREATE INDEX spy ON users(password_hash);
             DROP INDEX enterprises_by_organization;",
        )
        .unwrap();
        let found = schema_differences(&conn).unwrap().join("; ");
        for part in [
            "trigger \"widen\" on \"access_tokens\"",
            "index \"spy\"",
            "lacks orgbox's index \"enterprises_by_organization\"",
        ] {
            assert!(found.contains(part), "{part}: {found}");
        }
        assert_eq!(triggers_and_views(&conn).unwrap().len(), 1);
        // The same name with other SQL.
        let conn = Connection::open_in_memory().unwrap();
        upgrade(&conn).unwrap();
        conn.execute_batch(
            "DROP INDEX enterprises_by_organization;
             CREATE INDEX enterprises_by_organization ON enterprises(name);",
        )
        .unwrap();
        assert_eq!(
            schema_differences(&conn).unwrap(),
            ["its index \"enterprises_by_organization\" differs from orgbox's"]
        );
    }

    #[test]
    fn a_newer_file_is_refused() {
        let conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", latest_version() + 1)
            .unwrap();
        assert!(upgrade(&conn).is_err());
    }
}
