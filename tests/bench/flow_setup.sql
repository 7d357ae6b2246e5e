-- Set-up for the end-to-end flow benchmark (tests/bench/flow.sh): a login of kyc_app granted the
-- tenant, the floor's plain tables, and one application for each run of many clients on one application.
\set ON_ERROR_STOP 1
CREATE EXTENSION IF NOT EXISTS pg_kyc;
SET client_min_messages = warning;
DO $$ BEGIN CREATE ROLE bench_app LOGIN IN ROLE kyc_app; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
SELECT kyc.grant_tenant('bench', 'bench_app');

-- The floor: the rows one flow writes (1 application, 10 gates, 8 signals, 1 decision, 1 funding,
-- 24 evidence rows), with the same columns and primary keys, as plain INSERTs: no trigger, no
-- foreign key, no hashing, no row-level security.
DROP SCHEMA IF EXISTS floor CASCADE;
CREATE SCHEMA floor;
CREATE TABLE floor.application (LIKE kyc.application INCLUDING DEFAULTS, PRIMARY KEY (id));
CREATE TABLE floor.application_gate (LIKE kyc.application_gate INCLUDING DEFAULTS, PRIMARY KEY (application_id, gate));
CREATE TABLE floor.evidence (LIKE kyc.evidence INCLUDING DEFAULTS, PRIMARY KEY (application_id, seq));
CREATE TABLE floor.signal (LIKE kyc.signal INCLUDING DEFAULTS, PRIMARY KEY (id));
CREATE TABLE floor.decision (LIKE kyc.decision INCLUDING DEFAULTS, PRIMARY KEY (id));
CREATE TABLE floor.funding (LIKE kyc.funding INCLUDING DEFAULTS, PRIMARY KEY (id));
GRANT USAGE ON SCHEMA floor TO bench_app;
GRANT INSERT, SELECT ON ALL TABLES IN SCHEMA floor TO bench_app;

-- n evidence rows of one application from seq s on, with a payload of the usual size
CREATE FUNCTION floor.evidence_rows(app uuid, s bigint, n int, kind kyc.evidence_kind) RETURNS SETOF floor.evidence
LANGUAGE sql AS $$
    SELECT 'bench', app, s + i, kind, 'internal'::kyc.data_class,
           '{"gate": "cip", "status": "passed", "reason_code": null, "note": "policy digital_checking v1", "owner": "kyc_cip", "via": "policy"}'::jsonb,
           '\x0102030405060708091011121314151617181920212223242526272829303132'::bytea,
           kyc.hash256(sha256('\x01'::bytea)), 1::smallint, kyc.hash256(sha256('\x02'::bytea)), kyc.hash256(sha256('\x03'::bytea)), 1::smallint,
           now(), current_user, 10::oid, NULL::text
    FROM generate_series(0, n - 1) i
$$;
GRANT EXECUTE ON FUNCTION floor.evidence_rows(uuid, bigint, int, kyc.evidence_kind) TO bench_app;

SET kyc.tenant = 'bench';
SET ROLE bench_app;
SELECT kyc.open_application(h, 'individual', 'digital_checking', 'US-NY', 'digital') IS NOT NULL FROM unnest('{hot1,hot4}'::text[]) h;
SELECT kyc.capture_consent(kyc.application_id(h), 'account_opening', 'disclosures-2026-10', '{"channel": "app"}') > 0
FROM unnest('{hot1,hot4}'::text[]) h;
RESET ROLE;
