-- kyc.decision_inputs() (src/decision_inputs.c builds it from index scans) against its reference
-- definition, the SQL query below, text for text: every application of the fixture, as of
-- several times, including signals that tie on received_at, arrive later than as_of, carry reason
-- codes, model, score and expiry; manual and policy gates; requests for information; the gate
-- catalog; an application without gates or signals.
\i tests/setup.sql
SELECT plan(4 * 4 + 6);

CREATE FUNCTION pg_temp.reference_inputs(app uuid, as_of timestamptz) RETURNS jsonb
LANGUAGE sql STABLE AS $$
SELECT pg_catalog.jsonb_build_object(
    'as_of_us', (EXTRACT(epoch FROM as_of) * 1000000)::bigint,
    'application', pg_catalog.jsonb_build_object('applicant_kind', a.applicant_kind, 'product', a.product,
                                                 'jurisdiction', a.jurisdiction, 'channel', a.channel,
                                                 'segment', a.segment, 'state', a.state),
    'gates', (SELECT pg_catalog.jsonb_object_agg(g.gate, pg_catalog.jsonb_build_object(
                  'status', g.status, 'reason_code', g.reason_code,
                  'manual', coalesce(g.decided_via = 'manual', false),
                  'decided_at_us', (EXTRACT(epoch FROM g.updated_at) * 1000000)::bigint))
              FROM kyc.application_gate g WHERE g.application_id = a.id),
    'signals', (SELECT COALESCE(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                    'id', s.id, 'gate', s.gate, 'source', s.source, 'signal_type', s.signal_type,
                    'result', s.result, 'confidence', s.confidence, 'reason_codes', pg_catalog.to_jsonb(s.reason_codes),
                    'received_at_us', (EXTRACT(epoch FROM s.received_at) * 1000000)::bigint,
                    'expires_at_us', (EXTRACT(epoch FROM s.expires_at) * 1000000)::bigint)
                    ORDER BY s.received_at, s.evidence_seq), '[]'::jsonb)
                FROM kyc.signal s WHERE s.application_id = a.id AND s.received_at <= as_of),
    'catalog', pg_catalog.jsonb_build_object('gates', (SELECT pg_catalog.jsonb_object_agg(d.gate, pg_catalog.jsonb_build_object(
                   'critical', d.critical, 'business_only', d.business_only, 'pending_state', d.pending_state,
                   'review_rank', d.review_rank, 'review_queue', d.review_queue, 'review_sla', d.review_sla, 'confirm_sla', d.confirm_sla,
                   'review_reason', d.review_reason, 'auto_decline', d.auto_decline))
               FROM kyc.gate_definition d)),
    'requests', (SELECT pg_catalog.jsonb_object_agg(r.gate, pg_catalog.jsonb_build_object(
                     'rounds', r.n, 'last_requested_at_us', (EXTRACT(epoch FROM r.last) * 1000000)::bigint, 'open', r.open))
                 FROM (SELECT x.gate, count(*) AS n, max(x.requested_at) AS last, bool_or(x.status = 'open') AS open
                       FROM kyc.information_request x WHERE x.application_id = a.id GROUP BY x.gate) r))
FROM kyc.application a WHERE a.id = app
$$;

\o /dev/null
CREATE TEMP TABLE fixture (name text PRIMARY KEY, app uuid NOT NULL);
INSERT INTO fixture VALUES
    ('signals', kyc.open_application('in-signals', 'individual', 'digital_checking', 'US-NY', 'digital', 'premier')),
    ('business', kyc.open_application('in-business', 'business', 'digital_checking', 'US')),
    ('no gates', kyc.open_application('in-no-gates', 'individual', 'digital_checking', 'US')),
    ('bare', kyc.open_application('in-bare', 'individual', 'digital_checking', 'US'));
SELECT kyc.capture_consent(app, 'account_opening', 'disclosures-2026-10', '{"channel": "app"}') FROM fixture WHERE name = 'signals';

-- signals of one transaction tie on received_at: evidence_seq orders them
SELECT kyc.submit_signal((SELECT app FROM fixture WHERE name = 'signals'), s::jsonb) FROM unnest(ARRAY[
    '{"source": "bureau", "signal_type": "non_documentary", "gate": "cip", "owner": "kyc_cip", "result": "fail", "confidence": "medium", "reason_codes": ["CIP.SSN_UNVERIFIED", "CIP.NAME_DOB_MISMATCH"], "customer_safe_reason": "under_review"}',
    '{"source": "device", "signal_type": "device_risk", "gate": "fraud", "owner": "fraud_risk", "result": "pass", "confidence": "high", "reason_codes": [], "customer_safe_reason": "under_review", "score": 0.125, "model": {"id": "dev", "version": "1"}, "expires_at": "2099-01-01T00:00:00Z"}',
    '{"source": "idv", "signal_type": "document", "gate": "identity_proofing", "owner": "identity_platform", "result": "pass", "confidence": "high", "reason_codes": [], "customer_safe_reason": "under_review"}'
]) AS s;
-- one received later than some as_of below, one earlier, with a NULL reason code element
INSERT INTO kyc.signal (tenant_id, application_id, evidence_seq, source, signal_type, gate, owner, result, confidence,
                        reason_codes, customer_safe_reason, evidence_refs, expires_at, received_at)
