-- Version 90: webhooks (BitGo's wallet, enterprise and organization webhooks), the secrets
-- that sign their deliveries, and the notifications waiting for or done with delivery.

-- A registered webhook. `owner_id` is the wallet, enterprise or organization id its `scope`
-- names; `enterprise_id` / `organization_id` say whose secret signs its deliveries.
CREATE TABLE IF NOT EXISTS webhooks (
    id                        TEXT PRIMARY KEY CHECK (length(id) = 32),
    scope                     TEXT NOT NULL CHECK (scope IN ('wallet', 'enterprise', 'organization')),
    owner_id                  TEXT NOT NULL CHECK (length(owner_id) = 32),
    enterprise_id             TEXT,
    organization_id           TEXT,
    coin                      TEXT,
    type                      TEXT NOT NULL,
    url                       TEXT NOT NULL CHECK (length(url) <= 2048),
    label                     TEXT,
    num_confirmations         INTEGER NOT NULL DEFAULT 0 CHECK (num_confirmations >= 0),
    -- How long after a transfer's first confirmation this webhook hears it is confirmed:
    -- numConfirmations - 1 blocks, at the block time configured when it was added.
    confirm_delay_ms          INTEGER NOT NULL DEFAULT 0 CHECK (confirm_delay_ms >= 0),
    all_token                 INTEGER NOT NULL DEFAULT 0 CHECK (all_token IN (0, 1)),
    listen_to_failure_states  INTEGER NOT NULL DEFAULT 0 CHECK (listen_to_failure_states IN (0, 1)),
    -- JSON object of header name -> value sent with every delivery, or NULL.
    custom_headers            TEXT CHECK (custom_headers IS NULL OR json_valid(custom_headers)),
    created_by                TEXT NOT NULL,
    created_at                INTEGER NOT NULL,
    last_attempt_at           INTEGER,
    failing_since             INTEGER,
    successive_failed_attempts INTEGER NOT NULL DEFAULT 0,
    UNIQUE (scope, owner_id, type, url)
);
CREATE INDEX IF NOT EXISTS webhooks_by_owner ON webhooks(owner_id, type);

-- The webhook secret of an enterprise or organization, sealed with the server key; the
-- newest one signs.
CREATE TABLE IF NOT EXISTS webhook_secrets (
    owner_id      TEXT PRIMARY KEY CHECK (length(owner_id) = 32),
    scope         TEXT NOT NULL CHECK (scope IN ('enterprise', 'organization')),
    sealed_secret BLOB NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);

-- One notification to one webhook: written in the same transaction as the state change it
-- reports (so it exists exactly once iff the change committed), delivered by the worker
-- pool when `event_at` and `next_attempt_at` have passed on the sandbox clock, in the order
-- of (event_at, seq) per webhook.
CREATE TABLE IF NOT EXISTS webhook_notifications (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    id                TEXT NOT NULL UNIQUE CHECK (length(id) = 32),
    webhook_id        TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    type              TEXT NOT NULL,
    -- The state change it reports (`transfer:<id>:confirmed`): one notification per webhook.
    event_key         TEXT NOT NULL,
    wallet_id         TEXT,
    enterprise_id     TEXT,
    organization_id   TEXT,
    coin              TEXT,
    transfer_id       TEXT,
    pending_approval_id TEXT,
    hash              TEXT,
    -- The exact body delivered.
    payload           TEXT NOT NULL,
    -- HMAC-SHA256 hex of the body, fixed at the first attempt ('' when there was no secret);
    -- every retry and retrigger sends it unchanged.
    signature         TEXT,
    simulation        INTEGER NOT NULL DEFAULT 0 CHECK (simulation IN (0, 1)),
    retrigger_of      TEXT,
    state             TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'processed', 'failed')),
    event_at          INTEGER NOT NULL,
    next_attempt_at   INTEGER NOT NULL,
    attempts          INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS webhook_notifications_once
    ON webhook_notifications(webhook_id, event_key) WHERE simulation = 0 AND retrigger_of IS NULL;
CREATE INDEX IF NOT EXISTS webhook_notifications_pending
    ON webhook_notifications(webhook_id, event_at, seq) WHERE state = 'pending';
CREATE INDEX IF NOT EXISTS webhook_notifications_by_webhook ON webhook_notifications(webhook_id, seq);
CREATE INDEX IF NOT EXISTS webhook_notifications_by_wallet ON webhook_notifications(wallet_id, seq);

-- Every delivery attempt: when (sandbox clock), the status (NULL: no answer), how long it
-- took, the start of the answer, and what went wrong.
CREATE TABLE IF NOT EXISTS webhook_attempts (
    notification_seq INTEGER NOT NULL REFERENCES webhook_notifications(seq) ON DELETE CASCADE,
    attempt          INTEGER NOT NULL,
    at               INTEGER NOT NULL,
    status           INTEGER,
    latency_ms       INTEGER NOT NULL,
    response         TEXT,
    error            TEXT,
    PRIMARY KEY (notification_seq, attempt)
);
