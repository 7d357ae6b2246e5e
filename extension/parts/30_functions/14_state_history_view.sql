-- The states an application entered, read from its evidence chain (kinds application_snapshot and
-- state_change). Readers may not select evidence payloads (kyc.read_evidence records such reads),
-- but a state change is internal, not restricted: so this view runs with its owner's rights and
-- applies the tenant and data-class rules itself, the same expressions as the row-level security
-- on kyc.evidence. security_barrier keeps a caller's functions from seeing rows before they do.
CREATE VIEW kyc.state_history WITH (security_barrier = true) AS
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
WHERE e.kind OPERATOR(pg_catalog.=) ANY (ARRAY['application_snapshot', 'state_change']::kyc.evidence_kind[])
  AND e.tenant_id OPERATOR(pg_catalog.=) (SELECT kyc.session_tenant())
  AND e.data_class OPERATOR(pg_catalog.=) ANY ((SELECT kyc.readable_classes())::kyc.data_class[]);
COMMENT ON VIEW kyc.state_history IS
    'one row per state an application entered, from its evidence chain (from_state NULL at open)';
