-- Opening applications: every gate row is created; business applicants get the KYB/UBO gate.
\set SHOW_CONTEXT never
SET kyc.tenant = 'bank_a';
SET ROLE regress_app;

SELECT kyc.open_application('retail-001', 'individual', 'digital_checking', 'US-CA', 'digital', 'new_to_bank') IS NOT NULL AS opened;
SELECT kyc.open_application('smb-001', 'business', 'small_business_checking', 'US-NY', 'branch') IS NOT NULL AS opened;

SELECT external_ref, applicant_kind, product, jurisdiction, channel, segment, state, state_version, state_reason
FROM kyc.application_status ORDER BY external_ref;

SELECT a.external_ref, g.gate, g.owner, g.status
FROM kyc.application_gate g JOIN kyc.application a ON a.id = g.application_id
ORDER BY a.external_ref, g.gate;

-- opening is recorded as the first state
SELECT a.external_ref, h.state_version, h.from_state, h.to_state, h.actor_role
FROM kyc.state_history h JOIN kyc.application a ON a.id = h.application_id
ORDER BY a.external_ref, h.state_version;

-- a retry with the same external_ref returns the same application and writes nothing
SELECT kyc.open_application('retail-001', 'individual', 'digital_checking', 'US-CA')
     = (SELECT id FROM kyc.application WHERE external_ref = 'retail-001') AS same_application;
SELECT count(*) AS applications, (SELECT count(*) FROM kyc.application_gate) AS gates,
       (SELECT count(*) FROM kyc.state_history) AS history
FROM kyc.application;

-- the same external_ref with other attributes is refused
SELECT kyc.open_application('retail-001', 'business', 'digital_checking', 'US-CA');

-- only kyc_app opens applications
SET ROLE regress_reviewer;
SELECT kyc.open_application('bad-1', 'individual', 'digital_checking', 'US');
SET ROLE regress_app;

-- bad input names the field and writes nothing
SELECT kyc.open_application('', 'individual', 'digital_checking', 'US');
SELECT kyc.open_application(NULL, 'individual', 'digital_checking', 'US');
SELECT kyc.open_application('bad-1', NULL, 'digital_checking', 'US');
SELECT kyc.open_application('bad-1', 'individual', 'Digital Checking', 'US');
SELECT kyc.open_application('bad-1', 'individual', 'digital_checking', 'usa');
SELECT kyc.open_application('bad-1', 'individual', 'digital_checking', 'US', NULL);
SELECT kyc.open_application('bad-1', 'robot', 'digital_checking', 'US');
SELECT count(*) AS applications, (SELECT count(*) FROM kyc.application_gate) AS gates,
       (SELECT count(*) FROM kyc.state_history) AS history
FROM kyc.application;

-- another tenant sees none of it
SET kyc.tenant = 'bank_b';
SELECT count(*) FROM kyc.application;
SELECT count(*) FROM kyc.application_gate;
SELECT count(*) FROM kyc.state_history;
SELECT kyc.open_application('retail-001', 'individual', 'digital_checking', 'US-CA') IS NOT NULL AS opened_in_bank_b;
SELECT count(*) FROM kyc.application;
RESET ROLE;
