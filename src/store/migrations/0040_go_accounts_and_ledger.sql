-- Version 40: Go Accounts (wallet type `trading`, coin `ofc`), their keys and users, the
-- ledger every balance is derived from, withdrawal builds and transfers, and asset prices.
CREATE TABLE IF NOT EXISTS wallet_keys (
    id                   TEXT PRIMARY KEY CHECK (length(id) = 32),
    coin                 TEXT NOT NULL,
    user_id              TEXT NOT NULL REFERENCES users(id),
    pub                  TEXT NOT NULL,
    encrypted_prv        TEXT,
    source               TEXT NOT NULL,
    key_type             TEXT NOT NULL,
    original_passcode_encryption_code TEXT,
    created_at           INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS wallets (
    id             TEXT PRIMARY KEY CHECK (length(id) = 32),
    coin           TEXT NOT NULL,
    type           TEXT NOT NULL,
    label          TEXT NOT NULL,
    enterprise_id  TEXT NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
    user_key_id    TEXT NOT NULL REFERENCES wallet_keys(id),
    created_by     TEXT NOT NULL REFERENCES users(id),
    created_at     INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS wallets_by_enterprise ON wallets(enterprise_id, created_at);

-- permissions: JSON array of admin|spend|view.
CREATE TABLE IF NOT EXISTS wallet_users (
    wallet_id    TEXT NOT NULL REFERENCES wallets(id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL REFERENCES users(id),
    permissions  TEXT NOT NULL CHECK (json_valid(permissions)),
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (wallet_id, user_id)
);

-- The ledger: every movement of money is one row; balances are derived from it.
CREATE TABLE IF NOT EXISTS ledger_entries (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    wallet_id   TEXT NOT NULL REFERENCES wallets(id) ON DELETE CASCADE,
    asset       TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('credit', 'debit', 'hold', 'release', 'settle')),
    amount      INTEGER NOT NULL CHECK (amount > 0),
    reference   TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS ledger_by_wallet ON ledger_entries(wallet_id, asset, seq);

-- The running sums of the ledger, written in the same transaction as each row; the CHECKs
-- make an overdraft impossible even if a code path forgot to ask.
CREATE TABLE IF NOT EXISTS wallet_balances (
    wallet_id  TEXT NOT NULL REFERENCES wallets(id) ON DELETE CASCADE,
    asset      TEXT NOT NULL,
    available  INTEGER NOT NULL CHECK (available >= 0),
    held       INTEGER NOT NULL CHECK (held >= 0),
    PRIMARY KEY (wallet_id, asset)
);

-- A built withdrawal: the exact payload the client must sign and send, once, before expiry.
CREATE TABLE IF NOT EXISTS tx_builds (
    nonce       TEXT PRIMARY KEY,
    wallet_id   TEXT NOT NULL REFERENCES wallets(id) ON DELETE CASCADE,
    asset       TEXT NOT NULL,
    amount      INTEGER NOT NULL CHECK (amount > 0),
    address     TEXT NOT NULL,
    payload     TEXT NOT NULL,
    created_by  TEXT NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    sent_at     INTEGER
);

CREATE TABLE IF NOT EXISTS transfers (
    id                   TEXT PRIMARY KEY CHECK (length(id) = 32),
    wallet_id            TEXT NOT NULL REFERENCES wallets(id) ON DELETE CASCADE,
    enterprise_id        TEXT NOT NULL,
    asset                TEXT NOT NULL,
    direction            TEXT NOT NULL CHECK (direction IN ('send', 'receive')),
    amount               INTEGER NOT NULL CHECK (amount > 0),
    address              TEXT NOT NULL,
    transaction_type     TEXT NOT NULL,
    state                TEXT NOT NULL,
    settle_at            INTEGER,
    pending_approval_id  TEXT,
    created_by           TEXT,
    txid                 TEXT NOT NULL,
    created_at           INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS transfers_by_wallet ON transfers(wallet_id, created_at);
CREATE INDEX IF NOT EXISTS transfers_by_enterprise ON transfers(enterprise_id, created_at);

-- USD price per whole unit, in cents, set through the control plane (config.toml otherwise).
CREATE TABLE IF NOT EXISTS asset_prices (
    asset        TEXT PRIMARY KEY,
    price_cents  INTEGER NOT NULL CHECK (price_cents > 0),
    updated_at   INTEGER NOT NULL
);
