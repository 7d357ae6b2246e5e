-- What a customer may be told: approved wording only, and every review reads the same, so an AML
-- or fraud hold cannot be told apart from any other review (no tipping off).
\set SHOW_CONTEXT never
SET kyc.tenant = 'bank_a';
SET ROLE regress_app;
SELECT kyc.open_application('cs-' || s, 'individual', 'digital_checking', 'US') IS NOT NULL
FROM unnest(ARRAY['aml', 'fraud', 'cip', 'kyb', 'idp', 'rfi']) s;
SELECT kyc.capture_consent(id, 'account_opening', 'disclosures-2026-10', '{"channel": "app"}') > 0
FROM kyc.application WHERE external_ref LIKE 'cs-%';
SELECT kyc.transition(id, 'consent_captured') FROM kyc.application WHERE external_ref LIKE 'cs-%';
-- (as AML: only AML may move an application into AML review)
SET ROLE regress_aml;
SELECT kyc.transition(id, CASE external_ref WHEN 'cs-aml' THEN 'aml_review_pending' WHEN 'cs-fraud' THEN 'fraud_review_pending'
                                            WHEN 'cs-cip' THEN 'cip_verification_pending' WHEN 'cs-kyb' THEN 'kyb_review_pending'
                                            WHEN 'cs-idp' THEN 'identity_proofing_pending' ELSE 'information_requested' END::kyc.state)
FROM kyc.application WHERE external_ref LIKE 'cs-%';
SET ROLE regress_app;

SELECT id AS aml FROM kyc.application WHERE external_ref = 'cs-aml' \gset
SELECT id AS fraud FROM kyc.application WHERE external_ref = 'cs-fraud' \gset
SELECT id AS cip FROM kyc.application WHERE external_ref = 'cs-cip' \gset
SELECT id AS kyb FROM kyc.application WHERE external_ref = 'cs-kyb' \gset
SELECT id AS idp FROM kyc.application WHERE external_ref = 'cs-idp' \gset
SELECT id AS rfi FROM kyc.application WHERE external_ref = 'cs-rfi' \gset
SELECT id AS retail FROM kyc.application WHERE external_ref = 'retail-001' \gset
SELECT id AS smb FROM kyc.application WHERE external_ref = 'smb-001' \gset
SELECT id AS gone FROM kyc.application WHERE external_ref = 'retail-002' \gset

SET ROLE regress_cx;
-- customer service cannot see applications, states, gates, reasons or evidence ...
SELECT count(*) FROM kyc.application;
SELECT count(*) FROM kyc.evidence;
SELECT count(*) FROM kyc.reason_code;
-- ... only the customer-safe status of an application it is given
SELECT 'aml' AS review, * FROM kyc.customer_status(:'aml')
UNION ALL SELECT 'fraud', * FROM kyc.customer_status(:'fraud')
UNION ALL SELECT 'cip', * FROM kyc.customer_status(:'cip')
UNION ALL SELECT 'kyb', * FROM kyc.customer_status(:'kyb');
-- an AML hold and a fraud hold are indistinguishable from a CIP or KYB review, to the byte
SELECT count(DISTINCT (s.label, s.message, s.next_step, s.message_key, s.message_version)) AS distinct_answers
FROM unnest(ARRAY[:'aml', :'fraud', :'cip', :'kyb']::uuid[]) AS a (id), LATERAL kyc.customer_status(a.id) s;

SELECT * FROM kyc.customer_status(:'idp');
SELECT * FROM kyc.customer_status(:'rfi');
-- declines speak the wording of the reason's message key; closure and abandonment their own
SELECT * FROM kyc.customer_status(:'smb');
SELECT * FROM kyc.customer_status(:'retail');
SELECT * FROM kyc.customer_status(:'gone');
-- another locale, and a locale without wording falls back to en-US
SELECT label, message, message_locale FROM kyc.customer_status(:'aml', 'es-US');
SELECT label, message_locale FROM kyc.customer_status(:'aml', 'fr-FR');
-- by the customer's reference, as customer service is asked
SELECT label, message_key FROM kyc.customer_status_by_ref('cs-fraud');
-- unknown application
SELECT * FROM kyc.customer_status('00000000-0000-0000-0000-000000000000');
SELECT * FROM kyc.customer_status_by_ref('no-such-ref');
RESET ROLE;

-- every reason code's customer message exists in every locale
SELECT r.code, l.locale FROM kyc.reason_code r CROSS JOIN (SELECT DISTINCT locale FROM kyc.customer_message) l
WHERE NOT EXISTS (SELECT 1 FROM kyc.customer_message m WHERE m.message_key = r.customer_message_key AND m.locale = l.locale);
