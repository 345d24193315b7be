//! Loading what a webhook route is about (a wallet, an enterprise, an organization, or a
//! webhook by id) with the caller's relation to it, and asking `domain::policy` once whether
//! the caller may read or manage its webhooks.

use rusqlite::Connection;

use crate::domain::error::{Error, Result};
use crate::domain::policy::{self, WalletWebhookActor, WebhookAccess};
use crate::domain::role::OrgRole;
use crate::domain::scope::ScopeSet;
use crate::domain::token_rules::TokenKind;
use crate::domain::webhook::Scope;
use crate::service::access::{self, WalletAccess};
use crate::store::enterprises::{self, EnterpriseRow};
use crate::store::organizations::{self, OrganizationRow};
use crate::store::webhooks::{self, WebhookRow};

/// Who calls: their token's scopes and kind, and their user id.
#[derive(Debug, Clone, Copy)]
pub struct Caller<'a> {
    /// The token's scopes.
    pub scopes: &'a ScopeSet,
    /// Login session or long-lived token.
    pub kind: TokenKind,
    /// The user.
    pub user_id: &'a str,
}

/// Wallet `id` (a 404 for strangers, as for a missing wallet), if the caller may `access`
/// its webhooks.
pub fn wallet(
    conn: &Connection,
    c: &Caller<'_>,
    id: &str,
    access: WebhookAccess,
) -> Result<WalletAccess> {
    let a = access::load(conn, id, c.user_id)?;
    policy::may_use_wallet_webhooks(
        &WalletWebhookActor {
            scopes: c.scopes,
            target: crate::domain::scope::WalletTarget {
                wallet_id: &a.wallet.id,
                enterprise_id: &a.enterprise.id,
            },
            wallet: a.wallet_perms.as_deref(),
            enterprise: a.enterprise_perms.as_deref(),
            org_admin_of_child: a.is_child() && a.org_role == Some(OrgRole::Admin),
        },
        access,
    )?;
    Ok(a)
}

/// Enterprise `id`, if the caller may `access` its webhooks.
pub fn enterprise(
    conn: &Connection,
    c: &Caller<'_>,
    id: &str,
    access: WebhookAccess,
) -> Result<EnterpriseRow> {
    let id = id.to_ascii_lowercase();
    let e = enterprises::find_by_id(conn, &id)?
        .ok_or_else(|| Error::NotFound(format!("enterprise {id} not found")))?;
    let membership = enterprises::permissions_of(conn, &e.id, c.user_id)?;
    let org_role = access::org_role_for(conn, &e, c.user_id)?;
    policy::may_use_enterprise_webhooks(
        c.scopes,
        c.kind,
        &e.id,
        membership.as_deref(),
        org_role,
        access,
    )?;
    Ok(e)
}

/// Organization `id`, if the caller may `access` its webhooks.
pub fn organization(
    conn: &Connection,
    c: &Caller<'_>,
    id: &str,
    access: WebhookAccess,
) -> Result<OrganizationRow> {
    let id = id.to_ascii_lowercase();
    let role = organizations::role_of(conn, &id, c.user_id)?;
    policy::may_use_organization_webhooks(c.scopes, c.kind, &id, role, access)?;
    organizations::find_by_id(conn, &id)?
        .ok_or_else(|| Error::NotFound(format!("organization {id} not found")))
}

/// Webhook `id`, whoever owns it, if the caller may `access` its owner's webhooks (anyone else:
/// the 404 of a missing webhook).
pub fn webhook(
    conn: &Connection,
    c: &Caller<'_>,
    id: &str,
    access: WebhookAccess,
) -> Result<WebhookRow> {
    let not_found = || Error::NotFound(format!("webhook {id} not found"));
    let w =
        webhooks::find(conn, &id.replace('-', "").to_ascii_lowercase())?.ok_or_else(not_found)?;
    let scope = Scope::parse(&w.scope)
        .ok_or_else(|| Error::Internal(format!("stored webhook scope {:?}", w.scope)))?;
    match owner(conn, c, scope, &w.owner_id, access) {
        Err(Error::NotFound(_)) => Err(not_found()),
        other => other.map(|_| w),
    }
}

/// The id of `scope`'s owner `id` (a wallet, an enterprise or an organization), if the caller
/// may `access` its webhooks: the one place a route's scope picks its owner's rule.
pub fn owner(
    conn: &Connection,
    c: &Caller<'_>,
    scope: Scope,
    id: &str,
    access: WebhookAccess,
) -> Result<String> {
    Ok(match scope {
        Scope::Wallet => wallet(conn, c, id, access)?.wallet.id,
        Scope::Enterprise => enterprise(conn, c, id, access)?.id,
        Scope::Organization => organization(conn, c, id, access)?.id,
    })
}

/// Webhook `webhook_id` of `scope`'s owner `owner_id`, if the caller may `access` that owner's
/// webhooks; another owner's webhook, or none, is a 404.
pub fn owned_webhook(
    conn: &Connection,
    c: &Caller<'_>,
    scope: Scope,
    owner_id: &str,
    webhook_id: &str,
    access: WebhookAccess,
) -> Result<WebhookRow> {
    let owner_id = owner(conn, c, scope, owner_id, access)?;
    super::register::find_owned(conn, scope, &owner_id, webhook_id)
}
