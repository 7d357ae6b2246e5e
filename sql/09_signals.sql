-- Decision signals in (docs/signals.md): a well-formed signal is accepted as evidence; every
-- malformed one is refused with the field named, and nothing is written.
\set SHOW_CONTEXT never
SET kyc.tenant = 'bank_a';
SET ROLE regress_app;
SELECT kyc.open_application('sig-001', 'individual', 'digital_checking', 'US-CA') AS app \gset
\set good '{"source": "identity_proofing_vendor", "signal_type": "evidence_validation", "gate": "identity_proofing", "result": "inconclusive", "confidence": "medium", "reason_codes": ["IDV.DOCUMENT_GLARE", "IDV.ADDRESS_MISMATCH"], "customer_safe_reason": "additional_information_needed", "evidence_refs": ["doc_123", "session_9"], "owner": "identity_platform", "model": {"id": "idv-doc", "version": "4.2"}, "score": 0.41, "expires_at": "2099-07-15T00:00:00Z"}'
\set count 'SELECT (SELECT count(*) FROM kyc.signal WHERE application_id = :''app'') AS signals, (SELECT count(*) FROM kyc.evidence WHERE application_id = :''app'') AS evidence_rows;'

SELECT kyc.submit_signal(:'app', :'good') IS NOT NULL AS accepted;
SELECT source, signal_type, gate, owner, result, confidence, reason_codes, customer_safe_reason, evidence_refs,
       model_id, model_version, score, expires_at > now() AS live
FROM kyc.signal WHERE application_id = :'app';
RESET ROLE;
SELECT e.seq, e.kind, e.data_class, e.payload->>'source' AS source
FROM kyc.evidence e JOIN kyc.signal s ON s.application_id = e.application_id AND s.evidence_seq = e.seq
WHERE e.application_id = :'app';
SET ROLE regress_app;
:count

-- malformed signals: each refused naming the field, nothing written
SELECT kyc.submit_signal(:'app', NULL);
SELECT kyc.submit_signal(:'app', '[1]');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb - 'source');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"source": 42}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"source": ""}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || jsonb_build_object('source', repeat('x', 101)));
SELECT kyc.submit_signal(:'app', (:'good')::jsonb - 'signal_type');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"gate": "kyc"}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"gate": ["identity_proofing"]}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"result": "maybe"}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"confidence": "calibrated_bucket_medium"}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"owner": "fraud_risk"}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"owner": "nobody"}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"reason_codes": ["IDV.NOT_A_CODE"]}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"reason_codes": ["AML.SANCTIONS_POTENTIAL_MATCH"]}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"reason_codes": "IDV.DOCUMENT_GLARE"}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"reason_codes": [1, 2]}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || jsonb_build_object('reason_codes', (SELECT jsonb_agg('IDV.DOCUMENT_GLARE'::text) FROM generate_series(1, 21))));
SELECT kyc.submit_signal(:'app', (:'good')::jsonb - 'reason_codes');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"customer_safe_reason": "Your document looked forged"}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb - 'customer_safe_reason');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"evidence_refs": [""]}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"model": "idv-doc 4.2"}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"model": {"id": "idv-doc"}}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"score": "0.4"}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"score": 1.5}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"expires_at": "next tuesday"}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"expires_at": "2020-01-01T00:00:00Z"}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"verdict": "approve"}');
SELECT kyc.submit_signal('00000000-0000-0000-0000-000000000000', :'good');
:count

-- optional fields may be left out
SELECT kyc.submit_signal(:'app', '{"source": "fraud_vendor", "signal_type": "device_risk", "gate": "fraud", "result": "pass", "confidence": "high", "reason_codes": [], "customer_safe_reason": "under_review", "owner": "fraud_risk"}') IS NOT NULL AS accepted;
SELECT gate, data_class FROM kyc.signal s JOIN kyc.evidence e ON e.application_id = s.application_id AND e.seq = s.evidence_seq
WHERE s.application_id = :'app' ORDER BY e.seq;

-- signals are append-only, like the rest of the evidence
RESET ROLE;
UPDATE kyc.signal SET result = 'pass' WHERE application_id = :'app';
DELETE FROM kyc.signal WHERE application_id = :'app';

