//! How a caller relates to an organization's collections: which it manages (as a confirmed
//! member, directly or through a group), which nobody manages, and so whether
//! `domain::bitwarden::collections` lets it act on a set of them.

use std::collections::{BTreeMap, HashSet};

use rusqlite::Connection;

use crate::bitwarden::call::Caller;
use crate::domain::bitwarden::collections::{self as rules, Operation, Targets, DEFAULT_SETTINGS};
use crate::domain::bitwarden::policy::Membership;
use crate::domain::bitwarden::role::MemberStatus;
use crate::domain::error::Result;
use crate::store::bitwarden::collections::{self, Access};
use crate::store::bitwarden::members;

/// The caller's reach in one organization.
pub struct Reach {
    /// Its role, as its token's claims state it.
    pub membership: Option<Membership>,
    /// What it may do with each collection it reaches, by id (confirmed members only).
    pub reach: BTreeMap<String, Access>,
    /// The organization's collections nobody manages.
    pub orphaned: HashSet<String>,
}

impl Reach {
    /// Reads the caller's reach in `org_id`.
    pub fn load(conn: &Connection, org_id: &str, caller: &Caller) -> Result<Reach> {
        let row = match &caller.user_id {
            Some(uid) => members::find_for_user(conn, org_id, uid)?,
            None => None,
        };
        let reach = match row.filter(|m| m.status == MemberStatus::Confirmed) {
            Some(m) => collections::reach_of_member(conn, &m.id)?,
            None => BTreeMap::new(),
        };
        Ok(Reach {
            membership: caller.membership(org_id),
            reach,
            orphaned: collections::orphaned(conn, org_id)?,
        })
    }

    /// Whether the caller manages collection `id`.
    pub fn manages(&self, id: &str) -> bool {
        self.reach.get(id).is_some_and(|a| a.manage)
    }

    /// Whether it manages at least one collection.
    pub fn manages_any(&self) -> bool {
        self.reach.values().any(|a| a.manage)
    }

    /// The rule's view of the targets `ids`.
    pub fn targets(&self, ids: &[&str]) -> Targets {
        Targets {
            all_managed: ids.iter().all(|id| self.manages(id)),
            all_managed_or_orphaned: ids
                .iter()
                .all(|id| self.manages(id) || self.orphaned.contains(*id)),
        }
    }

    /// Whether the caller may do `op` on the collections `ids`.
    pub fn allows(&self, op: Operation, ids: &[&str]) -> bool {
        !ids.is_empty()
            && rules::allows(
                self.membership.as_ref(),
                DEFAULT_SETTINGS,
                op,
                self.targets(ids),
            )
    }
}

/// Whether every id of `list` is a collection of `org_id`.
pub fn all_in_org(conn: &Connection, org_id: &str, list: &[Access]) -> Result<bool> {
    for a in list {
        if collections::find(conn, org_id, &a.id)?.is_none() {
            return Ok(false);
        }
    }
    Ok(true)
}
