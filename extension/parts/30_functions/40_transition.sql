-- Moves an application to another state. The C trigger on kyc.application decides whether the
-- move is allowed and records it. Grant to: kyc_app, kyc_reviewer, kyc_fraud, kyc_aml.
CREATE FUNCTION kyc.transition(app uuid, to_state kyc.state, reason_code text DEFAULT NULL, note text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    current kyc.application;
    version integer;
BEGIN
    PERFORM kyc.assert_caller('change the state of an application', 'kyc_app', 'kyc_reviewer', 'kyc_fraud', 'kyc_aml');
    IF transition.to_state IS NULL THEN
        RAISE EXCEPTION 'field "to_state" must not be null' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- a role cannot act on what it cannot see: no AML reason from outside AML, no fraud reason
    -- from the service or KYC reviewers (docs/security.md)
    IF transition.reason_code IS NOT NULL
       AND kyc.reason_class(transition.reason_code) OPERATOR(pg_catalog.<>) ALL (kyc.readable_classes()) THEN
        RAISE EXCEPTION 'reason code "%" is not one this role may use', transition.reason_code
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'A reason is used only by the roles that may read its data class (kyc.reason_code.data_class).';
    END IF;
    current := kyc.lock_application(transition.app);
    -- nor move an application into or out of a state it may not read (AML review): the answer
    -- names the state as kyc.application_status shows it
    IF kyc.state_class(current.state) OPERATOR(pg_catalog.<>) ALL (kyc.readable_classes()) THEN
        RAISE EXCEPTION 'invalid transition from "review_pending" to "%"', transition.to_state
            USING ERRCODE = 'KY001', DETAIL = pg_catalog.format('Application "%s" is under review.', current.external_ref),
                  HINT = 'Allowed transitions are listed in kyc.state_transition.';
    END IF;
    IF kyc.state_class(transition.to_state) OPERATOR(pg_catalog.<>) ALL (kyc.readable_classes()) THEN
        RAISE EXCEPTION 'state "%" is not one this role may set', transition.to_state
            USING ERRCODE = 'insufficient_privilege', HINT = 'Only the roles that may read a state may move an application into it.';
    END IF;
    IF current.state OPERATOR(pg_catalog.=) transition.to_state THEN
        RAISE EXCEPTION 'application "%" is already in state "%"', current.external_ref, transition.to_state
            USING ERRCODE = 'KY001',
                  HINT = 'Another session may have moved it first; re-read the application.';
    END IF;

    UPDATE kyc.application a
       SET state = transition.to_state,
           state_reason = transition.reason_code,
           state_note = transition.note
     WHERE a.id OPERATOR(pg_catalog.=) transition.app
    RETURNING a.state_version INTO version;
    RETURN version;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.transition(uuid, kyc.state, text, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.transition(uuid, kyc.state, text, text) IS
    'move an application to another state along kyc.state_transition; returns the new state_version; grant to kyc_app and reviewer roles';
