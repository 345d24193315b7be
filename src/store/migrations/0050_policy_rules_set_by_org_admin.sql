-- Version 50: whether an organization admin set (or last changed) a wallet policy rule; such a
-- rule answers only to organization admins, never to the wallet admins it constrains. An
-- organization's own rules are theirs by nature; an existing wallet rule counts as set by an
-- organization admin when its creator administers the organization of the wallet's child
-- enterprise (organization admins set policy on child enterprises only).
ALTER TABLE wallet_policy_rules ADD COLUMN set_by_org_admin INTEGER NOT NULL DEFAULT 0
    CHECK (set_by_org_admin IN (0, 1));
UPDATE wallet_policy_rules SET set_by_org_admin = 1
 WHERE scope LIKE 'organization:%'
    OR EXISTS (SELECT 1 FROM wallets w
               JOIN enterprises e ON e.id = w.enterprise_id
               JOIN organization_members m ON m.organization_id = e.organization_id
               WHERE wallet_policy_rules.scope = 'wallet:' || w.id
                 AND e.business_model = 'cryptoAsAServiceChild'
                 AND m.user_id = wallet_policy_rules.created_by AND m.role = 'admin');
