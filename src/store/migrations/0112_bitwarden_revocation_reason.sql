-- Why a Bitwarden member was revoked (the server's RevocationReason: 1 Manual,
-- 2 TwoFactorPolicyNonCompliance, 4 SingleOrgPolicyNonCompliance); NULL when not revoked, or
-- revoked before reasons were kept (the server's null for "unknown").
ALTER TABLE bw_memberships ADD COLUMN revocation_reason INTEGER;
