//! `POST /api/v2/{coin}/wallet/{walletId}/share {user, permission}`: a wallet admin makes a
//! user a wallet user with `admin`, `spend` and/or `view`. The sandbox accepts the share at
//! once (BitGo's recipient accepts it with `POST /api/v2/{coin}/walletshare/{id}`); the reply
//! is the share, in state `accepted`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};

use crate::bitgo::call::Authed;
use crate::bitgo::error::BitgoError;
use crate::bitgo::wallets::{ofc_coin, path_param};
use crate::domain::error::Error;
use crate::domain::ids::new_id;
use crate::domain::money::WalletPermission;
use crate::domain::policy;
use crate::domain::scope::Scope;
use crate::request::json::string_field;
use crate::service::access;
use crate::store::{users, wallets};

/// `POST /api/v2/{coin}/wallet/{walletId}/share`.
pub async fn share_wallet(authed: Authed, req: HttpRequest) -> Result<HttpResponse, BitgoError> {
    policy::require_any_scope(
        &authed.principal.token.scope,
        &[
            Scope::WalletManageAll,
            Scope::WalletManageEnterprise,
            Scope::WalletManage,
            Scope::WalletEditAll,
        ],
    )?;
    let coin = ofc_coin(&req)?;
    let wallet_id = path_param(&req, "walletId")?;
    let body: Map<String, Value> = authed.call.json()?;
    let target = string_field(body.get("user"), "user")?
        .or(string_field(body.get("email"), "email")?)
        .ok_or_else(|| Error::Invalid("user is required (a user id or email)".into()))?
        .to_string();
    let permission = string_field(body.get("permission"), "permission")?
        .or(string_field(body.get("permissions"), "permissions")?)
        .ok_or_else(|| Error::Invalid("permission is required, e.g. \"spend,view\"".into()))?
        .to_string();
    let permissions = WalletPermission::parse_list(&permission)?;
    let (user, scopes, now) = (
        authed.principal.user_id().to_string(),
        authed.principal.token.scope.clone(),
        authed.now_ms(),
    );
    let doc = authed
        .call
        .sandbox
        .store
        .write(move |c| {
            let a = access::load_visible(c, &wallet_id, &user, &scopes)?;
            if !a
                .wallet_perms
                .as_deref()
                .is_some_and(|p| p.contains(&WalletPermission::Admin))
            {
                return Err(Error::Forbidden(
                    "only wallet admins may share the wallet".into(),
                ));
            }
            let to = match users::find_by_id(c, &target.to_ascii_lowercase())? {
                Some(u) => u,
                None => users::find_by_username(c, &target.to_lowercase())?
                    .ok_or_else(|| Error::NotFound(format!("user {target} not found")))?,
            };
            policy::may_grant_wallet_permissions(
                access::org_role_for(c, &a.enterprise, &to.id)?,
                &permissions,
            )?;
            wallets::set_user(c, &a.wallet.id, &to.id, &permissions, now)?;
            let names: Vec<&str> = permissions.iter().map(|p| p.as_str()).collect();
            Ok(json!({
                "id": new_id(now),
                "coin": coin,
                "wallet": a.wallet.id,
                "walletLabel": a.wallet.label,
                "fromUser": user,
                "toUser": to.id,
                "permissions": names.join(","),
                "state": "accepted",
                "enterprise": a.enterprise.id,
            }))
        })
        .await?;
    authed.reply(StatusCode::OK, &doc)
}
