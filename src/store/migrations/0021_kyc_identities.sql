-- Version 21: KYC identities (`/api/evs/v1/identity`) of child enterprises' users. The status
-- moves on the sandbox clock: `initiating` until review_at, `in review` until decision_at,
-- then `outcome` (`approved` or `declined`). `status` is the last status written back (the
-- enterprise's kycState follows it); reads compute the current one from the times.
CREATE TABLE IF NOT EXISTS kyc_identities (
    -- A UUID, as BitGo's identity ids are.
    id                   TEXT PRIMARY KEY CHECK (length(id) = 36),
    organization_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    enterprise_id        TEXT NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
    user_id              TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    transaction_type     TEXT NOT NULL,
    -- Every submitted field, as a JSON object (patches merge into it).
    fields               TEXT NOT NULL CHECK (json_valid(fields)),
    status               TEXT NOT NULL,
    outcome              TEXT NOT NULL CHECK (outcome IN ('approved', 'declined')),
    error_description    TEXT,
    review_at            INTEGER NOT NULL,
    decision_at          INTEGER NOT NULL CHECK (decision_at >= review_at),
    created_by           TEXT REFERENCES users(id),
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS kyc_identities_by_enterprise ON kyc_identities(enterprise_id, created_at);
CREATE INDEX IF NOT EXISTS kyc_identities_pending ON kyc_identities(decision_at)
    WHERE status NOT IN ('approved', 'declined');
