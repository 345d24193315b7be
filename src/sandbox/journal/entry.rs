//! One journal entry and the limits a journal keeps to.

use serde::Serialize;

use super::kept::{KeptBody, KeptHeaders};

/// One recorded request.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JournalEntry {
    /// Position in this sandbox's journal, from 1; never reused.
    pub seq: u64,
    /// When it arrived (real clock, ms since the epoch).
    pub at_ms: i64,
    /// HTTP method.
    pub method: String,
    /// The path within the sandbox (without the `/s/{name}` prefix), no query.
    pub path: String,
    /// The query string, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// Response status.
    pub status: u16,
    /// Time to the response head, microseconds.
    pub latency_us: u64,
    /// The id of the token that authenticated it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_id: Option<String>,
    /// The id of the user it authenticated as.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// For a refusal: the rule's name (BitGo's error `name`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused_by: Option<String>,
    /// For a refusal: the reason given to the client.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The fault rule that answered it instead of the handler, if one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault: Option<u64>,
    /// The sandbox stub that answered it (an operation orgbox does not serve), if one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stub: Option<String>,
    /// The request's headers as sent, shown with secret ones redacted.
    #[serde(skip_serializing_if = "KeptHeaders::is_empty")]
    pub request_headers: KeptHeaders,
    /// The request's body, shown with secrets redacted, cut to the per-entry cap.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_body: Option<KeptBody>,
    /// The response's body, shown with secrets redacted, cut to the per-entry cap.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_body: Option<KeptBody>,
    /// For a webhook delivery orgbox made (method POST, `path` the webhook's URL, `status` 0
    /// when nothing answered): which notification, which attempt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook: Option<WebhookNote>,
}

/// What the journal notes of a webhook delivery attempt.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookNote {
    /// The webhook.
    pub webhook_id: String,
    /// The notification delivered.
    pub notification_id: String,
    /// Its type.
    pub webhook_type: String,
    /// Which attempt (1 for the first).
    pub attempt: i64,
    /// What went wrong, if anything did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl JournalEntry {
    /// About how many bytes the entry holds in memory.
    pub fn weight(&self) -> usize {
        let strings = [
            Some(&self.method),
            Some(&self.path),
            self.query.as_ref(),
            self.token_id.as_ref(),
            self.user_id.as_ref(),
            self.refused_by.as_ref(),
            self.reason.as_ref(),
            self.stub.as_ref(),
        ];
        let bodies = [&self.request_body, &self.response_body]
            .into_iter()
            .flatten()
            .map(KeptBody::weight)
            .sum::<usize>();
        let webhook = self.webhook.as_ref().map_or(0, |w| {
            std::mem::size_of::<WebhookNote>()
                + w.webhook_id.capacity()
                + w.notification_id.capacity()
                + w.webhook_type.capacity()
                + w.error.as_ref().map_or(0, String::capacity)
        });
        let headers = self.request_headers.weight();
        std::mem::size_of::<JournalEntry>()
            + strings
                .iter()
                .flatten()
                .map(|s| s.capacity())
                .sum::<usize>()
            + headers
            + bodies
            + webhook
    }
}

/// How much a journal keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JournalLimits {
    /// Most entries (0: records nothing).
    pub capacity: usize,
    /// Most bytes of each body kept (0: no bodies).
    pub body_bytes: usize,
    /// Most bytes all entries hold together (oldest dropped past it).
    pub memory_bytes: usize,
}

impl JournalLimits {
    /// The limits `[sandbox]` sets.
    pub fn of(config: &crate::config::SandboxConfig) -> JournalLimits {
        JournalLimits {
            capacity: config.journal_capacity,
            body_bytes: config.journal_body_bytes,
            memory_bytes: config.journal_memory_bytes,
        }
    }
}

impl Default for JournalLimits {
    fn default() -> Self {
        JournalLimits::of(&crate::config::SandboxConfig::default())
    }
}
