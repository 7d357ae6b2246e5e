-- The tenant comes from kyc.tenant; unset is an error for every API call and no rows for queries.
\set SHOW_CONTEXT never
RESET kyc.tenant;
SET ROLE regress_app;
SELECT kyc.current_tenant();
SELECT kyc.open_application('t-1', 'individual', 'digital_checking', 'US');
SELECT count(*) FROM kyc.application;

SET kyc.tenant = '';
SELECT kyc.open_application('t-1', 'individual', 'digital_checking', 'US');

-- the reserved prefix refuses misspelt settings
SET kyc.tennant = 'bank_a';

SET kyc.tenant = 'bank_a';
SELECT kyc.current_tenant();

-- transaction-local tenant, as behind a pooler, does not leak into the next transaction
RESET kyc.tenant;
BEGIN;
SELECT set_config('kyc.tenant', 'bank_b', true);
SELECT kyc.current_tenant();
COMMIT;
SELECT kyc.current_tenant();
SELECT count(*) FROM kyc.application;

-- a setting is not authentication: a tenant not granted to the role gives no rows and no API
SET kyc.tenant = 'bank_a';
SELECT kyc.open_application('t-granted', 'individual', 'digital_checking', 'US') IS NOT NULL AS opened_in_bank_a;
SET kyc.tenant = 'other_bank';
SELECT kyc.current_tenant();
SELECT kyc.session_tenant() IS NULL AS not_admitted;
SELECT count(*) FROM kyc.application;
SELECT kyc.open_application('t-spoof', 'individual', 'digital_checking', 'US');
SELECT kyc.transition((SELECT id FROM kyc.application LIMIT 1), 'abandoned');
-- nor can a role grant itself a tenant
SELECT kyc.grant_tenant('other_bank', 'regress_app');
RESET ROLE;
SELECT kyc.grant_tenant('other_bank', 'regress_app');
SET ROLE regress_app;
SELECT kyc.current_tenant();
SELECT count(*) FROM kyc.application;
SET kyc.tenant = 'bank_a';
SELECT count(*) AS bank_a_applications FROM kyc.application WHERE external_ref = 't-granted';
RESET ROLE;
SELECT kyc.revoke_tenant('other_bank', 'regress_app');
SET ROLE regress_app;
SET kyc.tenant = 'other_bank';
SELECT kyc.current_tenant();
RESET ROLE;
