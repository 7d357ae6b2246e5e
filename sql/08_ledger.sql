-- The evidence ledger as users meet it: every change is a row of the application's hash chain,
-- the chain is append-only for everyone, retention redacts without breaking it, seals commit
-- to every chain head, verification reports what it finds.
\set SHOW_CONTEXT never
SET kyc.tenant = 'bank_a';
SET ROLE regress_app;
SELECT id AS retail FROM kyc.application WHERE external_ref = 'retail-001' \gset
SELECT id AS smb FROM kyc.application WHERE external_ref = 'smb-001' \gset

-- every state, gate decision and restriction of retail-001 is a row of its chain, in order; the
-- service does not see the rows of the fraud and AML gates (data classes, docs/security.md), and
-- reads payloads only through kyc.read_evidence (sql/14_evidence_access.sql)
SELECT seq, kind, data_class, actor_role
FROM kyc.evidence WHERE application_id = :'retail' ORDER BY seq;

-- each transition wrote exactly one state_change row: as many as state_version says (as AML,
-- which may read every class: a state change carries the class of its states and reason)
SET ROLE regress_aml;
SELECT a.external_ref, a.state_version,
       (SELECT count(*) FROM kyc.evidence e WHERE e.application_id = a.id
          AND e.kind IN ('application_snapshot', 'state_change')) AS state_rows
FROM kyc.application a ORDER BY a.external_ref;
SET ROLE regress_app;

-- seq is gapless and each row links to the one before (as AML, which may read every class)
SET ROLE regress_aml;
SELECT bool_and(seq = rn) AS gapless,
       bool_and(prev_hash = coalesce(lag_hash, '0000000000000000000000000000000000000000000000000000000000000000'))
           AS linked
FROM (SELECT seq, prev_hash, row_number() OVER (ORDER BY seq) AS rn,
             lag(row_hash) OVER (ORDER BY seq) AS lag_hash
      FROM kyc.evidence WHERE application_id = :'retail') c;
SET ROLE regress_app;

-- the row hash is the documented function of the row (anyone holding the stored columns, such as
-- an auditor with kyc.export_chain, can recompute it)
RESET ROLE;
SELECT bool_and(row_hash = kyc.row_hash_v1(tenant_id, application_id, seq, prev_hash, kind::text, data_class::text,
                                           recorded_at, actor_role, actor_role_oid, actor_principal,
                                           payload_schema_version, payload_digest)) AS row_hashes_recompute,
       bool_and(payload_digest = kyc.payload_digest_v1(payload_salt, payload)) AS digests_recompute
FROM kyc.evidence WHERE application_id = :'retail';
SET ROLE regress_app;

-- no role can write the ledger directly
INSERT INTO kyc.evidence SELECT * FROM kyc.evidence LIMIT 1;
UPDATE kyc.evidence SET data_class = 'customer_safe' WHERE application_id = :'retail';
DELETE FROM kyc.evidence WHERE application_id = :'retail';
TRUNCATE kyc.evidence;
SELECT kyc.append_evidence(:'retail', 'notice', 'customer_safe', '{}');
SELECT kyc.redact_evidence(:'retail', '{1}', 'r', 'b');
SELECT kyc.seal_ledger();

-- not even the owner or a superuser: the triggers refuse for every role
RESET ROLE;
UPDATE kyc.evidence SET data_class = 'customer_safe' WHERE application_id = :'retail' AND seq = 1;
DELETE FROM kyc.evidence WHERE application_id = :'retail' AND seq = 1;
TRUNCATE kyc.evidence;
SELECT count(*) AS retail_rows FROM kyc.evidence WHERE application_id = :'retail';

-- payloads must be JSON objects
SELECT kyc.append_evidence(:'retail', 'notice', 'customer_safe', '[1, 2]');
SELECT kyc.append_evidence(:'retail', 'notice', 'customer_safe', NULL);
SELECT kyc.append_evidence('00000000-0000-0000-0000-000000000000', 'notice', 'customer_safe', '{}');

-- retention: only kyc_admin, only concluded applications, never under legal hold, never the
-- retention records themselves, always with a reason and a legal basis
SET ROLE regress_admin;
SELECT kyc.open_application('open-001', 'individual', 'digital_checking', 'US');
SET ROLE regress_app;
SELECT kyc.open_application('open-001', 'individual', 'digital_checking', 'US') AS open_app \gset
SET ROLE regress_admin;
SELECT kyc.redact_evidence(:'open_app', '{1}', 'retention period ended', 'policy R-7');
SELECT kyc.redact_evidence(:'smb', '{1}', '', 'policy R-7');
SELECT kyc.redact_evidence(:'smb', '{1}', 'retention period ended', NULL);
SELECT kyc.redact_evidence(:'smb', '{1, 99}', 'retention period ended', 'policy R-7');
SELECT kyc.redact_evidence(NULL, '{1}', 'retention period ended', 'policy R-7');
RESET ROLE;
INSERT INTO kyc.legal_hold (tenant_id, application_id, reason, placed_by)
VALUES ('bank_a', :'smb', 'litigation hold 2026-114', 'legal');
SET ROLE regress_admin;
SELECT kyc.redact_evidence(:'smb', '{1}', 'retention period ended', 'policy R-7');
RESET ROLE;
UPDATE kyc.legal_hold SET released_at = now() WHERE application_id = :'smb';
SET ROLE regress_admin;
RESET ROLE;
SELECT count(*) FILTER (WHERE payload IS NULL) AS redacted_before FROM kyc.evidence WHERE application_id = :'smb';
SET ROLE regress_admin;
-- only what a retention rule of the tenant makes due: no rule, no redaction; within the rule's
-- period, none either
SELECT kyc.redact_evidence(:'smb', '{1, 2}', 'retention period ended', 'policy R-7');
SELECT kyc.set_retention('pii', interval '5 years', 'BSA record keeping');
SELECT kyc.set_retention('internal', interval '5 years', 'policy R-7');
SELECT kyc.set_retention('customer_safe', interval '5 years', 'policy R-7');
SELECT kyc.redact_evidence(:'smb', '{1, 2}', 'retention period ended', 'policy R-7');
RESET ROLE;
SELECT count(*) FILTER (WHERE payload IS NULL) AS still_redacted FROM kyc.evidence WHERE application_id = :'smb';
-- six years on (the retention job's entry, which takes the job's now)
SELECT kyc.redact_evidence_as_of(:'smb', '{1, 2}', 'retention period ended', 'policy R-7', now() + interval '6 years') AS redacted;
SELECT kyc.redact_evidence_as_of(:'smb', '{1, 2}', 'retention period ended', 'policy R-7', now() + interval '6 years') AS redacted_again;
SET ROLE regress_admin;
SELECT max(seq) AS retention_seq FROM kyc.evidence WHERE application_id = :'smb' \gset
SELECT kyc.redact_evidence(:'smb', ARRAY[:retention_seq]::bigint[], 'retention period ended', 'policy R-7');
-- (the rows as stored)
RESET ROLE;
SELECT seq, kind, payload IS NULL AS payload_removed, payload_salt IS NULL AS salt_removed,
       payload->>'action' AS action, jsonb_array_length(payload->'redacted') AS rows_named
