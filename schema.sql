-- orgbox store: one SQLite file per sandbox. Applied at start inside one transaction;
-- PRAGMA user_version records the version: this file is version 1; later versions are the
-- ordered migrations in src/store/migrations/. Times are integer milliseconds since the
-- Unix epoch, read from the sandbox clock. Ids are 32 lowercase hex characters.

CREATE TABLE IF NOT EXISTS users (
    id              TEXT PRIMARY KEY CHECK (length(id) = 32),
    -- The login email, stored lowercased; BitGo calls it the username.
    username        TEXT NOT NULL UNIQUE CHECK (username = lower(username)),
    first_name      TEXT NOT NULL,
    last_name       TEXT NOT NULL,
    -- PBKDF2 over the SDK form of the password (HMAC-SHA256 keyed by the email).
    password_hash   TEXT NOT NULL,
    country         TEXT NOT NULL DEFAULT 'USA',
    timezone        TEXT NOT NULL DEFAULT 'America/New_York',
    is_active       INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    created_at      INTEGER NOT NULL,
    last_login_at   INTEGER
);

CREATE TABLE IF NOT EXISTS organizations (
    id              TEXT PRIMARY KEY CHECK (length(id) = 32),
    name            TEXT NOT NULL,
    created_at      INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS enterprises (
    id              TEXT PRIMARY KEY CHECK (length(id) = 32),
    name            TEXT NOT NULL,
    organization_id TEXT REFERENCES organizations(id),
    -- BitGo's businessModel: the organization's own enterprise is the CaaS parent.
    business_model  TEXT NOT NULL DEFAULT 'cryptoAsAServiceParent'
                    CHECK (business_model IN ('bitgoAsAService', 'cryptoAsAServiceParent', 'cryptoAsAServiceChild')),
    account_type    TEXT NOT NULL DEFAULT 'entity' CHECK (account_type IN ('individual', 'entity')),
    kyc_state       TEXT NOT NULL DEFAULT 'approved',
    created_at      INTEGER NOT NULL,
    -- Enterprise and organization ids always differ (BitGo's rule).
    CHECK (organization_id IS NULL OR organization_id <> id)
);
CREATE INDEX IF NOT EXISTS enterprises_by_organization ON enterprises(organization_id);

-- A user's membership of an enterprise, with its permissions as a JSON array of
-- 'admin' | 'auditor' | 'wallet.create' | 'member'.
CREATE TABLE IF NOT EXISTS enterprise_members (
    enterprise_id   TEXT NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    permissions     TEXT NOT NULL CHECK (json_valid(permissions) AND json_type(permissions) = 'array'),
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (enterprise_id, user_id)
);
CREATE INDEX IF NOT EXISTS enterprise_members_by_user ON enterprise_members(user_id);

CREATE TABLE IF NOT EXISTS organization_members (
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role            TEXT NOT NULL CHECK (role IN ('serviceUser', 'admin', 'member', 'customer')),
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX IF NOT EXISTS organization_members_by_user ON organization_members(user_id);

-- Every bearer token: login sessions (kind 'login', short-lived, no label) and long-lived
-- access tokens (kind 'api'). The raw token is never stored: token_hash is its SHA-256
-- (what a signed request sends as bearer) and sealed_token is the raw value sealed with
-- the server key kept outside this file, needed only as the HMAC key of signed requests.
CREATE TABLE IF NOT EXISTS access_tokens (
    id                TEXT PRIMARY KEY CHECK (length(id) = 32),
    token_hash        TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    sealed_token      BLOB NOT NULL,
    user_id           TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind              TEXT NOT NULL CHECK (kind IN ('login', 'api')),
    label             TEXT CHECK (kind = 'login' OR length(label) > 0),
    -- Space-separated scope names.
    scope             TEXT NOT NULL,
    -- JSON array of IPs and CIDRs allowed to use the token; NULL means any address.
    ip_restrict       TEXT CHECK (ip_restrict IS NULL OR json_valid(ip_restrict)),
    created_ip        TEXT,
    enterprise_id     TEXT REFERENCES enterprises(id),
    is_extensible     INTEGER NOT NULL DEFAULT 0 CHECK (is_extensible IN (0, 1)),
    -- Legacy per-token spending limit, in base units, as sent.
    tx_value_limit    INTEGER,
    created_at        INTEGER NOT NULL,
    expires_at        INTEGER NOT NULL CHECK (expires_at >= created_at),
    -- Set by logout and delete; a revoked token never authenticates again.
    revoked_at        INTEGER,
    -- The session is unlocked (OTP given) from unlocked_at until unlock_expires_at.
    unlocked_at       INTEGER,
    unlock_expires_at INTEGER
);
CREATE INDEX IF NOT EXISTS access_tokens_by_user ON access_tokens(user_id, id);
