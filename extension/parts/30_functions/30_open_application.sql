-- Opens an application in the session's tenant with one gate row per gate, pinning the policy
-- version in force for its product and jurisdiction. Idempotent on
-- (tenant, external_ref): a retry with the same attributes returns the same application.
-- In C (src/open_application.c). Grant to: kyc_app.
CREATE FUNCTION kyc.open_application(
    external_ref   text,
    applicant_kind kyc.applicant_kind,
    product        text,
    jurisdiction   text,
    channel        kyc.channel DEFAULT 'digital',
    segment        text DEFAULT NULL)
RETURNS uuid
    LANGUAGE c VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'kyc_open_application';
REVOKE ALL ON FUNCTION kyc.open_application(text, kyc.applicant_kind, text, text, kyc.channel, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.open_application(text, kyc.applicant_kind, text, text, kyc.channel, text) IS
    'open an application in the session''s tenant (state application_started, every gate pending); grant to kyc_app';
