-- Version 2: the sandbox outbox. Mail orgbox would have sent (invitations, notifications,
-- OTPs), kept here instead; nothing is ever sent anywhere. Shared by every dialect.
CREATE TABLE IF NOT EXISTS outbox (
    id          TEXT PRIMARY KEY CHECK (length(id) = 32),
    -- Which dialect or subsystem wrote it: 'bitgo', 'bitwarden', 'sandbox'.
    source      TEXT NOT NULL,
    -- What it is: 'invitation', 'notification', 'otp', ...
    kind        TEXT NOT NULL,
    -- Lowercased recipient address.
    recipient   TEXT NOT NULL CHECK (recipient = lower(recipient)),
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    -- A link the recipient would follow (an invitation's accept link), if any.
    link        TEXT,
    created_at  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_by_recipient ON outbox(recipient, created_at);
CREATE INDEX IF NOT EXISTS outbox_by_time ON outbox(created_at);
