-- Version 42: wallet policy rules on withdrawals. `scope` is `wallet:<walletId>` for a rule
-- on one wallet, or `organization:<organizationId>` for a rule on every wallet of the
-- organization's child enterprises. `condition` is the stored form (limit and window, or the
-- whitelist's items).
CREATE TABLE IF NOT EXISTS wallet_policy_rules (
    scope       TEXT NOT NULL,
    rule_id     TEXT NOT NULL CHECK (length(rule_id) BETWEEN 1 AND 128),
    coin        TEXT,
    type        TEXT NOT NULL CHECK (type IN ('velocityLimit', 'advancedWhitelist')),
    action      TEXT NOT NULL CHECK (action IN ('deny', 'getApproval')),
    condition   TEXT NOT NULL CHECK (json_valid(condition)),
    created_by  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (scope, rule_id)
);
