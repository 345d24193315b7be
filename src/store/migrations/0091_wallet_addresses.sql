-- Version 91: deposit addresses of Go Accounts (`POST /api/v2/{coin}/wallet/{id}/address`),
-- one asset each; index 0 of every chain is the wallet's own receive address.
CREATE TABLE IF NOT EXISTS wallet_addresses (
    id          TEXT PRIMARY KEY CHECK (length(id) = 32),
    wallet_id   TEXT NOT NULL REFERENCES wallets(id) ON DELETE CASCADE,
    asset       TEXT NOT NULL,
    address     TEXT NOT NULL UNIQUE,
    chain       INTEGER NOT NULL CHECK (chain >= 0),
    idx         INTEGER NOT NULL CHECK (idx >= 1),
    label       TEXT,
    created_by  TEXT,
    created_at  INTEGER NOT NULL,
    UNIQUE (wallet_id, chain, idx)
);
CREATE INDEX IF NOT EXISTS wallet_addresses_by_wallet ON wallet_addresses(wallet_id, created_at);
