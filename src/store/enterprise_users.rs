//! An enterprise's users as a whole: listing them, removing one, its admins, its video
//! approvers and its `approvalsRequired` setting. (Adding or changing a member is
//! `enterprises::upsert_member`.)

use rusqlite::{params, Connection, OptionalExtension};

use crate::domain::error::{Error, Result};
use crate::domain::role::EnterprisePermission;
use crate::store::enterprises::parse_permissions;
use crate::store::users::{self, UserRow};

/// One member of an enterprise.
#[derive(Debug, Clone)]
pub struct EnterpriseUser {
    /// The user.
    pub user: UserRow,
    /// Their permissions on the enterprise.
    pub permissions: Vec<EnterprisePermission>,
    /// Whether they are one of the enterprise's video approvers.
    pub video_id_user: bool,
}

impl EnterpriseUser {
    /// Whether the member has the `admin` permission.
    pub fn is_admin(&self) -> bool {
        self.permissions.contains(&EnterprisePermission::Admin)
    }
}

/// Every member of `enterprise_id`, oldest membership first.
pub fn list(conn: &Connection, enterprise_id: &str) -> Result<Vec<EnterpriseUser>> {
    let mut stmt = conn.prepare_cached(
        "SELECT user_id, permissions, video_id_user FROM enterprise_members
         WHERE enterprise_id = ?1 ORDER BY created_at, user_id",
    )?;
    let rows = stmt
        .query_map([enterprise_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for (user_id, permissions, video_id_user) in rows {
        let user = users::find_by_id(conn, &user_id)?
            .ok_or_else(|| Error::Internal(format!("member {user_id} has no user row")))?;
        out.push(EnterpriseUser {
            user,
            permissions: parse_permissions(&permissions)?,
            video_id_user,
        });
    }
    Ok(out)
}

/// The ids of the enterprise's admins, in membership order.
pub fn admin_ids(conn: &Connection, enterprise_id: &str) -> Result<Vec<String>> {
    Ok(list(conn, enterprise_id)?
        .into_iter()
        .filter(EnterpriseUser::is_admin)
        .map(|m| m.user.id)
        .collect())
}

/// The ids of the enterprise's video approvers.
pub fn video_approver_ids(conn: &Connection, enterprise_id: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT user_id FROM enterprise_members
         WHERE enterprise_id = ?1 AND video_id_user = 1 ORDER BY created_at, user_id",
    )?;
    let ids = stmt
        .query_map([enterprise_id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(ids)
}

/// Marks (or unmarks) a member as a video approver.
pub fn set_video_id_user(
    conn: &Connection,
    enterprise_id: &str,
    user_id: &str,
    video_id_user: bool,
) -> Result<()> {
    conn.execute(
        "UPDATE enterprise_members SET video_id_user = ?3 WHERE enterprise_id = ?1 AND user_id = ?2",
        params![enterprise_id, user_id, video_id_user],
    )?;
    Ok(())
}

/// Removes a member; `false` when they were not one.
pub fn remove(conn: &Connection, enterprise_id: &str, user_id: &str) -> Result<bool> {
    let n = conn.execute(
        "DELETE FROM enterprise_members WHERE enterprise_id = ?1 AND user_id = ?2",
        params![enterprise_id, user_id],
    )?;
    Ok(n > 0)
}

/// The enterprise's `approvalsRequired`, if the enterprise exists.
pub fn approvals_required(conn: &Connection, enterprise_id: &str) -> Result<Option<u32>> {
    Ok(conn
        .prepare_cached("SELECT approvals_required FROM enterprises WHERE id = ?1")?
        .query_row([enterprise_id], |r| r.get(0))
        .optional()?)
}

/// Sets the enterprise's `approvalsRequired`.
pub fn set_approvals_required(conn: &Connection, enterprise_id: &str, n: u32) -> Result<()> {
    conn.execute(
        "UPDATE enterprises SET approvals_required = ?2 WHERE id = ?1",
        params![enterprise_id, n],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::enterprises::{self, EnterpriseRow};
    use crate::store::testing::temp_store;

    fn user(c: &Connection, id: char, email: &str) {
        users::insert(
            c,
            &UserRow {
                id: id.to_string().repeat(32),
                username: email.into(),
                first_name: "F".into(),
                last_name: "L".into(),
                password_hash: "x".into(),
                country: "USA".into(),
                timezone: "UTC".into(),
                is_active: true,
                created_at: 0,
                last_login_at: None,
            },
        )
        .unwrap();
    }

    #[test]
    fn members_admins_video_approvers_and_the_setting() {
        let (store, _dir) = temp_store();
        let e = "e".repeat(32);
        store
            .write_blocking(|c| -> Result<_> {
                enterprises::insert(
                    c,
                    &EnterpriseRow {
                        id: e.clone(),
                        name: "E".into(),
                        organization_id: None,
                        business_model: "bitgoAsAService".into(),
                        account_type: "entity".into(),
                        kyc_state: "approved".into(),
                        created_at: 0,
                    },
                )?;
                user(c, 'a', "a@x.test");
                user(c, 'b', "b@x.test");
                enterprises::upsert_member(
                    c,
                    &e,
                    &"a".repeat(32),
                    &[EnterprisePermission::Admin],
                    1,
                )?;
                enterprises::upsert_member(
                    c,
                    &e,
                    &"b".repeat(32),
                    &[EnterprisePermission::Auditor],
                    2,
                )?;
                set_video_id_user(c, &e, &"a".repeat(32), true)?;
                assert_eq!(approvals_required(c, &e)?, Some(1));
                set_approvals_required(c, &e, 2)?;
                assert_eq!(approvals_required(c, &e)?, Some(2));
                assert_eq!(admin_ids(c, &e)?, vec!["a".repeat(32)]);
                assert_eq!(video_approver_ids(c, &e)?, vec!["a".repeat(32)]);
                assert_eq!(list(c, &e)?.len(), 2);
                assert!(remove(c, &e, &"b".repeat(32))?);
                assert!(!remove(c, &e, &"b".repeat(32))?);
                assert_eq!(approvals_required(c, &"f".repeat(32))?, None);
                Ok(())
            })
            .unwrap();
    }
}