SELECT 'tap_bank', app, 1000 + n, 'late', 'velocity', 'fraud', 'fraud_risk', 'refer', 'low',
       CASE n WHEN 1 THEN ARRAY['FRAUD.SYNTHETIC_IDENTITY', NULL] ELSE '{}' END, 'under_review', '{}',
       now() + interval '3 days', now() + n * interval '90 minutes' - interval '2 hours'
FROM fixture, generate_series(1, 2) n WHERE name = 'signals';
UPDATE kyc.application_gate SET status = 'review', reason_code = 'CIP.SSN_UNVERIFIED', decided_via = 'manual',
                                note = 'tap', decided_by = 'tap', updated_at = now() - interval '1 day'
WHERE application_id = (SELECT app FROM fixture WHERE name = 'signals') AND gate = 'cip';
-- requests for information of two gates, one of them open
INSERT INTO kyc.information_request (tenant_id, application_id, gate, round, reason_code, requested_by, requested_at,
                                     due_at, status)
SELECT 'tap_bank', app, g::kyc.gate, r, rc, 'tap', now() - (4 - r) * interval '1 day' + interval '0.123457 s',
       now() + interval '14 days', st::kyc.rfi_status
FROM fixture, (VALUES ('identity_proofing', 1, 'IDV.DOCUMENT_GLARE', 'answered'), ('identity_proofing', 2, 'IDV.DOCUMENT_GLARE', 'open'),
                      ('cdd', 1, 'CDD.PURPOSE_MISSING', 'expired')) AS v (g, r, rc, st)
WHERE name = 'signals';
UPDATE kyc.application_gate SET decided_via = 'policy'
WHERE application_id = (SELECT app FROM fixture WHERE name = 'signals') AND gate = 'fraud';
DELETE FROM kyc.application_gate WHERE application_id = (SELECT app FROM fixture WHERE name = 'no gates');
\o

SELECT is(kyc.decision_inputs(f.app, t)::text, pg_temp.reference_inputs(f.app, t)::text,
          format('the inputs of application "%s" as of %s are the reference query''s', f.name, coalesce(l, 'NULL')))
FROM fixture f,
     (VALUES ('now', now()), ('an hour ago', now() - interval '1 hour'), ('in two hours', now() + interval '2 hours'),
             (NULL, NULL::timestamptz)) AS a (l, t)
ORDER BY f.name, l;

SELECT ok(jsonb_array_length(kyc.decision_inputs(app, now() + interval '2 hours') -> 'signals') = 5
          AND kyc.decision_inputs(app, now() + interval '2 hours') #>> '{signals,0,source}' = 'late',
          'the fixture has signals before, at and after now, in received order')
FROM fixture WHERE name = 'signals';
SELECT is(kyc.decision_inputs(gen_random_uuid(), now()), NULL, 'no application: NULL');
SELECT is(kyc.decision_inputs(NULL, now()), NULL, 'NULL application: NULL');
SELECT throws_ok(format('SELECT kyc.decision_inputs(%L, ''infinity'')', app), '0A000',
                 'cannot convert infinity to bigint', 'an infinite as_of fails as the reference query does')
FROM fixture WHERE name = 'bare';

-- a time whose microseconds since 1970 do not fit a bigint (near the end of timestamptz's range)
\o /dev/null
SELECT kyc.open_application('in-far', 'individual', 'digital_checking', 'US');
\o
INSERT INTO kyc.signal (tenant_id, application_id, evidence_seq, source, signal_type, gate, owner, result, confidence,
                        reason_codes, customer_safe_reason, evidence_refs, expires_at, received_at)
SELECT 'tap_bank', id, 5000, 'far', 'document', 'identity_proofing', 'identity_platform', 'pass', 'high', '{}',
       'under_review', '{}', '294270-01-01 00:00:00+00', now()
FROM kyc.application WHERE external_ref = 'in-far';
SELECT throws_ok(format('SELECT kyc.decision_inputs(%L, now())', id), '22003', 'bigint out of range',
                 'an expiry beyond a bigint of microseconds fails in decision_inputs')
FROM kyc.application WHERE external_ref = 'in-far';
SELECT throws_ok(format('SELECT pg_temp.reference_inputs(%L, now())', id), '22003', 'bigint out of range',
                 '... as it fails in the reference query')
FROM kyc.application WHERE external_ref = 'in-far';

SELECT * FROM finish();
ROLLBACK;
