-- The head of every chain: a convenience, not a trust root (trust comes from seals and anchors).
CREATE VIEW kyc.chain_head WITH (security_invoker = true) AS
SELECT DISTINCT ON (e.application_id) e.tenant_id, e.application_id, e.seq AS head_seq, e.row_hash AS head_hash,
       e.recorded_at
FROM kyc.evidence e
ORDER BY e.application_id, e.seq DESC;
COMMENT ON VIEW kyc.chain_head IS 'the last row of every evidence chain (convenience; seals are the trust root)';
