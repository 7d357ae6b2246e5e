-- Opens an application in the session's tenant with one gate row per gate, pinning the policy
-- version in force for its product and jurisdiction. Idempotent on
-- (tenant, external_ref): a retry with the same attributes returns the same application.
-- Grant to: kyc_app.
CREATE FUNCTION kyc.open_application(
    external_ref   text,
    applicant_kind kyc.applicant_kind,
    product        text,
    jurisdiction   text,
    channel        kyc.channel DEFAULT 'digital',
    segment        text DEFAULT NULL)
RETURNS uuid
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    t        text := kyc.current_tenant();
    app      uuid;
    existing kyc.application;
BEGIN
    PERFORM kyc.assert_caller('open an application', 'kyc_app');

    IF open_application.external_ref IS NULL OR open_application.external_ref OPERATOR(pg_catalog.=) '' THEN
        RAISE EXCEPTION 'field "external_ref" must not be empty'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Pass the calling service''s own id for the application.';
    END IF;
    IF open_application.applicant_kind IS NULL THEN
        RAISE EXCEPTION 'field "applicant_kind" must not be null'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Use "individual" or "business".';
    END IF;
    IF open_application.product IS NULL
       OR open_application.product OPERATOR(pg_catalog.!~) '^[a-z][a-z0-9_]{0,62}$' THEN
        RAISE EXCEPTION 'field "product" is not a valid product name'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'A product name is lower-case letters, digits and underscores, starting with a letter.',
                  HINT = 'For example "digital_checking".';
    END IF;
    IF open_application.jurisdiction IS NULL
       OR open_application.jurisdiction OPERATOR(pg_catalog.!~) '^[A-Z]{2}(-[A-Z0-9]{1,3})?$' THEN
        RAISE EXCEPTION 'field "jurisdiction" is not a valid jurisdiction code'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'A jurisdiction is an ISO 3166-1 alpha-2 country code, optionally with an ISO 3166-2 subdivision.',
                  HINT = 'For example "US" or "US-CA".';
    END IF;
    IF open_application.channel IS NULL THEN
        RAISE EXCEPTION 'field "channel" must not be null'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;

    INSERT INTO kyc.application AS a (tenant_id, external_ref, applicant_kind, product, jurisdiction, channel, segment,
                                      policy_id)
    VALUES (t, open_application.external_ref, open_application.applicant_kind, open_application.product,
            open_application.jurisdiction, open_application.channel, open_application.segment,
            kyc.policy_in_force(t, open_application.product, open_application.jurisdiction))
    ON CONFLICT ON CONSTRAINT application_external_ref_unique DO NOTHING
    RETURNING a.id INTO app;

    IF app IS NULL THEN
        SELECT * INTO existing FROM kyc.application a
        WHERE a.tenant_id OPERATOR(pg_catalog.=) t
          AND a.external_ref OPERATOR(pg_catalog.=) open_application.external_ref;
        IF existing.applicant_kind OPERATOR(pg_catalog.<>) open_application.applicant_kind
           OR existing.product OPERATOR(pg_catalog.<>) open_application.product
           OR existing.jurisdiction OPERATOR(pg_catalog.<>) open_application.jurisdiction
           OR existing.channel OPERATOR(pg_catalog.<>) open_application.channel THEN
            RAISE EXCEPTION 'an application with this external_ref already exists with other attributes'
                USING ERRCODE = 'unique_violation',
                      DETAIL = 'Applicant kind, product, jurisdiction or channel differ from the application opened with it.',
                      HINT = 'Use a new external_ref for a new application.';
        END IF;
        RETURN existing.id;
    END IF;

    INSERT INTO kyc.application_gate (tenant_id, application_id, gate, owner, status)
    SELECT t, app, d.gate, d.owner,
           CASE WHEN d.business_only AND open_application.applicant_kind OPERATOR(pg_catalog.<>) 'business'::kyc.applicant_kind
                THEN 'not_applicable'::kyc.gate_status
                ELSE 'pending'::kyc.gate_status END
    FROM kyc.gate_definition d;

    RETURN app;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.open_application(text, kyc.applicant_kind, text, text, kyc.channel, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.open_application(text, kyc.applicant_kind, text, text, kyc.channel, text) IS
    'open an application in the session''s tenant (state application_started, every gate pending); grant to kyc_app';
