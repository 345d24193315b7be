//! The sandbox outbox: mail orgbox would have sent, kept instead of sent.

use rusqlite::{params, Connection, Row};

use crate::domain::error::Result;

/// One captured mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    /// 32-hex id.
    pub id: String,
    /// Who wrote it: `bitgo`, `bitwarden`, `sandbox`.
    pub source: String,
    /// What it is: `invitation`, `notification`, `otp`, ...
    pub kind: String,
    /// Lowercased recipient address.
    pub recipient: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// A link to follow (an invitation's accept link), if any.
    pub link: Option<String>,
    /// When it was "sent", ms (sandbox clock).
    pub created_at: i64,
}

const COLUMNS: &str = "id, source, kind, recipient, subject, body, link, created_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<OutboxRow> {
    Ok(OutboxRow {
        id: r.get(0)?,
        source: r.get(1)?,
        kind: r.get(2)?,
        recipient: r.get(3)?,
        subject: r.get(4)?,
        body: r.get(5)?,
        link: r.get(6)?,
        created_at: r.get(7)?,
    })
}

/// Captures a mail. The recipient is stored lowercased.
pub fn insert(conn: &Connection, m: &OutboxRow) -> Result<()> {
    conn.execute(
        "INSERT INTO outbox (id, source, kind, recipient, subject, body, link, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            m.id,
            m.source,
            m.kind,
            m.recipient.to_lowercase(),
            m.subject,
            m.body,
            m.link,
            m.created_at
        ],
    )?;
    Ok(())
}

/// Captured mail, newest first, optionally only to `recipient` (compared lowercased).
pub fn list(conn: &Connection, recipient: Option<&str>, limit: usize) -> Result<Vec<OutboxRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM outbox WHERE (?1 IS NULL OR recipient = ?1)
         ORDER BY created_at DESC, rowid DESC LIMIT ?2"
    );
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let recipient = recipient.map(str::to_lowercase);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![recipient, limit], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::temp_store;

    fn mail(id: char, to: &str, at: i64) -> OutboxRow {
        OutboxRow {
            id: id.to_string().repeat(32),
            source: "bitgo".into(),
            kind: "invitation".into(),
            recipient: to.into(),
            subject: "Join".into(),
            body: "hello".into(),
            link: Some("http://x/accept".into()),
            created_at: at,
        }
    }

    #[test]
    fn newest_first_and_filtered_by_recipient_case_insensitively() {
        let (store, _dir) = temp_store();
        store
            .write_blocking(|c| {
                insert(c, &mail('a', "Ann@X.test", 1))?;
                insert(c, &mail('b', "bob@x.test", 2))?;
                insert(c, &mail('c', "ann@x.test", 3))
            })
            .unwrap();
        let all = store.write_blocking(|c| list(c, None, 10)).unwrap();
        assert_eq!(
            all.iter().map(|m| m.created_at).collect::<Vec<_>>(),
            [3, 2, 1]
        );
        let ann = store
            .write_blocking(|c| list(c, Some("ANN@x.test"), 10))
            .unwrap();
        assert_eq!(ann.len(), 2);
        assert!(ann.iter().all(|m| m.recipient == "ann@x.test"));
    }
}
