//! `orgbox webhooks ...`: the CLI mirror of the control plane's webhook tools, against a
//! running server only (deliveries and capture inboxes live in its memory): `trigger` fires a
//! realistic event end to end (`POST /sandbox/webhooks/trigger`), `inbox NAME` prints what a
//! capture inbox received (`--clear` empties it), `inboxes` lists them.

use clap::Subcommand;
use serde_json::{json, Map, Value};

use crate::cli::Target;

/// `webhooks trigger|inbox|inboxes`.
#[derive(Debug, Subcommand)]
pub enum WebhooksAction {
    /// Fire an event of TYPE to the webhooks of a wallet, an enterprise or an organization.
    Trigger {
        /// The webhook type, e.g. transfer, pendingapproval, accessToken.
        #[arg(long = "type")]
        webhook_type: String,
        /// The wallet (for wallet types).
        #[arg(long)]
        wallet: Option<String>,
        /// The enterprise (for enterprise types).
        #[arg(long)]
        enterprise: Option<String>,
        /// The organization (for organization types).
        #[arg(long)]
        organization: Option<String>,
        /// The asset of a triggered transfer or address (default ofctbtc).
        #[arg(long)]
        asset: Option<String>,
        /// The amount of a triggered transfer, in base units.
        #[arg(long)]
        amount: Option<String>,
        /// Which sandbox, where.
        #[command(flatten)]
        target: Target,
    },
    /// Print the deliveries capture inbox NAME received (`/sandbox/webhooks/inbox/NAME`).
    Inbox {
        /// The inbox.
        name: String,
        /// Empty it instead.
        #[arg(long)]
        clear: bool,
        /// Which sandbox, where.
        #[command(flatten)]
        target: Target,
    },
    /// List the capture inboxes.
    Inboxes {
        /// Which sandbox, where.
        #[command(flatten)]
        target: Target,
    },
}

/// What the server is asked: (target, method, path, JSON body).
pub fn request(action: WebhooksAction) -> (Target, &'static str, String, Vec<u8>) {
    match action {
        WebhooksAction::Trigger {
            webhook_type,
            wallet,
            enterprise,
            organization,
            asset,
            amount,
            target,
        } => {
            let mut body = Map::new();
            body.insert("type".into(), json!(webhook_type));
            let optional = [
                ("walletId", wallet),
                ("enterpriseId", enterprise),
                ("organizationId", organization),
                ("asset", asset),
                ("amount", amount),
            ];
            for (key, value) in optional {
                if let Some(v) = value {
                    body.insert(key.into(), json!(v));
                }
            }
            let bytes = Value::Object(body).to_string().into_bytes();
            (target, "POST", "/sandbox/webhooks/trigger".into(), bytes)
        }
        WebhooksAction::Inbox {
            name,
            clear,
            target,
        } => {
            let method = if clear { "DELETE" } else { "GET" };
            (
                target,
                method,
                format!("/sandbox/webhooks/inbox/{name}"),
                Vec::new(),
            )
        }
        WebhooksAction::Inboxes { target } => {
            (target, "GET", "/sandbox/webhooks/inbox".into(), Vec::new())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target() -> Target {
        Target {
            url: Some("http://127.0.0.1:1".into()),
            sandbox: None,
            admin_key: None,
        }
    }

    #[test]
    fn a_trigger_sends_only_what_was_given() {
        let (_, method, path, body) = request(WebhooksAction::Trigger {
            webhook_type: "transfer".into(),
            wallet: Some("w".into()),
            enterprise: None,
            organization: None,
            asset: None,
            amount: Some("25".into()),
            target: target(),
        });
        assert_eq!(
            (method, path.as_str()),
            ("POST", "/sandbox/webhooks/trigger")
        );
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            body,
            json!({"type": "transfer", "walletId": "w", "amount": "25"})
        );
    }
}
