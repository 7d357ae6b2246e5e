-- Shared set-up for the pgTAP suites: quiet psql, stop on errors, one transaction per file
-- (rolled back by the file), a tenant, and helpers that build applications in any state.
\set QUIET 1
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
\pset pager off
BEGIN;
SET LOCAL kyc.tenant = 'tap_bank';

-- An application whose every prerequisite for opening holds (all gates passed, funding passed,
-- an active restriction), so that only the catalog decides whether a move is allowed.
CREATE FUNCTION pg_temp.ready_application(kind kyc.applicant_kind DEFAULT 'individual') RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
    app uuid := kyc.open_application('tap-' || gen_random_uuid(), kind, 'digital_checking', 'US');
BEGIN
    UPDATE kyc.application_gate SET status = 'passed' WHERE application_id = app AND status = 'pending';
    PERFORM kyc.impose_restriction(app, 'funding_limit', 'FUND.HIGH_RISK_SOURCE', 'tap');
    RETURN app;
END $$;

-- The reason a move to the state needs (and, for a decline, the failed gate it needs).
CREATE FUNCTION pg_temp.move(app uuid, target kyc.state) RETURNS integer
LANGUAGE plpgsql AS $$
BEGIN
    IF target = 'declined' THEN
        UPDATE kyc.application_gate SET status = 'failed', reason_code = 'CIP.UNABLE_TO_VERIFY'
        WHERE application_id = app AND gate = 'cip';
    END IF;
    RETURN kyc.transition(app, target,
        CASE target WHEN 'declined' THEN 'CIP.UNABLE_TO_VERIFY'
                    WHEN 'closed' THEN 'EXIT.CUSTOMER_REQUEST'
                    WHEN 'abandoned' THEN 'ABANDON.TIMEOUT' END);
END $$;

-- A ready application driven to the given state along catalog edges.
CREATE FUNCTION pg_temp.app_in(target kyc.state) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
    app  uuid := pg_temp.ready_application();
    step kyc.state;
BEGIN
    FOREACH step IN ARRAY CASE target
        WHEN 'application_started' THEN '{}'::kyc.state[]
        WHEN 'consent_captured' THEN '{consent_captured}'
        WHEN 'opened_not_funded' THEN '{consent_captured,opened_not_funded}'
        WHEN 'approved_restricted' THEN '{consent_captured,approved_restricted}'
        WHEN 'active' THEN '{consent_captured,opened_not_funded,active}'
        WHEN 'closed' THEN '{consent_captured,opened_not_funded,closed}'
        WHEN 'abandoned' THEN '{abandoned}'
        WHEN 'declined' THEN '{consent_captured,declined}'
        ELSE ARRAY['consent_captured', target]::kyc.state[] END
    LOOP
        PERFORM pg_temp.move(app, step);
    END LOOP;
    RETURN app;
END $$;

-- Runs sql (with %1$L standing for the application) and says what happened: "ok +V/+H" with how
-- far state_version and the history moved, or the SQLSTATE and whether anything changed.
CREATE FUNCTION pg_temp.try(app uuid, sql text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    before text;
    after  text;
    v0     int;
    h0     int;
    state  text;
BEGIN
    SELECT format('%s/%s/%s', a.state, a.state_version, (SELECT count(*) FROM kyc.state_history h WHERE h.application_id = a.id)),
           a.state_version, (SELECT count(*) FROM kyc.state_history h WHERE h.application_id = a.id)
      INTO before, v0, h0 FROM kyc.application a WHERE a.id = app;
    BEGIN
        EXECUTE format(sql, app);
        SELECT format('ok +%s/+%s', a.state_version - v0, (SELECT count(*) FROM kyc.state_history h WHERE h.application_id = a.id) - h0)
          INTO after FROM kyc.application a WHERE a.id = app;
        RETURN after;
    EXCEPTION WHEN OTHERS THEN
        state := SQLSTATE;
    END;
    SELECT format('%s/%s/%s', a.state, a.state_version, (SELECT count(*) FROM kyc.state_history h WHERE h.application_id = a.id))
      INTO after FROM kyc.application a WHERE a.id = app;
    RETURN state || CASE WHEN before = after THEN ' unchanged' ELSE ' CHANGED ' || before || ' -> ' || after END;
END $$;