FROM kyc.evidence WHERE application_id = :'smb' ORDER BY seq;
SET ROLE regress_admin;
-- the chain still verifies: the redacted rows are reported as redacted, not as tampering
SELECT seq, finding, severity FROM kyc.verify_chain(:'smb') ORDER BY seq, finding;

-- sealing: the first seal covers every chain head; a second one with nothing new is skipped
RESET ROLE;
SELECT kyc.seal_ledger('2026-11-22 12:00+00') AS first_seal;
SELECT kyc.seal_ledger('2026-11-22 12:05+00') AS nothing_changed;
SELECT kyc.seal_ledger('2026-11-22 11:00+00') AS before_last_seal;
SELECT seal_id, tree_size = (SELECT count(DISTINCT application_id) FROM kyc.evidence) AS covers_every_chain,
       prev_digest_hash = '0000000000000000000000000000000000000000000000000000000000000000' AS first_link
FROM kyc.ledger_digest;
SELECT finding, severity, count(*) FROM kyc.verify_ledger() GROUP BY 1, 2 ORDER BY 1, 2;

-- new evidence after the seal is reported as unsealed, until the next seal
SET kyc.tenant = 'bank_a';
SET ROLE regress_app;
SELECT kyc.transition(:'open_app', 'abandoned', 'ABANDON.CUSTOMER_LEFT');
RESET ROLE;
SELECT seq, finding, severity, expected, actual FROM kyc.verify_chain(:'open_app');
SELECT kyc.seal_ledger('2026-11-22 12:10+00') AS second_seal;
SELECT seq, finding FROM kyc.verify_chain(:'open_app');
SELECT seal_id, prev_digest_hash = lag(digest_hash) OVER (ORDER BY seal_id) AS linked FROM kyc.ledger_digest ORDER BY seal_id;
SELECT * FROM kyc.verify_summary();

-- the digest to anchor outside the database
SELECT jsonb_object_keys(kyc.export_digest()) ORDER BY 1;
SELECT kyc.export_digest()->>'seal_id' AS seal_id, kyc.export_digest(1)->>'seal_id' AS first;
-- the chain export for the offline verifier carries the seal's inclusion proof
SELECT e->>'format' AS format, jsonb_array_length(e->'rows') AS rows, e->'seal'->>'head_seq' AS sealed_head_seq,
       (e->'seal'->'digest'->>'seal_id') AS seal_id, jsonb_typeof(e->'seal'->'audit_path') AS audit_path
FROM (SELECT kyc.export_chain(:'retail') AS e) x;
SELECT kyc.export_chain('00000000-0000-0000-0000-000000000000');

-- appends rolled back with a savepoint or a transaction leave no trace and no gap
SET kyc.tenant = 'bank_a';
SELECT max(seq) AS before FROM kyc.evidence WHERE application_id = :'open_app';
BEGIN;
SELECT kyc.append_evidence(:'open_app', 'notice', 'customer_safe', '{"n": 1}') AS kept;
SAVEPOINT s;
SELECT kyc.append_evidence(:'open_app', 'notice', 'customer_safe', '{"n": 2}') AS rolled_back;
ROLLBACK TO SAVEPOINT s;
SELECT kyc.append_evidence(:'open_app', 'notice', 'customer_safe', '{"n": 3}') AS takes_its_place;
COMMIT;
BEGIN;
SELECT kyc.append_evidence(:'open_app', 'notice', 'customer_safe', '{"n": 4}') AS rolled_back;
ROLLBACK;
SELECT kyc.append_evidence(:'open_app', 'notice', 'customer_safe', '{"n": 5}') AS takes_its_place;
SELECT seq, payload->>'n' AS n FROM kyc.evidence WHERE application_id = :'open_app' AND kind = 'notice' ORDER BY seq;
SELECT seq, finding, severity FROM kyc.verify_chain(:'open_app') WHERE severity = 'error';

-- the history view reads the chain back
SET ROLE regress_app;
SELECT state_version, from_state, to_state, reason_code FROM kyc.state_history
WHERE application_id = :'retail' ORDER BY state_version;
RESET ROLE;
