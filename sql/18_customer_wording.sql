-- A tenant's own customer wording: drafted by one administrator, approved by another, then what
-- customer_status and notices use for that tenant only. Keys stay the shipped ones (an AML hold
-- still reads like any review); approved wording never changes.
\set SHOW_CONTEXT never
SET kyc.tenant = 'bank_a';
SET ROLE regress_app;
SELECT kyc.open_application('w-1', 'individual', 'digital_checking', 'US-NY', 'digital') AS app \gset
SELECT kyc.transition(:'app', 'abandoned', 'ABANDON.CUSTOMER_LEFT');
SELECT label, message_version FROM kyc.customer_status(:'app');

-- refusals: an unknown key, a bad locale, empty or overlong texts, a service role
SET ROLE regress_admin;
SELECT kyc.draft_customer_message('aml_hold', 'en-US', 'Held', 'Held for AML.', 'Wait.');
SELECT kyc.draft_customer_message('application_expired', 'english', 'L', 'M', 'N');
SELECT kyc.draft_customer_message('application_expired', 'en-US', ' ', 'M', 'N');
SELECT kyc.draft_customer_message('application_expired', 'en-US', 'L', repeat('m', 501), 'N');
SELECT kyc.draft_customer_message('application_expired', 'en-US', 'L', 'M', NULL);
SET ROLE regress_app;
SELECT kyc.draft_customer_message('application_expired', 'en-US', 'L', 'M', 'N');
SET ROLE regress_admin;
SELECT count(*) AS drafts FROM kyc.customer_message WHERE tenant_id <> '*';

-- a draft is not in force; its drafter cannot approve it; another administrator does
SELECT kyc.draft_customer_message('application_expired', 'en-US', 'Your application has closed',
    'We closed your Bank A application because it was not finished within 30 days.', 'Start again any time; it takes 5 minutes.') AS version;
SET ROLE regress_app;
SELECT label, message_version FROM kyc.customer_status(:'app');
SET ROLE regress_admin;
SELECT kyc.approve_customer_message('application_expired', 'en-US', 2);
SELECT kyc.approve_customer_message('application_expired', 'en-US', 9);
RESET ROLE;
SET SESSION AUTHORIZATION regress_admin2;
SELECT kyc.approve_customer_message('application_expired', 'en-US', 2);
SELECT kyc.approve_customer_message('application_expired', 'en-US', 2);
RESET SESSION AUTHORIZATION;
SET ROLE regress_app;
SELECT label, message, next_step, message_version FROM kyc.customer_status(:'app');
SELECT kyc.record_notice(:'app', 'closure', 'email', '{"provider": "ses", "message_id": "m-1"}') > 0 AS notice_recorded;
SELECT payload->>'message_key' AS message_key, payload->>'template_version' AS template_version, payload->>'label' AS label
FROM kyc.read_evidence(:'app', 'wording test') WHERE kind = 'notice';
-- the other tenant keeps the shipped wording, and cannot see bank_a's
SET kyc.tenant = 'bank_b';
SELECT kyc.open_application('w-2', 'individual', 'digital_checking', 'US-NY', 'digital') AS other \gset
SELECT kyc.transition(:'other', 'abandoned', 'ABANDON.CUSTOMER_LEFT');
SELECT label, message_version FROM kyc.customer_status(:'other');
SET ROLE regress_admin;
SELECT count(*) AS other_tenants_wording_visible FROM kyc.customer_message WHERE tenant_id = 'bank_a';
-- wording is written only through the API; approved wording is immutable even for a superuser
UPDATE kyc.customer_message SET label = 'x' WHERE tenant_id = 'bank_a';
RESET ROLE;
UPDATE kyc.customer_message SET label = 'Give consent' WHERE tenant_id = 'bank_a';
DELETE FROM kyc.customer_message WHERE tenant_id = '*' AND message_key = 'under_review';
