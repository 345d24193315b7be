//! Invitations: a user created for an email with no account, who sets a password through
//! the invitation's accept link. Until then the user's stored password can never verify.

use rusqlite::{params, Connection, OptionalExtension};

use crate::auth::token::sha256_hex;
use crate::domain::error::Result;
use crate::domain::ids::new_id;
use crate::store::users::{self, UserRow};

/// The stored password of an invited user who has not accepted yet: not a PBKDF2 record,
/// so no password ever verifies against it.
pub const NO_PASSWORD: &str = "!invited";

/// How long an invitation link works: 30 days, in ms.
pub const INVITATION_LIFETIME_MS: i64 = 30 * 24 * 3600 * 1000;

/// What to invite someone to.
#[derive(Debug, Clone, Default)]
pub struct InvitationTarget {
    /// Enterprise the invitation is to, if any.
    pub enterprise_id: Option<String>,
    /// Organization the invitation is to, if any.
    pub organization_id: Option<String>,
    /// Who invited.
    pub invited_by: Option<String>,
}

/// The outcome of [`invite`].
#[derive(Debug, Clone)]
pub struct Invited {
    /// The user (new or existing).
    pub user_id: String,
    /// The invitation token to put in the accept link, when a new account was created;
    /// `None` when the email already had an account (send a notification instead).
    pub token: Option<String>,
}

/// The user with `email`, creating an invited (password-less) user and an invitation when
/// there is none. `token` is fresh random hex, shown once (in the mail's link).
pub fn invite(
    conn: &Connection,
    email: &str,
    target: &InvitationTarget,
    token: &str,
    now_ms: i64,
) -> Result<Invited> {
    let email = email.trim().to_lowercase();
    if let Some(existing) = users::find_by_username(conn, &email)? {
        return Ok(Invited {
            user_id: existing.id,
            token: None,
        });
    }
    let user_id = new_id(now_ms);
    let local = email.split('@').next().unwrap_or("").to_string();
    users::insert(
        conn,
        &UserRow {
            id: user_id.clone(),
            username: email,
            first_name: local,
            last_name: String::new(),
            password_hash: NO_PASSWORD.into(),
            country: "USA".into(),
            timezone: "America/New_York".into(),
            is_active: true,
            created_at: now_ms,
            last_login_at: None,
        },
    )?;
    conn.execute(
        "INSERT INTO invitations (id, user_id, token_hash, enterprise_id, organization_id,
           invited_by, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            new_id(now_ms),
            user_id,
            sha256_hex(token.as_bytes()),
            target.enterprise_id,
            target.organization_id,
            target.invited_by,
            now_ms,
            now_ms + INVITATION_LIFETIME_MS
        ],
    )?;
    Ok(Invited {
        user_id,
        token: Some(token.to_string()),
    })
}

/// An open invitation: `(invitation id, user id, expires_at)` for the token, if it was
/// issued and not yet accepted.
pub fn find_open(conn: &Connection, token: &str) -> Result<Option<(String, String, i64)>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, user_id, expires_at FROM invitations
             WHERE token_hash = ?1 AND accepted_at IS NULL",
        )?
        .query_row([sha256_hex(token.as_bytes())], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?)
}

/// Marks an invitation accepted and stores the user's new password hash.
pub fn accept(
    conn: &Connection,
    invitation_id: &str,
    user_id: &str,
    password_hash: &str,
    now_ms: i64,
) -> Result<()> {
    conn.execute(
        "UPDATE invitations SET accepted_at = ?2 WHERE id = ?1 AND accepted_at IS NULL",
        params![invitation_id, now_ms],
    )?;
    conn.execute(
        "UPDATE users SET password_hash = ?2 WHERE id = ?1",
        params![user_id, password_hash],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::password;
    use crate::store::testing::temp_store;

    #[test]
    fn an_unknown_email_becomes_an_invited_user_who_cannot_log_in_until_accepting() {
        let (store, _dir) = temp_store();
        let invited = store
            .write_blocking(|c| invite(c, "New@X.test", &InvitationTarget::default(), "tok", 1))
            .unwrap();
        assert_eq!(invited.token.as_deref(), Some("tok"));
        let user = store
            .write_blocking(|c| users::find_by_username(c, "new@x.test"))
            .unwrap()
            .unwrap();
        assert!(!password::verify(
            &user.password_hash,
            "new@x.test",
            "anything"
        ));
        let (inv, uid, _) = store
            .write_blocking(|c| find_open(c, "tok"))
            .unwrap()
            .unwrap();
        let hash = password::hash_for_storage("new@x.test", "pw", 10);
        store
            .write_blocking(|c| accept(c, &inv, &uid, &hash, 2))
            .unwrap();
        assert!(store
            .write_blocking(|c| find_open(c, "tok"))
            .unwrap()
            .is_none());
        let user = store
            .write_blocking(|c| users::find_by_id(c, &uid))
            .unwrap()
            .unwrap();
        assert!(password::verify(&user.password_hash, "new@x.test", "pw"));
    }

    #[test]
    fn an_existing_email_is_not_invited_again() {
        let (store, _dir) = temp_store();
        store
            .write_blocking(|c| invite(c, "a@x.test", &InvitationTarget::default(), "t1", 1))
            .unwrap();
        let again = store
            .write_blocking(|c| invite(c, "A@x.test", &InvitationTarget::default(), "t2", 2))
            .unwrap();
        assert!(again.token.is_none());
    }
}
