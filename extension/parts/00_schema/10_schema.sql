-- The extension owns its schema (as pg_cron owns "cron"): CREATE fails on a pre-existing "kyc"
-- schema that someone else could have prepared, and DROP EXTENSION removes it.
CREATE SCHEMA kyc;
COMMENT ON SCHEMA kyc IS 'pg_kyc: account-opening decisioning, state machine and evidence';
