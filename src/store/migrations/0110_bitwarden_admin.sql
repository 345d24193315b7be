-- Version 110: what a Bitwarden organization admin manages beyond its members' roles:
-- collections (with member and group access), groups, policies with ids and dates, the
-- organization event log, and the member fields the server keeps (account recovery key,
-- external id, the status a revoked member returns to, revision date).

ALTER TABLE bw_memberships ADD COLUMN reset_password_key TEXT;
ALTER TABLE bw_memberships ADD COLUMN external_id TEXT;
ALTER TABLE bw_memberships ADD COLUMN access_secrets_manager INTEGER NOT NULL DEFAULT 0;
-- The status a revoked member is restored to (the server's StatusNew); NULL while active.
ALTER TABLE bw_memberships ADD COLUMN prior_status INTEGER;
ALTER TABLE bw_memberships ADD COLUMN revision_at INTEGER;
UPDATE bw_memberships SET revision_at = created_at WHERE revision_at IS NULL;

-- A user with two-step login on (what the TwoFactorAuthentication policy asks of members).
ALTER TABLE bw_users ADD COLUMN two_factor_enabled INTEGER NOT NULL DEFAULT 0;

-- Seat autoscaling: its ceiling, and whether the owners were told it happened.
ALTER TABLE bw_organizations ADD COLUMN max_autoscale_seats INTEGER;
ALTER TABLE bw_organizations ADD COLUMN owners_notified_of_autoscaling INTEGER;

-- Policies get the id and dates the server's models carry.
ALTER TABLE bw_policies ADD COLUMN id TEXT;
ALTER TABLE bw_policies ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE bw_policies ADD COLUMN revision_at INTEGER NOT NULL DEFAULT 0;
UPDATE bw_policies SET id = lower(
    hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-a'
    || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))) WHERE id IS NULL;
CREATE UNIQUE INDEX bw_policies_by_id ON bw_policies(id);

CREATE TABLE bw_collections (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES bw_organizations(id) ON DELETE CASCADE,
    name            TEXT NOT NULL,                 -- EncString under the organization key
    external_id     TEXT,
    type            INTEGER NOT NULL DEFAULT 0,    -- 0 shared, 1 default user collection
    created_at      INTEGER NOT NULL,
    revision_at     INTEGER NOT NULL
);
CREATE INDEX bw_collections_by_org ON bw_collections(organization_id);

CREATE TABLE bw_groups (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES bw_organizations(id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    external_id     TEXT,
    created_at      INTEGER NOT NULL,
    revision_at     INTEGER NOT NULL
);
CREATE INDEX bw_groups_by_org ON bw_groups(organization_id);

CREATE TABLE bw_collection_users (
    collection_id  TEXT NOT NULL REFERENCES bw_collections(id) ON DELETE CASCADE,
    member_id      TEXT NOT NULL REFERENCES bw_memberships(id) ON DELETE CASCADE,
    read_only      INTEGER NOT NULL DEFAULT 0,
    hide_passwords INTEGER NOT NULL DEFAULT 0,
    manage         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (collection_id, member_id)
);
CREATE INDEX bw_collection_users_by_member ON bw_collection_users(member_id);

CREATE TABLE bw_collection_groups (
    collection_id  TEXT NOT NULL REFERENCES bw_collections(id) ON DELETE CASCADE,
    group_id       TEXT NOT NULL REFERENCES bw_groups(id) ON DELETE CASCADE,
    read_only      INTEGER NOT NULL DEFAULT 0,
    hide_passwords INTEGER NOT NULL DEFAULT 0,
    manage         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (collection_id, group_id)
);
CREATE INDEX bw_collection_groups_by_group ON bw_collection_groups(group_id);

CREATE TABLE bw_group_users (
    group_id  TEXT NOT NULL REFERENCES bw_groups(id) ON DELETE CASCADE,
    member_id TEXT NOT NULL REFERENCES bw_memberships(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, member_id)
);
CREATE INDEX bw_group_users_by_member ON bw_group_users(member_id);

-- The organization event log (EventType numbers as the server's), dated on the sandbox clock.
CREATE TABLE bw_events (
    seq                  INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id      TEXT NOT NULL,
    type                 INTEGER NOT NULL,
    user_id              TEXT,
    organization_user_id TEXT,
    collection_id        TEXT,
    group_id             TEXT,
    policy_id            TEXT,
    acting_user_id       TEXT,
    device_type          INTEGER,
    ip_address           TEXT,
    system_user          INTEGER,
    date                 INTEGER NOT NULL
);
CREATE INDEX bw_events_by_org ON bw_events(organization_id, date);
