-- Version 10: enterprise users and pending approvals.
-- How many distinct admins must approve a change before it applies (BitGo's approvalsRequired).
ALTER TABLE enterprises ADD COLUMN approvals_required INTEGER NOT NULL DEFAULT 1
    CHECK (approvals_required >= 1);
-- Whether the member is one of the enterprise's video approvers (BitGo's videoIdUser).
ALTER TABLE enterprise_members ADD COLUMN video_id_user INTEGER NOT NULL DEFAULT 0
    CHECK (video_id_user IN (0, 1));

-- A change waiting for other admins. `kind` is info.type (updateEnterpriseRequest,
-- updateApprovalsRequiredRequest, later transactionRequest, ...); `info` is the public wire
-- object; `change` is what applying it does (internal JSON, read back by the engine).
CREATE TABLE IF NOT EXISTS pending_approvals (
    id                 TEXT PRIMARY KEY CHECK (length(id) = 32),
    enterprise_id      TEXT REFERENCES enterprises(id) ON DELETE CASCADE,
    organization_id    TEXT REFERENCES organizations(id) ON DELETE CASCADE,
    wallet_id          TEXT,
    coin               TEXT,
    creator_id         TEXT NOT NULL REFERENCES users(id),
    scope              TEXT NOT NULL
                       CHECK (scope IN ('enterprise', 'wallet', 'organization', 'global', 'safe')),
    kind               TEXT NOT NULL,
    info               TEXT NOT NULL CHECK (json_valid(info)),
    change             TEXT NOT NULL CHECK (json_valid(change)),
    state              TEXT NOT NULL,
    approvals_required INTEGER NOT NULL CHECK (approvals_required >= 1),
    -- JSON array of the user ids who see it (the enterprise's admins when it was made).
    user_ids           TEXT NOT NULL CHECK (json_valid(user_ids) AND json_type(user_ids) = 'array'),
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    resolved_at        INTEGER
);
CREATE INDEX IF NOT EXISTS pending_approvals_by_enterprise
    ON pending_approvals(enterprise_id, created_at);
CREATE INDEX IF NOT EXISTS pending_approvals_by_time ON pending_approvals(created_at, id);

-- Each admin's approval or rejection; one per user per approval, so approvers are distinct.
CREATE TABLE IF NOT EXISTS pending_approval_resolutions (
    approval_id  TEXT NOT NULL REFERENCES pending_approvals(id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL REFERENCES users(id),
    action       TEXT NOT NULL CHECK (action IN ('approve', 'reject')),
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (approval_id, user_id)
);
