//! What every grant of `POST /identity/connect/token` shares: the sandbox, its settings, the
//! JWT key and now, the slow answer to a wrong secret, and the success body of a user grant.

use std::sync::Arc;
use std::time::Duration;

use actix_web::web::Data;
use actix_web::HttpResponse;
use serde_json::{json, Value};

use crate::bitwarden::accounts::Device;
use crate::bitwarden::error::BwResult;
use crate::config::bitwarden::BitwardenConfig;
use crate::request::context::note_issued_to;
use crate::request::state::AppState;
use crate::sandbox::Sandbox;
use crate::service::bitwarden_tokens::{access_token, Issue};
use crate::store::bitwarden::users::BwUser;

/// One token request's context.
pub(super) struct Grant {
    /// Shared state (password workers, trusted proxies).
    pub state: Data<AppState>,
    /// The request's sandbox.
    pub sandbox: Arc<Sandbox>,
    /// The dialect's settings (lifetimes, hashing, the wrong-secret delay).
    pub cfg: BitwardenConfig,
    /// The sandbox's JWT key.
    pub key: Vec<u8>,
    /// The sandbox's now, ms.
    pub now_ms: i64,
}

impl Grant {
    /// The sandbox's now, s.
    pub fn now_s(&self) -> i64 {
        self.now_ms.div_euclid(1000)
    }

    /// Waits as the real server does before it refuses a wrong secret.
    pub async fn wait_after_failure(&self) {
        let delay = Duration::from_millis(self.cfg.failed_secret_delay_ms);
        actix_web::rt::time::sleep(delay).await;
    }

    /// The success answer of a user grant: an access token for `scopes` (and the refresh token
    /// given, if any), which the journal records as that user's request.
    pub async fn user_token(
        &self,
        user: &BwUser,
        client_id: &str,
        device: &Device,
        refresh: Option<&str>,
        scopes: &[&str],
    ) -> BwResult<HttpResponse> {
        let (key, user_row) = (self.key.clone(), user.clone());
        let (client, device, now_s) = (client_id.to_string(), device.clone(), self.now_s());
        let lifetime_s = self.cfg.access_token_seconds;
        let scope_list: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
        let token = self
            .sandbox
            .store
            .read(move |c| {
                let scopes: Vec<&str> = scope_list.iter().map(String::as_str).collect();
                let issue = Issue {
                    client_id: &client,
                    device: Some(&device),
                    now_s,
                    lifetime_s,
                    scopes: &scopes,
                };
                access_token(c, &key, &user_row, &issue)
            })
            .await?;
        let body = user_token_body(user, token, self.cfg.access_token_seconds, refresh, scopes);
        Ok(issued_to(&user.id, body))
    }
}

/// The success body of a user grant, with Bitwarden's PascalCase extras.
fn user_token_body(
    user: &BwUser,
    access_token: String,
    expires_in: i64,
    refresh: Option<&str>,
    scopes: &[&str],
) -> Value {
    let mut body = json!({
        "access_token": access_token,
        "expires_in": expires_in,
        "token_type": "Bearer",
        "scope": scopes.join(" "),
        "PrivateKey": user.private_key,
        "AccountKeys": user.private_key.as_ref().map(|p| json!({
            "publicKeyEncryptionKeyPair": {
                "wrappedPrivateKey": p,
                "publicKey": user.public_key,
                "signedPublicKey": null,
                "object": "publicKeyEncryptionKeyPair",
            },
            "signatureKeyPair": null,
            "securityState": null,
            "object": "privateKeys",
        })),
        "Key": user.user_key,
        "MasterPasswordPolicy": {"Object": "masterPasswordPolicy"},
        "ForcePasswordReset": false,
        // Today's server no longer sends it; older clients read it, and Vaultwarden still sends it.
        "ResetMasterPassword": false,
        "Kdf": user.kdf,
        "KdfIterations": user.kdf_iterations,
        "KdfMemory": user.kdf_memory,
        "KdfParallelism": user.kdf_parallelism,
        "UserDecryptionOptions": {
            "HasMasterPassword": user.master_password_hash.is_some(),
            "MasterPasswordUnlock": user.user_key.as_ref().map(|k| json!({
                "Kdf": {
                    "KdfType": user.kdf,
                    "Iterations": user.kdf_iterations,
                    "Memory": user.kdf_memory,
                    "Parallelism": user.kdf_parallelism,
                },
                "MasterKeyEncryptedUserKey": k,
                "Salt": user.email,
            })),
            "Object": "userDecryptionOptions",
        },
    });
    if let (Some(r), Some(obj)) = (refresh, body.as_object_mut()) {
        obj.insert("refresh_token".into(), json!(r));
    }
    body
}

/// A user's token response, which the journal records as that user's request (it carried no
/// token of its own).
fn issued_to(user_id: &str, body: Value) -> HttpResponse {
    let mut response = HttpResponse::Ok().json(body);
    note_issued_to(&mut response, user_id);
    response
}
