-- Evidence access is itself evidence: payloads are read only through kyc.read_evidence, for a
-- stated purpose, and reading personal, fraud-sensitive or SAR-restricted rows appends an
-- evidence_access row carrying the most restricted class it revealed.
\set SHOW_CONTEXT never
SET kyc.tenant = 'dec_bank';
SELECT id AS app FROM kyc.application WHERE external_ref = 'sanctions' \gset
CREATE FUNCTION pg_temp.accesses(app uuid) RETURNS TABLE (seq bigint, data_class kyc.data_class, actor_role name, purpose text, seqs jsonb)
LANGUAGE sql AS $$
    SELECT e.seq, e.data_class, e.actor_role, e.payload->>'purpose', e.payload->'seqs'
    FROM kyc.evidence e WHERE e.application_id = app AND e.kind = 'evidence_access' ORDER BY e.seq
$$;

-- no role selects payloads directly; the other columns stay readable
SET ROLE regress_reviewer;
SELECT payload FROM kyc.evidence WHERE application_id = :'app';
SELECT count(*) > 0 AS rows_readable FROM kyc.evidence WHERE application_id = :'app';

-- a purpose is required; nothing is written without one
SELECT count(*) FROM kyc.read_evidence(:'app', '');
SELECT count(*) FROM kyc.read_evidence(:'app', NULL);
SELECT count(*) FROM kyc.read_evidence(:'app', repeat('x', 201));
SELECT count(*) FROM kyc.read_evidence('00000000-0000-0000-0000-000000000000', 'case 7');
RESET ROLE;
-- nothing was written: the one access row is sql/11's read of this application's notices
SELECT count(*) AS access_rows FROM pg_temp.accesses(:'app');

-- a reviewer's read: what it may read, and one access row for the personal data among it
SET ROLE regress_reviewer;
SELECT data_class, count(*) FROM kyc.read_evidence(:'app', 'KYC case 7: CIP mismatch review') GROUP BY 1 ORDER BY 1;
RESET ROLE;
SELECT data_class, actor_role, purpose, jsonb_array_length(seqs) > 0 AS lists_rows FROM pg_temp.accesses(:'app');

-- reading only internal rows is not recorded
SET ROLE regress_reviewer;
SELECT min(seq) AS internal_seq FROM kyc.evidence WHERE application_id = :'app' AND data_class = 'internal' \gset
SELECT kind, data_class FROM kyc.read_evidence(:'app', 'KYC case 7', ARRAY[:internal_seq]::bigint[]);
RESET ROLE;
SELECT count(*) AS access_rows FROM pg_temp.accesses(:'app');

-- AML's read reveals SAR-restricted rows, so its access row is SAR-restricted: the reviewer cannot
-- see that it happened
SET ROLE regress_aml;
SELECT data_class, count(*) FROM kyc.read_evidence(:'app', 'AML case 12: sanctions alert') GROUP BY 1 ORDER BY 1;
RESET ROLE;
SELECT data_class, actor_role, purpose FROM pg_temp.accesses(:'app');
SET ROLE regress_reviewer;
SELECT data_class, count(*) FROM kyc.evidence WHERE application_id = :'app' AND kind = 'evidence_access' GROUP BY 1;

-- customer service reads no evidence at all
SET ROLE regress_cx;
SELECT count(*) FROM kyc.read_evidence(:'app', 'customer called');
RESET ROLE;

-- the access rows are chain rows like any other: the chain still verifies, and the state history
-- (read from payloads by its own view) is still there for the reviewer
SELECT count(*) AS findings FROM kyc.verify_chain(:'app') WHERE severity = 'error';
SET ROLE regress_reviewer;
SELECT count(*) > 0 AS history_visible FROM kyc.state_history WHERE application_id = :'app';
RESET ROLE;
