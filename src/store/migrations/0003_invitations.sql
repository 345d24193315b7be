-- Version 3: invitations. Adding an email that has no account creates the user at once
-- (so memberships can point at it) with no usable password, and an invitation whose
-- accept link lets the invitee set one. Only the SHA-256 of the invitation token is kept.
CREATE TABLE IF NOT EXISTS invitations (
    id              TEXT PRIMARY KEY CHECK (length(id) = 32),
    user_id         TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash      TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    -- What the invitation is to (either may be NULL).
    enterprise_id   TEXT REFERENCES enterprises(id) ON DELETE CASCADE,
    organization_id TEXT REFERENCES organizations(id) ON DELETE CASCADE,
    invited_by      TEXT REFERENCES users(id),
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    accepted_at     INTEGER
);
CREATE INDEX IF NOT EXISTS invitations_by_user ON invitations(user_id);
