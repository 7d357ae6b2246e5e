-- The tamper matrix of shared/notes/ledger-security.md §3: a superuser tampers the way an insider
-- with full database access would (triggers off through session_replication_role = replica), and
-- verification must name each case at the right row. Legitimate redaction must produce no error.
\i tests/setup.sql
SELECT plan(29);

-- An application with a six-row chain (seq 1..6): snapshot, consent and its gate decision, two
-- states, one gate decision.
CREATE FUNCTION pg_temp.chain(ref text) RETURNS uuid LANGUAGE plpgsql AS $$
DECLARE app uuid := kyc.open_application(ref, 'individual', 'digital_checking', 'US');
BEGIN
    PERFORM kyc.capture_consent(app, 'account_opening', 'disclosures-2026-10', '{"channel": "app"}');
    PERFORM kyc.transition(app, 'consent_captured');
    PERFORM kyc.transition(app, 'identity_proofing_pending');
    PERFORM kyc.set_gate(app, 'identity_proofing', 'review', 'IDV.LIVENESS_FAILED', 'blurred selfie');
    RETURN app;
END $$;

-- The errors verification reports for one chain, as "seq:finding" in order.
CREATE FUNCTION pg_temp.errors(app uuid) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(seq || ':' || finding, ' ' ORDER BY seq, finding), 'none')
    FROM kyc.verify_chain(app) WHERE severity = 'error' $$;

CREATE FUNCTION pg_temp.infos(app uuid) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(seq || ':' || finding, ' ' ORDER BY seq, finding), 'none')
    FROM kyc.verify_chain(app) WHERE severity = 'info' $$;

