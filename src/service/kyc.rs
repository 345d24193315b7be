//! KYC identities over time: what the sandbox clock has decided is written back (with the
//! enterprises' `kycState`) before a read shows it, and the control plane can decide one now.

use crate::domain::error::{Error, Result};
use crate::domain::kyc::{self, Outcome};
use crate::store::kyc::{self as identities, IdentityRow};
use crate::store::Store;

/// Writes back the KYC statuses the sandbox clock has moved on by `now_ms` (and the
/// enterprises' `kycState`), so a read sees them. Takes the writer only when something is due.
pub async fn settle(store: &Store, now_ms: i64) -> Result<()> {
    if store
        .read(move |conn| identities::has_due(conn, now_ms))
        .await?
    {
        store
            .write(move |conn| identities::advance_due(conn, now_ms))
            .await?;
    }
    Ok(())
}

/// Decides identity `identity_id` at `now_ms` with `outcome` instead of waiting for the clock;
/// deciding it again the same way changes nothing, the other way is a conflict.
pub fn complete(
    conn: &rusqlite::Connection,
    identity_id: &str,
    outcome: Outcome,
    now_ms: i64,
) -> Result<IdentityRow> {
    let mut identity = identities::find_by_id(conn, identity_id)?
        .ok_or_else(|| Error::NotFound(format!("identity {identity_id} not found")))?;
    let current = identity.schedule.status_at(now_ms);
    if kyc::is_decided(current) {
        if current == outcome.as_str() {
            return Ok(identity);
        }
        return Err(Error::Conflict(format!(
            "identity {identity_id} is already {current}"
        )));
    }
    identity.schedule = identity.schedule.completed(now_ms, outcome);
    identity.updated_at = now_ms;
    identities::update(conn, &identity)?;
    identities::write_status(conn, &identity, now_ms)?;
    identities::find_by_id(conn, identity_id)?
        .ok_or_else(|| Error::Internal("identity vanished".into()))
}
