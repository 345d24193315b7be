//! Stored wallet policy rules, per wallet or per organization.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Value};

use crate::domain::error::{Error, Result};
use crate::domain::wallet_policy::{Rule, RuleAction, RuleKind};

/// The scope key of one wallet's rules.
pub fn wallet_scope(wallet_id: &str) -> String {
    format!("wallet:{wallet_id}")
}

/// The scope key of an organization's rules.
pub fn organization_scope(organization_id: &str) -> String {
    format!("organization:{organization_id}")
}

fn stored_condition(kind: &RuleKind) -> Value {
    match kind {
        RuleKind::VelocityLimit {
            limit,
            window_seconds,
        } => json!({"limit": limit, "windowSeconds": window_seconds}),
        RuleKind::AdvancedWhitelist { items } => json!({"items": items}),
    }
}

fn rule_from(
    id: String,
    coin: Option<String>,
    kind: &str,
    action: &str,
    condition: &str,
) -> Result<Rule> {
    let bad = || Error::Internal(format!("stored policy rule {id}"));
    let c: Value = serde_json::from_str(condition).map_err(|_| bad())?;
    let kind = match kind {
        "velocityLimit" => RuleKind::VelocityLimit {
            limit: c["limit"].as_i64().ok_or_else(bad)?,
            window_seconds: c["windowSeconds"].as_i64().ok_or_else(bad)?,
        },
        _ => RuleKind::AdvancedWhitelist {
            items: c["items"]
                .as_array()
                .ok_or_else(bad)?
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect(),
        },
    };
    Ok(Rule {
        id,
        coin,
        kind,
        action: RuleAction::parse(action)?,
    })
}

/// A stored rule and who it answers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRule {
    /// The rule.
    pub rule: Rule,
    /// An organization admin set or last changed it: only organization admins change it.
    pub set_by_org_admin: bool,
}

/// Writes (inserts or replaces) a rule in `scope`. Once an organization admin has written a
/// rule (`by_org_admin`), it stays theirs.
pub fn save(
    conn: &Connection,
    scope: &str,
    rule: &Rule,
    by: &str,
    by_org_admin: bool,
    now_ms: i64,
) -> Result<()> {
    conn.execute(
        "INSERT INTO wallet_policy_rules (scope, rule_id, coin, type, action, condition, created_by,
           created_at, set_by_org_admin)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (scope, rule_id) DO UPDATE SET coin = ?3, type = ?4, action = ?5,
           condition = ?6, set_by_org_admin = max(set_by_org_admin, ?9)",
        params![
            scope,
            rule.id,
            rule.coin,
            rule.type_name(),
            rule.action.as_str(),
            stored_condition(&rule.kind).to_string(),
            by,
            now_ms,
            by_org_admin
        ],
    )?;
    Ok(())
}

/// The rule `rule_id` of `scope`, if any.
pub fn find(conn: &Connection, scope: &str, rule_id: &str) -> Result<Option<StoredRule>> {
    let row = conn
        .prepare_cached(
            "SELECT rule_id, coin, type, action, condition, set_by_org_admin
             FROM wallet_policy_rules WHERE scope = ?1 AND rule_id = ?2",
        )?
        .query_row(params![scope, rule_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, bool>(5)?,
            ))
        })
        .optional()?;
    row.map(|(id, coin, kind, action, cond, set_by_org_admin)| {
        Ok(StoredRule {
            rule: rule_from(id, coin, &kind, &action, &cond)?,
            set_by_org_admin,
        })
    })
    .transpose()
}

/// Removes a rule; `false` when there was none.
pub fn remove(conn: &Connection, scope: &str, rule_id: &str) -> Result<bool> {
    Ok(conn.execute(
        "DELETE FROM wallet_policy_rules WHERE scope = ?1 AND rule_id = ?2",
        params![scope, rule_id],
    )? > 0)
}

/// When each rule of `scope` was set (ms), by rule id.
pub fn set_times(conn: &Connection, scope: &str) -> Result<HashMap<String, i64>> {
    let mut stmt = conn
        .prepare_cached("SELECT rule_id, created_at FROM wallet_policy_rules WHERE scope = ?1")?;
    let rows = stmt.query_map([scope], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<HashMap<String, i64>>>()?)
}

/// A stored rule with who set it and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleRecord {
    /// The rule as it stands.
    pub rule: Rule,
    /// The user who first set it (a later change keeps it).
    pub created_by: String,
    /// When it was first set (ms).
    pub created_at_ms: i64,
}

/// The rules of `scope` with who set them and when, oldest first.
pub fn records(conn: &Connection, scope: &str) -> Result<Vec<RuleRecord>> {
    let mut stmt = conn.prepare_cached(
        "SELECT rule_id, coin, type, action, condition, created_by, created_at
         FROM wallet_policy_rules WHERE scope = ?1 ORDER BY created_at, rule_id",
    )?;
    type Row = (String, Option<String>, String, String, String, String, i64);
    let rows = stmt
        .query_map([scope], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<Row>>>()?;
    rows.into_iter()
        .map(
            |(id, coin, kind, action, cond, created_by, created_at_ms)| {
                Ok(RuleRecord {
                    rule: rule_from(id, coin, &kind, &action, &cond)?,
                    created_by,
                    created_at_ms,
                })
            },
        )
        .collect()
}

/// The rules of `scope`, oldest first.
pub fn list(conn: &Connection, scope: &str) -> Result<Vec<Rule>> {
    Ok(records(conn, scope)?.into_iter().map(|r| r.rule).collect())
}

/// Every rule a wallet's withdrawals obey: its own, and its organization's when it belongs
/// to a child enterprise.
pub fn rules_for_wallet(
    conn: &Connection,
    wallet_id: &str,
    organization_id: Option<&str>,
) -> Result<Vec<Rule>> {
    let mut rules = list(conn, &wallet_scope(wallet_id))?;
    if let Some(o) = organization_id {
        rules.extend(list(conn, &organization_scope(o))?);
    }
    Ok(rules)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::temp_store;

    fn rule(items: &[&str]) -> Rule {
        Rule {
            id: "wl".into(),
            coin: None,
            kind: RuleKind::AdvancedWhitelist {
                items: items.iter().map(|i| i.to_string()).collect(),
            },
            action: RuleAction::Deny,
        }
    }

    #[test]
    fn a_rule_an_organization_admin_wrote_stays_theirs() {
        let (store, _dir) = temp_store();
        store
            .write_blocking(|c| -> Result<_> {
                let scope = wallet_scope(&"a".repeat(32));
                assert_eq!(find(c, &scope, "wl")?, None);
                save(c, &scope, &rule(&["x"]), "wallet-admin", false, 1)?;
                assert!(!find(c, &scope, "wl")?.unwrap().set_by_org_admin);
                save(c, &scope, &rule(&["x", "y"]), "org-admin", true, 2)?;
                save(c, &scope, &rule(&["y"]), "wallet-admin", false, 3)?;
                let stored = find(c, &scope, "wl")?.unwrap();
                assert!(stored.set_by_org_admin);
                assert_eq!(stored.rule, rule(&["y"]));
                assert!(remove(c, &scope, "wl")?);
                assert_eq!(find(c, &scope, "wl")?, None);
                Ok(())
            })
            .unwrap();
    }
}
