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
RESET ROLE;
