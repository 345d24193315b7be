-- Version 20: child enterprises of an organization. The idempotency keys of
-- `POST /api/v2/organization/{id}/enterprise`: one row per (organization, key), holding a
-- digest of the request's canonical body and the ids it created, so a repeat returns the
-- same ids and the same key with another body is a conflict.
CREATE TABLE IF NOT EXISTS idempotency_keys (
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    idempotency_key TEXT NOT NULL CHECK (length(idempotency_key) > 0),
    -- SHA-256 (hex) of the canonical request body.
    body_digest     TEXT NOT NULL CHECK (length(body_digest) = 64),
    enterprise_id   TEXT NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_by      TEXT REFERENCES users(id),
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (organization_id, idempotency_key)
);

-- The `thirdPartyIdentifier` list a child enterprise was created with (JSON array of
-- {id, label}), and its primary contact (the end user the enterprise was created for).
ALTER TABLE enterprises ADD COLUMN third_party_identifiers TEXT
    CHECK (third_party_identifiers IS NULL OR json_valid(third_party_identifiers));
ALTER TABLE enterprises ADD COLUMN primary_contact_id TEXT REFERENCES users(id);

-- One service user per organization (the rule lives in domain/organization.rs; this backs it).
CREATE UNIQUE INDEX IF NOT EXISTS organization_members_one_service_user
    ON organization_members(organization_id) WHERE role = 'serviceUser';