-- Rewrites a chain from row k on as a careful forger would: recomputed digests, row hashes and links.
CREATE FUNCTION pg_temp.rehash_from(app uuid, k bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE r record; prev kyc.hash256;
BEGIN
    SELECT row_hash INTO prev FROM kyc.evidence WHERE application_id = app AND seq = k - 1;
    FOR r IN SELECT * FROM kyc.evidence WHERE application_id = app AND seq >= k ORDER BY seq LOOP
        UPDATE kyc.evidence e SET
            payload_digest = kyc.payload_digest_v1(r.payload_salt, r.payload),
            prev_hash = prev,
            row_hash = kyc.row_hash_v1(r.tenant_id, r.application_id, r.seq, prev, r.kind::text, r.data_class::text,
                                       r.recorded_at, r.actor_role, r.actor_role_oid, r.actor_principal,
                                       r.payload_schema_version, kyc.payload_digest_v1(r.payload_salt, r.payload))
        WHERE e.application_id = app AND e.seq = r.seq
        RETURNING e.row_hash INTO prev;
    END LOOP;
END $$;

\o /dev/null
SELECT pg_temp.chain('t-' || i) FROM generate_series(1, 16) i;
\o
CREATE TEMP TABLE app AS SELECT external_ref AS ref, id FROM kyc.application WHERE tenant_id = 'tap_bank';
CREATE FUNCTION pg_temp.app(ref text) RETURNS uuid LANGUAGE sql AS $$ SELECT id FROM app WHERE app.ref = $1 $$;

SELECT is((SELECT count(*)::int FROM kyc.verify_ledger() WHERE severity = 'error'), 0, 'an untouched ledger verifies');
SELECT isnt(kyc.seal_ledger(now()), NULL, 'the ledger is sealed before the tampering');

SET LOCAL session_replication_role = replica;

-- 1. header edits: each header field is covered by the row hash
UPDATE kyc.evidence SET kind = 'decision' WHERE application_id = pg_temp.app('t-1') AND seq = 3;
UPDATE kyc.evidence SET data_class = 'customer_safe' WHERE application_id = pg_temp.app('t-2') AND seq = 4;
UPDATE kyc.evidence SET actor_role = 'someone_else' WHERE application_id = pg_temp.app('t-3') AND seq = 2;
UPDATE kyc.evidence SET recorded_at = recorded_at - interval '1 day' WHERE application_id = pg_temp.app('t-4') AND seq = 5;
-- 2. payload edit, digest left alone
UPDATE kyc.evidence SET payload = jsonb_set(payload, '{status}', '"passed"') WHERE application_id = pg_temp.app('t-5') AND seq = 5;
-- 3. payload edit with a recomputed digest, row hash left alone
UPDATE kyc.evidence SET payload = jsonb_set(payload, '{status}', '"passed"'),
       payload_digest = kyc.payload_digest_v1(payload_salt, jsonb_set(payload, '{status}', '"passed"'))
WHERE application_id = pg_temp.app('t-6') AND seq = 5;
-- 4. payload edit and the whole rest of the chain re-hashed: consistent, but not what was sealed
UPDATE kyc.evidence SET payload = jsonb_set(payload, '{status}', '"passed"') WHERE application_id = pg_temp.app('t-7') AND seq = 5;
SELECT pg_temp.rehash_from(pg_temp.app('t-7'), 5);
-- 5. a middle row deleted
DELETE FROM kyc.evidence WHERE application_id = pg_temp.app('t-8') AND seq = 3;
-- 6. the tail deleted (the head is derived, nothing else to fix)
DELETE FROM kyc.evidence WHERE application_id = pg_temp.app('t-9') AND seq = 6;
-- 7. a forged row inserted in the middle, later rows renumbered and re-hashed
UPDATE kyc.evidence SET seq = seq + 100 WHERE application_id = pg_temp.app('t-10') AND seq >= 4;
UPDATE kyc.evidence SET seq = seq - 99 WHERE application_id = pg_temp.app('t-10') AND seq >= 104;
INSERT INTO kyc.evidence SELECT tenant_id, application_id, 4, 'gate_decision', data_class, '{"gate":"fraud","status":"passed"}',
       payload_salt, payload_digest, payload_schema_version, prev_hash, row_hash, hash_version, recorded_at,
       actor_role, actor_role_oid, actor_principal
FROM kyc.evidence WHERE application_id = pg_temp.app('t-10') AND seq = 3;
SELECT pg_temp.rehash_from(pg_temp.app('t-10'), 4);
-- 9. two rows swapped
UPDATE kyc.evidence SET seq = 100 WHERE application_id = pg_temp.app('t-11') AND seq = 3;
UPDATE kyc.evidence SET seq = 3 WHERE application_id = pg_temp.app('t-11') AND seq = 4;
UPDATE kyc.evidence SET seq = 4 WHERE application_id = pg_temp.app('t-11') AND seq = 100;
-- 10. a row moved to another application (the chain id is in the hash)
UPDATE kyc.evidence SET application_id = pg_temp.app('t-13'), seq = 7
WHERE application_id = pg_temp.app('t-12') AND seq = 6;
-- 11. a whole chain dropped, with its application
DELETE FROM kyc.evidence WHERE application_id = pg_temp.app('t-14');
DELETE FROM kyc.application_gate WHERE application_id = pg_temp.app('t-14');
DELETE FROM kyc.application WHERE id = pg_temp.app('t-14');
-- 13. a payload removed without the retention path
UPDATE kyc.evidence SET payload = NULL, payload_salt = NULL WHERE application_id = pg_temp.app('t-15') AND seq = 1;

SET LOCAL session_replication_role = origin;

SELECT is(pg_temp.errors(pg_temp.app('t-1')), '3:row_hash_mismatch', 'kind edited: row hash mismatch at that row');
SELECT is(pg_temp.errors(pg_temp.app('t-2')), '4:row_hash_mismatch', 'data class edited: row hash mismatch');
SELECT is(pg_temp.errors(pg_temp.app('t-3')), '2:row_hash_mismatch', 'actor edited: row hash mismatch');
SELECT is(pg_temp.errors(pg_temp.app('t-4')), '5:row_hash_mismatch', 'recorded_at edited: row hash mismatch');
SELECT is(pg_temp.errors(pg_temp.app('t-5')), '5:payload_digest_mismatch', 'payload edited: payload digest mismatch');
SELECT is(pg_temp.errors(pg_temp.app('t-6')), '5:row_hash_mismatch', 'payload and digest edited: row hash mismatch');
SELECT is(pg_temp.errors(pg_temp.app('t-7')), '6:head_not_extension',
          'payload edited and chain re-hashed: consistent in itself, caught only against the seal');
SELECT is(pg_temp.errors(pg_temp.app('t-8')), '4:prev_hash_mismatch 4:seq_gap', 'middle row deleted: gap and broken link');
SELECT is(pg_temp.errors(pg_temp.app('t-9')), '6:chain_shorter_than_sealed', 'tail deleted: shorter than sealed');
SELECT is(pg_temp.errors(pg_temp.app('t-10')), '6:head_not_extension',
          'row inserted and the rest renumbered and re-hashed: caught against the seal');
SELECT is(pg_temp.errors(pg_temp.app('t-11')), '3:prev_hash_mismatch 3:row_hash_mismatch 4:prev_hash_mismatch 4:row_hash_mismatch 5:prev_hash_mismatch',
          'two rows swapped: broken links and hashes at both and after');
SELECT is(pg_temp.errors(pg_temp.app('t-12')), '6:chain_shorter_than_sealed', 'row moved away: the source chain is short');
SELECT is(pg_temp.errors(pg_temp.app('t-13')), '7:prev_hash_mismatch 7:row_hash_mismatch', 'row moved in: the target chain sees a foreign row');
SELECT is((SELECT string_agg(finding, ' ') FROM kyc.verify_ledger()
           WHERE application_id = (SELECT id FROM app WHERE ref = 't-14')), 'chain_missing', 'chain dropped: missing against the seal');
SELECT is(pg_temp.errors(pg_temp.app('t-15')), '1:unexplained_redaction', 'payload nulled outside retention: unexplained redaction');

-- 8. a forged row appended after the seal with a correct hash: not an error, but not verified by
-- any seal either: reported unsealed, apart from what the seal covers
SET LOCAL session_replication_role = replica;
INSERT INTO kyc.evidence SELECT tenant_id, application_id, 7, 'override', data_class, '{"override":"approve"}',
       payload_salt, kyc.payload_digest_v1(payload_salt, '{"override":"approve"}'), payload_schema_version, row_hash,
       kyc.row_hash_v1(tenant_id, application_id, 7, row_hash, 'override', data_class::text, recorded_at, actor_role,
                       actor_role_oid, actor_principal, payload_schema_version,
                       kyc.payload_digest_v1(payload_salt, '{"override":"approve"}')),
       hash_version, recorded_at, actor_role, actor_role_oid, actor_principal
FROM kyc.evidence WHERE application_id = pg_temp.app('t-16') AND seq = 6;
SET LOCAL session_replication_role = origin;
SELECT is(pg_temp.errors(pg_temp.app('t-16')), 'none', 'forged row appended after the seal: no error ...');
SELECT is(pg_temp.infos(pg_temp.app('t-16')), '7:unsealed', '... but reported as unsealed, beyond what the seal verifies');

-- the sealer refuses to seal over tampering
SELECT throws_ok('SELECT kyc.seal_ledger(now())', 'KY007', NULL, 'sealing refuses a chain that no longer extends its sealed head');

-- 12. the seals themselves: an edited, a deleted seal and an edited sealed head
SET LOCAL session_replication_role = replica;
UPDATE kyc.ledger_digest SET tree_size = tree_size + 1 WHERE seal_id = 1;
SET LOCAL session_replication_role = origin;
SELECT is((SELECT string_agg(seq || ':' || finding, ' ' ORDER BY finding) FROM kyc.verify_ledger() WHERE application_id IS NULL),
          '1:digest_hash_mismatch 1:seal_leaf_count_mismatch', 'seal edited: digest hash and leaf count');
SET LOCAL session_replication_role = replica;
UPDATE kyc.ledger_digest SET tree_size = tree_size - 1 WHERE seal_id = 1;
UPDATE kyc.sealed_head SET head_seq = 5 WHERE application_id = pg_temp.app('t-9');
SET LOCAL session_replication_role = origin;
SELECT is((SELECT string_agg(seq || ':' || finding, ' ' ORDER BY finding) FROM kyc.verify_ledger() WHERE application_id IS NULL),
          '1:merkle_root_mismatch', 'sealed head edited to hide a deleted tail: the Merkle root no longer matches');

-- 13. legitimate redaction: no error, reported as redacted
SET LOCAL session_replication_role = replica;
UPDATE kyc.sealed_head SET head_seq = 6 WHERE application_id = pg_temp.app('t-9');
SET LOCAL session_replication_role = origin;
CREATE TEMP TABLE clean AS SELECT pg_temp.chain('t-clean') AS id;
\o /dev/null
SELECT kyc.transition(id, 'abandoned', 'ABANDON.CUSTOMER_LEFT') FROM clean;
-- (redaction follows the tenant's retention rules: a rule per class, two years on)
SELECT kyc.set_retention(c, interval '1 year', 'policy R-7') FROM unnest(enum_range(NULL::kyc.data_class)) c;
SELECT kyc.redact_evidence_as_of(id, '{1, 5}', 'retention period ended', 'policy R-7', now() + interval '2 years') FROM clean;
\o
SELECT is(pg_temp.errors((SELECT id FROM clean)), 'none', 'legitimate redaction: no error');
SELECT is(pg_temp.infos((SELECT id FROM clean)), '1:redacted 1:unsealed 5:redacted', 'legitimate redaction: reported as redacted');

-- The whole-ledger check reads the heap in physical order (rows moved by the tampering and the
-- redaction above arrive out of seq order); it must find exactly what the chain-by-chain walk in
-- primary key order finds, for every chain.
SELECT bag_eq(
    'SELECT tenant_id, application_id, seq, finding, severity, expected, actual FROM kyc.verify_ledger()
     WHERE application_id IS NOT NULL',
    'SELECT f.* FROM (SELECT application_id FROM kyc.evidence UNION SELECT application_id FROM kyc.sealed_head) a,
            LATERAL kyc.verify_chain(a.application_id) f',
    'verify_ledger finds, chain by chain, exactly what verify_chain finds');

-- 15. a seq held twice, which takes dropping the primary key: the scan checks that chain again,
-- its rows in seq order, and names the second copy
SELECT pg_temp.chain('t-dup') IS NOT NULL AS made \gset
ALTER TABLE kyc.evidence DROP CONSTRAINT evidence_pkey;
INSERT INTO kyc.evidence SELECT * FROM kyc.evidence WHERE application_id = (SELECT id FROM kyc.application WHERE external_ref = 't-dup') AND seq = 3;
SELECT is((SELECT string_agg(seq || ':' || finding, ' ' ORDER BY seq, finding) FROM kyc.verify_ledger()
           WHERE application_id = (SELECT id FROM kyc.application WHERE external_ref = 't-dup') AND severity = 'error'),
          '3:prev_hash_mismatch 3:seq_gap', 'a seq held twice: the second copy breaks the chain');
SELECT is((SELECT count(*)::int FROM kyc.verify_ledger()
           WHERE application_id = (SELECT id FROM kyc.application WHERE external_ref = 't-clean') AND severity = 'error'),
          0, '... and the other chains are still checked as before');

-- 14. UPDATE, DELETE, TRUNCATE refused for the owner and superuser too, with nothing changed
SELECT throws_ok('UPDATE kyc.evidence SET data_class = ''internal''', '42501', NULL, 'UPDATE refused for a superuser');
SELECT throws_ok('DELETE FROM kyc.evidence', '42501', NULL, 'DELETE refused for a superuser');

SELECT * FROM finish();
ROLLBACK;
