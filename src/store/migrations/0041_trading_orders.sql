-- Version 41: Go Account trading orders and their fills. A resting (open) funded order holds
-- its funds in the ledger (hold rows referencing the order id) until filled or cancelled.
CREATE TABLE IF NOT EXISTS trade_orders (
    id                 TEXT PRIMARY KEY CHECK (length(id) = 36),
    account_id         TEXT NOT NULL REFERENCES wallets(id) ON DELETE CASCADE,
    enterprise_id      TEXT NOT NULL,
    user_id            TEXT NOT NULL,
    client_order_id    TEXT NOT NULL,
    product            TEXT NOT NULL,
    side               TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
    type               TEXT NOT NULL CHECK (type IN ('market', 'limit')),
    quantity           TEXT NOT NULL,
    quantity_currency  TEXT NOT NULL,
    -- Base units of the base asset the order is for.
    base_quantity      INTEGER NOT NULL CHECK (base_quantity > 0),
    limit_price_cents  INTEGER,
    status             TEXT NOT NULL,
    hold_asset         TEXT,
    hold_amount        INTEGER NOT NULL DEFAULT 0 CHECK (hold_amount >= 0),
    filled_quantity    INTEGER NOT NULL DEFAULT 0,
    filled_quote       INTEGER NOT NULL DEFAULT 0,
    canceled_by        TEXT,
    created_at         INTEGER NOT NULL,
    completed_at       INTEGER,
    UNIQUE (account_id, client_order_id)
);
CREATE INDEX IF NOT EXISTS trade_orders_by_account ON trade_orders(account_id, created_at);
CREATE INDEX IF NOT EXISTS trade_orders_open ON trade_orders(product, status);

CREATE TABLE IF NOT EXISTS trade_fills (
    id             TEXT PRIMARY KEY CHECK (length(id) = 36),
    order_id       TEXT NOT NULL REFERENCES trade_orders(id) ON DELETE CASCADE,
    account_id     TEXT NOT NULL,
    enterprise_id  TEXT NOT NULL,
    product        TEXT NOT NULL,
    side           TEXT NOT NULL,
    price_cents    INTEGER NOT NULL,
    quantity       INTEGER NOT NULL,
    quote_quantity INTEGER NOT NULL,
    created_at     INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS trade_fills_by_account ON trade_fills(account_id, created_at);
