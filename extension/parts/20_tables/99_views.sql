-- The states an application entered, read from its evidence chain (kinds application_snapshot and
-- state_change). Runs with the reader's rights, so row-level security on kyc.evidence applies.
CREATE VIEW kyc.state_history WITH (security_invoker = true, security_barrier = true) AS
SELECT e.tenant_id,
       e.application_id,
       (e.payload OPERATOR(pg_catalog.->>) 'state_version')::integer AS state_version,
       (e.payload OPERATOR(pg_catalog.->>) 'from_state')::kyc.state AS from_state,
       (e.payload OPERATOR(pg_catalog.->>) 'to_state')::kyc.state AS to_state,
       e.payload OPERATOR(pg_catalog.->>) 'reason_code' AS reason_code,
       e.payload OPERATOR(pg_catalog.->>) 'note' AS note,
       e.actor_role,
       e.actor_role_oid,
       e.actor_principal,
       e.recorded_at AS changed_at,
       e.seq AS evidence_seq
FROM kyc.evidence e
WHERE e.kind OPERATOR(pg_catalog.=) ANY (ARRAY['application_snapshot', 'state_change']::kyc.evidence_kind[]);
COMMENT ON VIEW kyc.state_history IS
    'one row per state an application entered, from its evidence chain (from_state NULL at open)';

-- The head of every chain: a convenience, not a trust root (trust comes from seals and anchors).
CREATE VIEW kyc.chain_head WITH (security_invoker = true) AS
SELECT DISTINCT ON (e.application_id) e.tenant_id, e.application_id, e.seq AS head_seq, e.row_hash AS head_hash,
       e.recorded_at
FROM kyc.evidence e
ORDER BY e.application_id, e.seq DESC;
COMMENT ON VIEW kyc.chain_head IS 'the last row of every evidence chain (convenience; seals are the trust root)';
