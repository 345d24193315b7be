-- Version 70: Bitwarden refresh tokens rotate on every use. Each belongs to the family of
-- one login (family_id: the hash of the login's first token); a used one is kept, marked
-- consumed_at, until its family expires, so that presenting it again is recognised as a
-- replay and revokes the whole family.
ALTER TABLE bw_refresh_tokens ADD COLUMN family_id TEXT;
ALTER TABLE bw_refresh_tokens ADD COLUMN consumed_at INTEGER;
UPDATE bw_refresh_tokens SET family_id = token_hash WHERE family_id IS NULL;
CREATE INDEX bw_refresh_tokens_by_family ON bw_refresh_tokens(family_id);
