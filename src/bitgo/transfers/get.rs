//! One transfer of a wallet, by its id or by its transaction id (BitGo's `transferId` is
//! either): the SDK's `wallet.getTransfer({id})`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};

use crate::bitgo::call::Authed;
use crate::bitgo::error::BitgoError;
use crate::bitgo::transfers::list::transfer_json;
use crate::bitgo::wallets::{ofc_coin, path_param};
use crate::domain::error::Error;
use crate::service::access;
use crate::store::transfers;

/// `GET /api/v2/{coin}/wallet/{walletId}/transfer/{transferId}`: the transfer, for whoever
/// may see the wallet; under an asset's coin, only a transfer of that asset.
pub async fn get_transfer(authed: Authed, req: HttpRequest) -> Result<HttpResponse, BitgoError> {
    let coin = ofc_coin(&req)?;
    let wallet_id = path_param(&req, "id")?;
    let given = path_param(&req, "transferId")?;
    let scopes = authed.principal.token.scope.clone();
    let user = authed.principal.user_id().to_string();
    let t = authed
        .call
        .sandbox
        .store
        .read(move |c| {
            let a = access::load_visible(c, &wallet_id, &user, &scopes)?;
            let by_id = transfers::find(c, &given.to_ascii_lowercase())?
                .filter(|t| t.wallet_id == a.wallet.id);
            let found = match by_id {
                Some(t) => Some(t),
                None => transfers::find_by_txid(c, &a.wallet.id, &given)?,
            };
            found
                .filter(|t| coin == "ofc" || t.asset == coin)
                .ok_or_else(|| Error::NotFound(format!("transfer {given} not found")))
        })
        .await?;
    authed.reply(StatusCode::OK, &transfer_json(&t, authed.now_ms()))
}
