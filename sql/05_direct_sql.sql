-- The state machine holds for every writer, including a superuser issuing plain SQL.
\set SHOW_CONTEXT never
SET kyc.tenant = 'bank_a';
SELECT id AS app FROM kyc.application WHERE external_ref = 'gates-001' \gset
\set snap 'SELECT state, state_version, state_reason, (SELECT count(*) FROM kyc.state_history h WHERE h.application_id = a.id) AS history FROM kyc.application a WHERE a.id = :''app'';'

UPDATE kyc.application SET state = 'active' WHERE id = :'app';
UPDATE kyc.application SET state = 'declined' WHERE id = :'app';
UPDATE kyc.application SET tenant_id = 'bank_b' WHERE id = :'app';
UPDATE kyc.application SET external_ref = 'other' WHERE id = :'app';
UPDATE kyc.application SET applicant_kind = 'business' WHERE id = :'app';
UPDATE kyc.application SET state_version = 7 WHERE id = :'app';
UPDATE kyc.application SET state_reason = 'CIP.UNABLE_TO_VERIFY' WHERE id = :'app';
:snap

-- a legal move by plain SQL is recorded like any other
UPDATE kyc.application SET state = 'abandoned', state_reason = 'ABANDON.TIMEOUT' WHERE id = :'app';
:snap
SELECT state_version, from_state, to_state, reason_code, actor_role FROM kyc.state_history
WHERE application_id = :'app' ORDER BY state_version;

-- an earlier reason does not carry over to a new state
SELECT kyc.open_application('direct-002', 'individual', 'digital_checking', 'US') AS app2 \gset
UPDATE kyc.application SET state = 'abandoned' WHERE id = :'app2';
SELECT state, state_reason FROM kyc.application WHERE id = :'app2';

-- a new application must start at the beginning
INSERT INTO kyc.application (tenant_id, external_ref, applicant_kind, product, jurisdiction, channel, state)
VALUES ('bank_a', 'forged-001', 'individual', 'digital_checking', 'US', 'digital', 'active');
INSERT INTO kyc.application (tenant_id, external_ref, applicant_kind, product, jurisdiction, channel, state_version)
VALUES ('bank_a', 'forged-002', 'individual', 'digital_checking', 'US', 'digital', 5);
SELECT count(*) FROM kyc.application WHERE external_ref LIKE 'forged-%';

-- the catalog itself refuses edges out of terminal states and closing before opening
INSERT INTO kyc.state_transition VALUES ('declined', 'active', 'reopen');
INSERT INTO kyc.state_transition VALUES ('consent_captured', 'closed', 'close early');

-- the trigger functions refuse to be called any other way
SELECT kyc.application_guard();
