-- Moving applications through kyc.transition(): what is allowed, what is refused and why, and
-- proof after each refusal that nothing was written.
\set SHOW_CONTEXT never
SET kyc.tenant = 'bank_a';
SET ROLE regress_app;
SELECT id AS retail FROM kyc.application WHERE external_ref = 'retail-001' \gset
SELECT id AS smb FROM kyc.application WHERE external_ref = 'smb-001' \gset
\set snap 'SELECT a.external_ref, a.state, a.state_version, (SELECT count(*) FROM kyc.state_history h WHERE h.application_id = a.id) AS history FROM kyc.application_status a WHERE a.external_ref IN (''retail-001'', ''smb-001'') ORDER BY 1;'

-- consent_captured needs the consent gate passed
SELECT kyc.transition(:'retail', 'consent_captured');
:snap
SELECT kyc.capture_consent(:'retail', 'account_opening', 'disclosures-2026-10', '{"channel": "app"}') > 0 AS consent_recorded;
SELECT kyc.transition(:'retail', 'consent_captured');

-- no skipping: active is not a next state of consent_captured
SELECT kyc.transition(:'retail', 'active');
-- closing is only for opened accounts
SELECT kyc.transition(:'retail', 'closed', 'EXIT.CUSTOMER_REQUEST');
-- the same state again
SELECT kyc.transition(:'retail', 'consent_captured');
-- a state that is not a state
SELECT kyc.transition(NULL, 'approved');
SELECT kyc.transition(:'retail', NULL);
-- an application that does not exist (or belongs to another tenant)
SELECT kyc.transition('00000000-0000-0000-0000-000000000000', 'consent_captured');
:snap

-- opening needs every critical gate passed or waived; the error lists the unresolved ones
SELECT kyc.transition(:'retail', 'identity_proofing_pending');
SELECT kyc.transition(:'retail', 'opened_not_funded');
:snap

SET ROLE regress_reviewer;
SELECT kyc.set_gate(:'retail', 'eligibility', 'passed');
SELECT kyc.set_gate(:'retail', 'identity_proofing', 'passed');
SELECT kyc.set_gate(:'retail', 'cip', 'passed');
SELECT kyc.set_gate(:'retail', 'cdd', 'passed');
SET ROLE regress_fraud;
SELECT kyc.set_gate(:'retail', 'fraud', 'passed');
SET ROLE regress_app;
SELECT kyc.transition(:'retail', 'opened_not_funded');
:snap
-- a proofing pass is not a CIP pass, nor an AML clearance: the AML gate still blocks
SET ROLE regress_aml;
SELECT kyc.set_gate(:'retail', 'aml', 'passed', NULL, 'screening clear');
SET ROLE regress_app;
SELECT kyc.transition(:'retail', 'opened_not_funded', NULL, 'all gates clear');

-- active needs funding
SELECT kyc.transition(:'retail', 'active');
:snap
SELECT kyc.record_funding(:'retail', 100, 'USD', 'ach', 'ach-credit-1') IS NOT NULL AS funded;
SELECT kyc.transition(:'retail', 'active');

-- approved_restricted needs an active restriction
SELECT kyc.transition(:'retail', 'approved_restricted');
:snap
-- (a fraud reason is the fraud analyst's to give: the service may not use a reason it may not
-- read, to restrict or to move)
SELECT kyc.impose_restriction(:'retail', 'no_outbound_transfers', 'FRAUD.EARLY_LIFE_ACTIVITY', '30 days without returned funding') IS NOT NULL AS restricted;
SET ROLE regress_fraud;
SELECT kyc.impose_restriction(:'retail', 'no_outbound_transfers', 'FRAUD.EARLY_LIFE_ACTIVITY', '30 days without returned funding') IS NOT NULL AS restricted;
SELECT kyc.transition(:'retail', 'approved_restricted', 'FRAUD.EARLY_LIFE_ACTIVITY');
SET ROLE regress_app;

-- closing needs an exit reason
SELECT kyc.transition(:'retail', 'closed');
SELECT kyc.transition(:'retail', 'closed', 'ABANDON.TIMEOUT');
SELECT kyc.transition(:'retail', 'closed', 'NOPE.NOT_A_CODE');
:snap
SELECT kyc.transition(:'retail', 'closed', 'EXIT.CUSTOMER_REQUEST', 'customer called to close');

-- closed is terminal: no way out, no gate changes, no restrictions
SELECT kyc.transition(:'retail', 'active');
SELECT kyc.transition(:'retail', 'opened_not_funded');
SELECT kyc.set_gate(:'retail', 'communication', 'failed', 'COMM.NOTICE_UNDELIVERABLE');
SELECT kyc.impose_restriction(:'retail', 'card_hold', 'FUND.RETURNED', 'never');
:snap

-- the whole history of the retail application
SELECT h.state_version, h.from_state, h.to_state, h.reason_code, h.note, h.actor_role
FROM kyc.state_history h WHERE h.application_id = :'retail' ORDER BY h.state_version;

-- declining needs a decline reason owned by a gate that failed
SELECT kyc.capture_consent(:'smb', 'account_opening', 'disclosures-2026-10', '{"channel": "branch"}') > 0 AS consent_recorded;
SELECT kyc.transition(:'smb', 'consent_captured');
SELECT kyc.transition(:'smb', 'kyb_review_pending', 'KYB.REGISTRY_MISMATCH');
SELECT kyc.transition(:'smb', 'declined');
SELECT kyc.transition(:'smb', 'declined', 'KYB.ENTITY_NOT_FOUND');
SET ROLE regress_reviewer;
SELECT kyc.set_gate(:'smb', 'kyb_ubo', 'failed', 'KYB.ENTITY_NOT_FOUND', 'no registry record in any state');
SET ROLE regress_app;
SELECT kyc.transition(:'smb', 'declined', 'KYB.REGISTRY_MISMATCH');
SELECT kyc.transition(:'smb', 'declined', 'CIP.UNABLE_TO_VERIFY');
SELECT kyc.transition(:'smb', 'declined', 'EXIT.CUSTOMER_REQUEST');
:snap
SELECT kyc.transition(:'smb', 'declined', 'KYB.ENTITY_NOT_FOUND');
SELECT kyc.transition(:'smb', 'kyb_review_pending');
SELECT state, state_reason FROM kyc.application_status WHERE id = :'smb';

-- abandoning takes an abandon reason, if any
SELECT kyc.open_application('retail-002', 'individual', 'digital_checking', 'US') AS r2 \gset
SELECT kyc.transition(:'r2', 'abandoned', 'CIP.UNABLE_TO_VERIFY');
SELECT kyc.transition(:'r2', 'abandoned', 'ABANDON.CUSTOMER_LEFT');
SELECT state, state_version, state_reason FROM kyc.application_status WHERE id = :'r2';

-- roles: customer service cannot move applications at all
SET ROLE regress_cx;
SELECT kyc.transition(:'r2', 'consent_captured');
RESET ROLE;
