-- The states an application entered, read from its evidence chain (kinds application_snapshot and
-- state_change). Readers may not select evidence payloads (kyc.read_evidence records such reads),
-- so this view runs with its owner's rights (row-level security filters the owner by tenant only)
-- and applies the tenant and data-class rules itself. Every state change is listed; a value the
-- caller may not read is replaced as docs/security.md says ("What each role sees of AML and fraud
-- facts"): a state of a class it may not read is NULL, a reason 'REASON.WITHHELD', and the note
-- and the actor (who moved it reveals which team) NULL unless it may read the whole row: the class
-- it was recorded with and, for rows recorded before 0.3.0, those of its states and reason.
-- security_barrier keeps a caller's functions from seeing rows before they do.
CREATE VIEW kyc.state_history WITH (security_barrier = true) AS
SELECT e.tenant_id,
       e.application_id,
       (e.payload OPERATOR(pg_catalog.->>) 'state_version')::integer AS state_version,
       CASE WHEN kyc.state_class(f.from_state) OPERATOR(pg_catalog.=) ANY (r.classes) THEN f.from_state END AS from_state,
       CASE WHEN kyc.state_class(f.to_state) OPERATOR(pg_catalog.=) ANY (r.classes) THEN f.to_state END AS to_state,
       CASE WHEN f.reason_code IS NULL OR kyc.reason_class(f.reason_code) OPERATOR(pg_catalog.=) ANY (r.classes)
            THEN f.reason_code ELSE 'REASON.WITHHELD' END AS reason_code,
       CASE WHEN f.shown THEN e.payload OPERATOR(pg_catalog.->>) 'note' END AS note,
       CASE WHEN f.shown THEN e.actor_role END AS actor_role,
       CASE WHEN f.shown THEN e.actor_role_oid END AS actor_role_oid,
       CASE WHEN f.shown THEN e.actor_principal END AS actor_principal,
       e.recorded_at AS changed_at,
       e.seq AS evidence_seq
FROM kyc.evidence e
CROSS JOIN (SELECT kyc.readable_classes() AS classes) r
CROSS JOIN LATERAL (
    SELECT s.from_state, s.to_state, s.reason_code,
           GREATEST(e.data_class, kyc.state_class(s.from_state), kyc.state_class(s.to_state),
                               kyc.reason_class(s.reason_code)) OPERATOR(pg_catalog.=) ANY (r.classes) AS shown
    FROM (SELECT (e.payload OPERATOR(pg_catalog.->>) 'from_state')::kyc.state AS from_state,
                 (e.payload OPERATOR(pg_catalog.->>) 'to_state')::kyc.state AS to_state,
                 e.payload OPERATOR(pg_catalog.->>) 'reason_code' AS reason_code) s
) f
WHERE e.kind OPERATOR(pg_catalog.=) ANY (ARRAY['application_snapshot', 'state_change']::kyc.evidence_kind[])
  AND e.tenant_id OPERATOR(pg_catalog.=) (SELECT kyc.session_tenant())
  AND (e.kind OPERATOR(pg_catalog.=) 'state_change'::kyc.evidence_kind
       OR e.data_class OPERATOR(pg_catalog.=) ANY (r.classes));
COMMENT ON VIEW kyc.state_history IS
    'one row per state an application entered, from its evidence chain (from_state NULL at open); values the caller may not read are neutral';

-- Every application of the tenant with its state, reason and note as the caller may read them
-- (only AML selects those columns of kyc.application): the state NULL when it is one the caller
-- may not read (AML review), a reason of a class it may not read 'REASON.WITHHELD', the note NULL
-- unless it may read the class of the last move (kyc.application.state_class). Owner's rights,
-- like kyc.state_history.
CREATE VIEW kyc.application_status WITH (security_barrier = true) AS
SELECT a.tenant_id, a.id, a.external_ref, a.applicant_kind, a.product, a.jurisdiction, a.channel, a.segment,
       CASE WHEN kyc.state_class(a.state) OPERATOR(pg_catalog.=) ANY (r.classes) THEN a.state END AS state,
       a.state_version,
       CASE WHEN a.state_reason IS NULL OR kyc.reason_class(a.state_reason) OPERATOR(pg_catalog.=) ANY (r.classes)
            THEN a.state_reason ELSE 'REASON.WITHHELD' END AS state_reason,
       CASE WHEN a.state_class OPERATOR(pg_catalog.=) ANY (r.classes) THEN a.state_note END AS state_note,
       a.state_changed_at, a.created_at, a.updated_at, a.policy_id, a.opened_at
FROM kyc.application a
CROSS JOIN (SELECT kyc.readable_classes() AS classes) r
WHERE a.tenant_id OPERATOR(pg_catalog.=) (SELECT kyc.session_tenant());
COMMENT ON VIEW kyc.application_status IS
    'every application of the tenant, with neutral values in place of a state, reason or note the caller may not read';

-- Every restriction of the tenant; when its reason is of a class the caller may not read, the
-- reason reads 'REASON.WITHHELD' and who imposed or lifted it and the lift note are NULL (the
-- name of an AML analyst tells as much as the reason). The kind and lift condition stay: the
-- service enforces them.
CREATE VIEW kyc.restriction_status WITH (security_barrier = true) AS
SELECT x.tenant_id, x.id, x.application_id, x.kind,
       CASE WHEN c.shown THEN x.reason_code ELSE 'REASON.WITHHELD' END AS reason_code,
       x.lift_condition,
       CASE WHEN c.shown THEN x.imposed_by END AS imposed_by,
       x.imposed_at, x.lifted_at,
       CASE WHEN c.shown THEN x.lifted_by END AS lifted_by,
       CASE WHEN c.shown THEN x.lift_note END AS lift_note
FROM kyc.restriction x
CROSS JOIN LATERAL (SELECT kyc.reason_class(x.reason_code) OPERATOR(pg_catalog.=) ANY ((SELECT kyc.readable_classes())::kyc.data_class[]) AS shown) c
WHERE x.tenant_id OPERATOR(pg_catalog.=) (SELECT kyc.session_tenant());
COMMENT ON VIEW kyc.restriction_status IS
    'every restriction of the tenant, with its reason and the people behind it withheld when the caller may not read the reason''s class';
