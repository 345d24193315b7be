//! The password work of a fixture, done before its write transaction: PBKDF2 is slow on
//! purpose, and hashing inside the transaction held the sandbox's one writer for seconds
//! (40 users, 1.4 s). The stored records are read first, each user's password is checked
//! against its record or hashed anew outside any transaction, and `apply` only compares
//! and writes.

use crate::auth::password;
use crate::domain::error::{Error, Result};
use crate::service::seeding::Fixture;
use crate::store::users;
use rusqlite::Connection;
use std::collections::BTreeMap;

/// A user's password as prepared.
#[derive(Debug, Clone)]
enum Prepared {
    /// The record stored when the passwords were prepared already holds the password.
    Matches(String),
    /// A new record of the password.
    Fresh(String),
}

/// Every user's password of one fixture, prepared by [`prepare_passwords`] (or
/// [`stored_records`] then [`hash_passwords`]) and consumed by `apply`.
#[derive(Debug, Clone)]
pub struct Passwords(BTreeMap<String, Prepared>);

/// The stored password records of the fixture's users that exist, by normalized email.
pub fn stored_records(conn: &Connection, fixture: &Fixture) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for u in &fixture.users {
        let email = super::normalized_email(&u.email);
        if let Some(user) = users::find_by_username(conn, &email)? {
            out.insert(email, user.password_hash);
        }
    }
    Ok(out)
}

/// Checks each user's password against its stored record (`stored`, from
/// [`stored_records`]) and hashes the ones that differ or are new, with `iterations`: the
/// slow part, for the blocking pool, outside any transaction.
pub fn hash_passwords(
    fixture: &Fixture,
    stored: &BTreeMap<String, String>,
    iterations: u32,
) -> Passwords {
    let default_password = fixture
        .password
        .clone()
        .unwrap_or_else(|| crate::config::DemoConfig::default().password);
    let mut out = BTreeMap::new();
    for u in &fixture.users {
        let email = super::normalized_email(&u.email);
        let pw = u.password.as_deref().unwrap_or(&default_password);
        let prepared = match stored.get(&email) {
            Some(record) if password::verify(record, &email, pw) => {
                Prepared::Matches(record.clone())
            }
            _ => Prepared::Fresh(password::hash_for_storage(&email, pw, iterations)),
        };
        out.insert(email, prepared);
    }
    Passwords(out)
}

/// [`stored_records`] and [`hash_passwords`] in one go, for callers that are not async
/// (the CLI, seeding the template at start).
pub fn prepare_passwords(
    conn: &Connection,
    fixture: &Fixture,
    iterations: u32,
) -> Result<Passwords> {
    let stored = stored_records(conn, fixture)?;
    Ok(hash_passwords(fixture, &stored, iterations))
}

fn changed_meanwhile(email: &str) -> Error {
    Error::Conflict(format!(
        "fixture user {email} changed while the fixture was applied; apply it again"
    ))
}

impl Passwords {
    fn get(&self, email: &str) -> Result<&Prepared> {
        self.0
            .get(email)
            .ok_or_else(|| Error::Internal(format!("no password prepared for {email}")))
    }

    /// For an existing user whose record is `stored` now: `None` when it already holds the
    /// fixture's password, else the record to store. A 409 if the user's record changed
    /// since the passwords were prepared.
    pub(super) fn for_existing(&self, email: &str, stored: &str) -> Result<Option<String>> {
        match self.get(email)? {
            Prepared::Matches(record) if record == stored => Ok(None),
            Prepared::Matches(_) => Err(changed_meanwhile(email)),
            // The same user twice in one fixture: the first entry stored this record.
            Prepared::Fresh(record) if record == stored => Ok(None),
            Prepared::Fresh(record) => Ok(Some(record.clone())),
        }
    }

    /// For a new user: the record to store. A 409 if the user existed when the passwords
    /// were prepared.
    pub(super) fn for_new(&self, email: &str) -> Result<String> {
        match self.get(email)? {
            Prepared::Fresh(record) => Ok(record.clone()),
            Prepared::Matches(_) => Err(changed_meanwhile(email)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::seeding::parse;

    #[test]
    fn prepared_passwords_are_checked_against_the_record_they_were_prepared_for() {
        let f = parse(
            r#"{"users": [{"email": " Old@X.test ", "password": "pw"}, {"email": "new@x.test"}]}"#,
            false,
        )
        .unwrap();
        let record = password::hash_for_storage("old@x.test", "pw", 1);
        let stored = BTreeMap::from([("old@x.test".to_string(), record.clone())]);
        let p = hash_passwords(&f, &stored, 1);
        // The stored record already holds the password: nothing to write.
        assert_eq!(p.for_existing("old@x.test", &record).unwrap(), None);
        // It changed after the passwords were prepared, or the user vanished: a 409.
        let other = password::hash_for_storage("old@x.test", "else", 1);
        assert!(matches!(
            p.for_existing("old@x.test", &other),
            Err(Error::Conflict(_))
        ));
        assert!(matches!(p.for_new("old@x.test"), Err(Error::Conflict(_))));
        // A new user gets a fresh record of the fixture's default password.
        let fresh = p.for_new("new@x.test").unwrap();
        let demo = crate::config::DemoConfig::default().password;
        assert!(password::verify(&fresh, "new@x.test", &demo));
        assert_eq!(
            p.for_existing("new@x.test", &fresh).unwrap(),
            None,
            "listed twice"
        );
        assert_eq!(p.for_existing("new@x.test", &other).unwrap(), Some(fresh));
        assert!(matches!(
            p.for_new("nobody@x.test"),
            Err(Error::Internal(_))
        ));
    }

    #[test]
    fn a_fixture_holds_at_most_the_cap_of_users() {
        let users = |n: usize| -> String {
            let list: Vec<String> = (0..n)
                .map(|i| format!(r#"{{"email": "u{i}@x.test"}}"#))
                .collect();
            format!(r#"{{"users": [{}]}}"#, list.join(","))
        };
        assert!(parse(&users(crate::service::seeding::MAX_USERS), false).is_ok());
        let e = parse(&users(crate::service::seeding::MAX_USERS + 1), false).unwrap_err();
        assert!(e.to_string().contains("at most 100"), "{e}");
    }
}
