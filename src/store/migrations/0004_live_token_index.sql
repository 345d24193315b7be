-- Version 4: an index of each user's unrevoked long-lived tokens by expiry, so the cap on
-- live tokens per user is counted from the live ones only, not from every token ever made.
CREATE INDEX IF NOT EXISTS access_tokens_live_api
    ON access_tokens(user_id, expires_at) WHERE kind = 'api' AND revoked_at IS NULL;
