-- Records one gate's status and its gate_decision evidence row; refuses to leave a critical gate
-- of an opened account unresolved. In C (src/gate_record.c), which evaluation calls too.
-- Internal: granted to nobody; the API's definer functions call it after their own checks.
CREATE FUNCTION kyc.record_gate(app uuid, gate kyc.gate, status kyc.gate_status, reason_code text, note text, actor name,
                                via text)
    RETURNS void
    LANGUAGE c VOLATILE
    AS 'MODULE_PATHNAME', 'kyc_record_gate';
REVOKE ALL ON FUNCTION kyc.record_gate(uuid, kyc.gate, kyc.gate_status, text, text, name, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.record_gate(uuid, kyc.gate, kyc.gate_status, text, text, name, text) IS
    'internal: set one gate''s status and write its gate_decision evidence';

-- Records a manual decision on one gate, as gate_decision evidence (a reviewer's, or a fact the
-- service observed). Who may decide a gate is kyc.gate_definition.decider_roles; a gate with no
-- decider (consent, funding) is refused for every role; a waiver needs a reviewer role, a
-- waivable gate and a reason. Grant to: kyc_app, kyc_reviewer,
-- kyc_fraud, kyc_aml.
CREATE FUNCTION kyc.set_gate(app uuid, gate kyc.gate, status kyc.gate_status,
                             reason_code text DEFAULT NULL, note text DEFAULT NULL)
RETURNS kyc.gate_status
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    a      kyc.application;
    d      kyc.gate_definition;
    r      kyc.reason_code;
    actor  name;
BEGIN
    IF set_gate.gate IS NULL OR set_gate.status IS NULL THEN
        RAISE EXCEPTION 'fields "gate" and "status" must not be null' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT * INTO d FROM kyc.gate_definition g WHERE g.gate OPERATOR(pg_catalog.=) set_gate.gate;
    -- consent and funding follow their evidence only: a hand-set "passed" would open an account
    -- nobody consented to, or activate one nobody funded
    IF pg_catalog.cardinality(d.decider_roles) OPERATOR(pg_catalog.=) 0 THEN
        RAISE EXCEPTION 'gate "%" is not decided by hand', set_gate.gate
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = 'Its status follows its evidence only; no role may set it.',
                  HINT = 'Consent is settled by kyc.capture_consent() and kyc.withdraw_consent(), funding by kyc.record_funding() and deposit operations'' review.';
    END IF;
    actor := kyc.assert_caller(pg_catalog.format('decide gate "%s"', set_gate.gate), VARIADIC d.decider_roles);
    a := kyc.lock_open_application(set_gate.app, 'change a gate of');
    -- a gate in a reviewer's hands is decided there, where overrides need four eyes
    IF EXISTS (SELECT 1 FROM kyc.review_task t
               WHERE t.application_id OPERATOR(pg_catalog.=) a.id AND t.gate OPERATOR(pg_catalog.=) set_gate.gate
                 AND t.status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[])) THEN
        RAISE EXCEPTION 'gate "%" is under review', set_gate.gate
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = (SELECT pg_catalog.format('Its review task in queue "%s" is %s.', t.queue, t.status)
                            FROM kyc.review_task t
                            WHERE t.application_id OPERATOR(pg_catalog.=) a.id AND t.gate OPERATOR(pg_catalog.=) set_gate.gate
                              AND t.status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[])),
                  HINT = 'A reviewer of the queue decides it with kyc.resolve_task().';
    END IF;

    IF set_gate.status OPERATOR(pg_catalog.=) 'not_applicable'::kyc.gate_status
       AND d.critical AND NOT (d.business_only AND a.applicant_kind OPERATOR(pg_catalog.=) 'individual'::kyc.applicant_kind) THEN
        RAISE EXCEPTION 'gate "%" cannot be marked not_applicable', set_gate.gate
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'It is a critical gate for this applicant.';
    END IF;

    IF set_gate.status OPERATOR(pg_catalog.=) 'waived'::kyc.gate_status THEN
        PERFORM kyc.assert_caller('waive a gate', 'kyc_reviewer', 'kyc_fraud', 'kyc_aml');
        IF NOT d.waivable THEN
            RAISE EXCEPTION 'gate "%" cannot be waived', set_gate.gate
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = 'Consent, eligibility and funding must actually pass.';
        END IF;
        IF set_gate.note IS NULL OR pg_catalog.btrim(set_gate.note) OPERATOR(pg_catalog.=) '' THEN
            RAISE EXCEPTION 'a waiver needs a reason in field "note"'
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
    END IF;

    IF set_gate.reason_code IS NOT NULL THEN
        SELECT * INTO r FROM kyc.reason_code c WHERE c.code OPERATOR(pg_catalog.=) set_gate.reason_code;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'reason code "%" does not exist', set_gate.reason_code
                USING ERRCODE = 'KY003', HINT = 'Reason codes are listed in kyc.reason_code.';
        END IF;
        IF r.gate IS DISTINCT FROM set_gate.gate THEN
            RAISE EXCEPTION 'reason code "%" does not belong to gate "%"', set_gate.reason_code, set_gate.gate
                USING ERRCODE = 'KY003',
                      DETAIL = pg_catalog.format('It belongs to gate "%s".', coalesce(r.gate::text, 'none'));
        END IF;
    ELSIF set_gate.status OPERATOR(pg_catalog.=) ANY (ARRAY['failed', 'review', 'info_needed']::kyc.gate_status[]) THEN
        RAISE EXCEPTION 'status "%" needs a reason code', set_gate.status
            USING ERRCODE = 'KY003', HINT = 'Pass a reason code of this gate from kyc.reason_code.';
    END IF;

    PERFORM kyc.record_gate(set_gate.app, set_gate.gate, set_gate.status, set_gate.reason_code, set_gate.note, actor, 'manual');
    -- a gate put in review by hand has its task in the owner's queue like any other review
    IF set_gate.status OPERATOR(pg_catalog.=) 'review'::kyc.gate_status AND d.review_queue IS NOT NULL THEN
        PERFORM kyc.open_review_task(a.id, set_gate.gate, d.review_queue, ARRAY[set_gate.reason_code],
            coalesce((SELECT p.review_sla FROM kyc.policy p WHERE p.id OPERATOR(pg_catalog.=) a.policy_id), d.review_sla),
            'evaluation', NULL, pg_catalog.now());
    END IF;
    RETURN set_gate.status;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.set_gate(uuid, kyc.gate, kyc.gate_status, text, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.set_gate(uuid, kyc.gate, kyc.gate_status, text, text) IS
    'record a manual decision on one gate of an application; grant to kyc_app and reviewer roles (kyc.gate_definition.decider_roles decides per gate)';
