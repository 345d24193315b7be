//! The notification store's own tests: a webhook hears of an event once, and in event order.

use super::*;
use crate::store::testing::temp_store;
use crate::store::webhooks::{insert as insert_webhook, WebhookRow};

fn webhook(id: &str) -> WebhookRow {
    WebhookRow {
        id: id.repeat(32),
        scope: "wallet".into(),
        owner_id: "w".repeat(32),
        enterprise_id: None,
        organization_id: None,
        coin: Some("ofc".into()),
        webhook_type: "transfer".into(),
        url: format!("http://127.0.0.1:9/{id}"),
        label: None,
        num_confirmations: 0,
        confirm_delay_ms: 0,
        all_token: true,
        listen_to_failure_states: false,
        custom_headers: None,
        created_by: "u".repeat(32),
        created_at: 0,
        last_attempt_at: None,
        failing_since: None,
        successive_failed_attempts: 0,
    }
}

fn note(id: char, webhook: &str, key: &str, at: i64) -> NewNotification {
    NewNotification {
        id: id.to_string().repeat(32),
        webhook_id: webhook.repeat(32),
        webhook_type: "transfer".into(),
        event_key: key.into(),
        payload: format!("{{\"k\":\"{key}\"}}"),
        event_at: at,
        created_at: 0,
        ..NewNotification::default()
    }
}

#[test]
fn a_webhook_hears_of_an_event_once_and_in_event_order() {
    let (store, _dir) = temp_store();
    store
        .write_blocking(|c| -> Result<()> {
            insert_webhook(c, &webhook("a"))?;
            assert!(insert(c, &note('1', "a", "t:1:confirmed", 60))?);
            assert!(insert(c, &note('2', "a", "t:2:unconfirmed", 5))?);
            // The same state change again writes nothing.
            assert!(!insert(c, &note('3', "a", "t:1:confirmed", 60))?);
            assert_eq!(webhooks_with_pending(c)?, ["a".repeat(32)]);
            let head = head_of(c, &"a".repeat(32))?.unwrap();
            assert_eq!(head.id, "2".repeat(32), "the earlier event goes first");
            let attempt = AttemptRow {
                attempt: 1,
                at: 5,
                status: Some(500),
                latency_ms: 3,
                response: Some("oops".into()),
                error: Some("answered 500".into()),
            };
            assert!(record_attempt(
                c,
                head.seq,
                &head.id,
                "sig",
                &attempt,
                &Outcome::RetryAt(35)
            )?);
            let again = head_of(c, &"a".repeat(32))?.unwrap();
            assert_eq!(
                (again.id.as_str(), again.next_attempt_at),
                (head.id.as_str(), 35)
            );
            assert_eq!(again.signature.as_deref(), Some("sig"));
            let second = AttemptRow {
                attempt: 2,
                at: 35,
                status: Some(200),
                ..attempt
            };
            assert!(record_attempt(
                c,
                head.seq,
                &head.id,
                "other",
                &second,
                &Outcome::Processed
            )?);
            assert_eq!(
                find(c, &head.id)?.unwrap().signature.as_deref(),
                Some("sig")
            );
            assert_eq!(attempts(c, head.seq)?.len(), 2);
            // A notification that is no longer pending (or gone) takes no attempt.
            assert!(!record_attempt(
                c,
                head.seq,
                &head.id,
                "x",
                &second,
                &Outcome::Processed
            )?);
            assert_eq!(head_of(c, &"a".repeat(32))?.unwrap().id, "1".repeat(32));
            Ok(())
        })
        .unwrap();
}
