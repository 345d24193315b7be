-- Bitwarden dialect: its own users, organizations, memberships and keys. A Bitwarden
-- organization is not a BitGo organization; nothing here references the BitGo tables.

-- Per-sandbox secrets of the dialect: the JWT signing key, the license signing key pair,
-- the installation id.
CREATE TABLE bw_settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE bw_users (
    id                   TEXT PRIMARY KEY,            -- lowercase GUID
    email                TEXT NOT NULL UNIQUE,        -- trimmed, lowercased
    name                 TEXT,
    kdf                  INTEGER NOT NULL DEFAULT 0,  -- 0 PBKDF2-SHA256, 1 Argon2id
    kdf_iterations       INTEGER NOT NULL,
    kdf_memory           INTEGER,
    kdf_parallelism      INTEGER,
    master_password_hash TEXT,                        -- server-side PBKDF2 of the client hash
    user_key             TEXT,                        -- "2." user key under the stretched master key
    public_key           TEXT,                        -- base64 SPKI DER
    private_key          TEXT,                        -- "2." PKCS#8 DER under the user key
    security_stamp       TEXT NOT NULL,
    api_key              TEXT NOT NULL,               -- personal API key (client_credentials user.<id>)
    premium              INTEGER NOT NULL DEFAULT 0,
    uses_key_connector   INTEGER NOT NULL DEFAULT 0,
    user_key_id          TEXT,                        -- id the client recorded for its user key
    created_at           INTEGER NOT NULL,
    revision_at          INTEGER NOT NULL
);

CREATE TABLE bw_organizations (
    id                     TEXT PRIMARY KEY,          -- lowercase GUID
    identifier             TEXT UNIQUE,               -- SSO identifier
    name                   TEXT NOT NULL,
    business_name          TEXT,
    billing_email          TEXT NOT NULL,
    plan_type              INTEGER NOT NULL,
    plan_name              TEXT NOT NULL,
    seats                  INTEGER,
    max_collections        INTEGER,
    max_storage_gb         INTEGER,
    storage_bytes          INTEGER NOT NULL DEFAULT 0,
    features               TEXT NOT NULL,             -- JSON of the use* flags
    enabled                INTEGER NOT NULL DEFAULT 1,
    public_key             TEXT,
    private_key            TEXT,
    license_key            TEXT NOT NULL,
    expiration_date        INTEGER,
    key_connector_sso      INTEGER NOT NULL DEFAULT 0, -- SSO config uses Key Connector decryption
    provider_managed       INTEGER NOT NULL DEFAULT 0,
    has_subscription       INTEGER NOT NULL DEFAULT 1,
    created_at             INTEGER NOT NULL,
    revision_at            INTEGER NOT NULL
);

CREATE TABLE bw_memberships (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES bw_organizations(id) ON DELETE CASCADE,
    user_id         TEXT REFERENCES bw_users(id) ON DELETE CASCADE,
    email           TEXT,                                  -- invited address
    type            INTEGER NOT NULL CHECK (type IN (0, 1, 2, 4)),
    status          INTEGER NOT NULL CHECK (status IN (-1, 0, 1, 2)),
    permissions     TEXT,                                  -- JSON, custom roles
    key             TEXT,                                  -- "4." org key for this member
    claimed         INTEGER NOT NULL DEFAULT 0,            -- account claimed by the org
    invite_token    TEXT,
    created_at      INTEGER NOT NULL,
    UNIQUE (organization_id, user_id),
    UNIQUE (organization_id, email)
);
CREATE INDEX bw_memberships_user ON bw_memberships(user_id);

CREATE TABLE bw_org_api_keys (
    organization_id TEXT NOT NULL REFERENCES bw_organizations(id) ON DELETE CASCADE,
    type            INTEGER NOT NULL CHECK (type IN (0, 1, 2)),
    api_key         TEXT NOT NULL,
    revision_at     INTEGER NOT NULL,
    PRIMARY KEY (organization_id, type)
);

CREATE TABLE bw_policies (
    organization_id TEXT NOT NULL REFERENCES bw_organizations(id) ON DELETE CASCADE,
    type            INTEGER NOT NULL,
    enabled         INTEGER NOT NULL,
    data            TEXT,
    PRIMARY KEY (organization_id, type)
);

CREATE TABLE bw_sso_users (
    user_id         TEXT NOT NULL REFERENCES bw_users(id) ON DELETE CASCADE,
    organization_id TEXT NOT NULL,
    external_id     TEXT NOT NULL,
    PRIMARY KEY (user_id, organization_id)
);

CREATE TABLE bw_refresh_tokens (
    token_hash        TEXT PRIMARY KEY,                    -- SHA-256 hex
    user_id           TEXT NOT NULL REFERENCES bw_users(id) ON DELETE CASCADE,
    client_id         TEXT NOT NULL,
    device_identifier TEXT NOT NULL,
    device_type       INTEGER NOT NULL,
    expires_at        INTEGER NOT NULL,
    created_at        INTEGER NOT NULL
);

CREATE TABLE bw_installations (
    id      TEXT PRIMARY KEY,
    enabled INTEGER NOT NULL DEFAULT 1
);
