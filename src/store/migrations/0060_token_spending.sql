-- Version 60: what each token has spent, for its spending limit. `tx_value_limit` (from
-- version 1) holds the legacy `txValueLimit` a token was created with, read as USD cents at the
-- sandbox price; `tx_value` is what the token has committed so far in USD cents (BitGo's
-- `unlock.txValue`, counted up over the token's life) and `tx_count` how many transactions.
ALTER TABLE access_tokens ADD COLUMN tx_value INTEGER NOT NULL DEFAULT 0 CHECK (tx_value >= 0);
ALTER TABLE access_tokens ADD COLUMN tx_count INTEGER NOT NULL DEFAULT 0 CHECK (tx_count >= 0);
