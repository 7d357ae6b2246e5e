-- Places a limit on an application's account, with the condition that lifts it.
-- Grant to: kyc_app, kyc_reviewer, kyc_fraud, kyc_aml.
CREATE FUNCTION kyc.impose_restriction(app uuid, kind kyc.restriction_kind, reason_code text, lift_condition text)
RETURNS uuid
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    a     kyc.application;
    actor name;
    id    uuid;
BEGIN
    actor := kyc.assert_caller('impose a restriction', 'kyc_app', 'kyc_reviewer', 'kyc_fraud', 'kyc_aml', 'kyc_jobs');
    IF impose_restriction.kind IS NULL THEN
        RAISE EXCEPTION 'field "kind" must not be null' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF impose_restriction.lift_condition IS NULL OR pg_catalog.btrim(impose_restriction.lift_condition) OPERATOR(pg_catalog.=) '' THEN
        RAISE EXCEPTION 'field "lift_condition" must not be empty'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Say what lifts the restriction, for example "90 days without returned funding".';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM kyc.reason_code c WHERE c.code OPERATOR(pg_catalog.=) impose_restriction.reason_code) THEN
        RAISE EXCEPTION 'reason code "%" does not exist', impose_restriction.reason_code
            USING ERRCODE = 'KY003', HINT = 'Reason codes are listed in kyc.reason_code.';
    END IF;
    -- as for a move: a caller restricts only with a reason it may read (the jobs login applies the
    -- policy's early-life rules, whose reasons it does not choose)
    IF kyc.reason_class(impose_restriction.reason_code) OPERATOR(pg_catalog.<>) ALL (kyc.readable_classes())
       AND NOT pg_catalog.pg_has_role(actor, 'kyc_jobs', 'USAGE') THEN
        RAISE EXCEPTION 'reason code "%" is not one this role may use', impose_restriction.reason_code
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'A reason is used only by the roles that may read its data class (kyc.reason_code.data_class).';
    END IF;
    a := kyc.lock_open_application(impose_restriction.app, 'restrict');

    INSERT INTO kyc.restriction AS r (tenant_id, application_id, kind, reason_code, lift_condition, imposed_by)
    VALUES (a.tenant_id, a.id, impose_restriction.kind, impose_restriction.reason_code,
            impose_restriction.lift_condition, actor)
    RETURNING r.id INTO id;

    -- the evidence row carries the class of its reason (a fraud reason is fraud-sensitive)
    PERFORM kyc.append_evidence(a.id, 'restriction',
        GREATEST('internal'::kyc.data_class, kyc.reason_class(impose_restriction.reason_code)),
        pg_catalog.jsonb_build_object('action', 'impose', 'restriction_id', id, 'kind', impose_restriction.kind,
                                      'reason_code', impose_restriction.reason_code,
                                      'lift_condition', impose_restriction.lift_condition));
    RETURN id;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.impose_restriction(uuid, kyc.restriction_kind, text, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.impose_restriction(uuid, kyc.restriction_kind, text, text) IS
    'place a limit on an application''s account (needed before approved_restricted); grant to kyc_app and reviewer roles';