-- only the service submits signals; none are taken for a concluded application
SET ROLE regress_reviewer;
SELECT kyc.submit_signal(:'app', :'good');
SET ROLE regress_app;
SELECT kyc.open_application('sig-002', 'individual', 'digital_checking', 'US') AS done \gset
SELECT kyc.transition(:'done', 'abandoned');
SELECT kyc.submit_signal(:'done', :'good');
SELECT count(*) AS signals_of_abandoned FROM kyc.signal WHERE application_id = :'done';

-- consent: captured with purpose, disclosure version and channel proof; withdrawal reopens the gate
SELECT kyc.capture_consent(:'app', 'account_opening', 'disclosures-2026-10', '{"channel": "app", "session": "s-9"}') AS consent_seq;
SELECT status, reason_code FROM kyc.application_gate WHERE application_id = :'app' AND gate = 'consent';
SELECT kyc.capture_consent(:'app', 'Account Opening', 'disclosures-2026-10', '{"channel": "app"}');
SELECT kyc.capture_consent(:'app', 'account_opening', '', '{"channel": "app"}');
SELECT kyc.capture_consent(:'app', 'account_opening', 'disclosures-2026-10', '{}');
SELECT kyc.withdraw_consent(:'app', '{"channel": "call_center", "agent": "a-17"}') > 0 AS withdrawn;
SELECT status, reason_code FROM kyc.application_gate WHERE application_id = :'app' AND gate = 'consent';
SELECT seq, kind, data_class, payload->>'action' AS action, payload->>'purpose' AS purpose
FROM kyc.read_evidence(:'app', 'regress: consent records') WHERE kind = 'consent' ORDER BY seq;
RESET ROLE;

-- more refusals, one per check, each naming the field; nothing written
SET ROLE regress_app;
SELECT kyc.submit_signal(:'app', '"a string"');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"zeta": 1, "Alpha": 2, "beta": 3}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || jsonb_build_object(repeat('ü', 70), 1));
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"source": null}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"signal_type": true}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || jsonb_build_object('gate', repeat('g', 65)));
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"gate": ""}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb - 'result');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"confidence": {"level": "high"}}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb - 'owner');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"reason_codes": null}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"reason_codes": ["IDV.DOCUMENT_GLARE", null]}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || jsonb_build_object('reason_codes', jsonb_build_array(repeat('R', 201))));
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"reason_codes": ["IDV.DOCUMENT_GLARE", "NOT.A_CODE", "AML.PEP_MATCH"]}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"reason_codes": ["IDV.DOCUMENT_GLARE", "FRAUD.DEVICE_RISK", "AML.PEP_MATCH"]}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"customer_safe_reason": ["under_review"]}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || jsonb_build_object('customer_safe_reason', repeat('k', 65)));
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"evidence_refs": {"doc": "doc_1"}}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || jsonb_build_object('evidence_refs', (SELECT jsonb_agg('doc_' || i) FROM generate_series(1, 51) i)));
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"evidence_refs": [7]}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"model": {"version": "4.2"}}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"model": {"id": 4, "version": "4.2"}}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || jsonb_build_object('model', jsonb_build_object('id', 'm', 'version', repeat('v', 101))));
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"score": -0.01}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"score": true}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"expires_at": 1893456000}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"expires_at": ""}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || jsonb_build_object('expires_at', '2099-07-15T00:00:00Z' || repeat(' ', 21)));
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"expires_at": "2099-02-30T00:00:00Z"}');
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"expires_at": "now"}');
SELECT kyc.submit_signal(NULL, :'good');
:count
-- the bounds are part of the range; null optional members are left out
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || jsonb_build_object('source', repeat('é', 100))) IS NOT NULL AS hundred_characters_accepted;
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"score": 0, "model": null, "expires_at": null, "evidence_refs": null}') IS NOT NULL AS accepted;
SELECT kyc.submit_signal(:'app', (:'good')::jsonb || '{"score": 1}') IS NOT NULL AS accepted;
SELECT score, model_id, expires_at, evidence_refs FROM kyc.signal WHERE application_id = :'app' AND score IN (0, 1) ORDER BY score;
:count
RESET ROLE;
SET kyc.tenant = '';
SET ROLE regress_app;
SELECT kyc.submit_signal(:'app', :'good');
RESET ROLE;
