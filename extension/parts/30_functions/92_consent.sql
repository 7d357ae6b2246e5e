-- Consent and purpose capture settles the consent gate; withdrawal reopens it. Both are evidence
-- of kind consent (customer_safe: the customer may see what they agreed to). Capture is in C
-- (src/consent.c). Grant to: kyc_app.
CREATE FUNCTION kyc.capture_consent(app uuid, purpose text, disclosure_version text, channel_proof jsonb)
RETURNS bigint
    LANGUAGE c VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'kyc_capture_consent';
REVOKE ALL ON FUNCTION kyc.capture_consent(uuid, text, text, jsonb) FROM PUBLIC;
COMMENT ON FUNCTION kyc.capture_consent(uuid, text, text, jsonb) IS
    'record consent (purpose tag, disclosure version, channel proof) as evidence and pass the consent gate; grant to kyc_app';

CREATE FUNCTION kyc.withdraw_consent(app uuid, channel_proof jsonb) RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    actor name := kyc.assert_caller('withdraw consent', 'kyc_app');
    a     kyc.application;
    seq   bigint;
BEGIN
    IF withdraw_consent.channel_proof IS NULL OR pg_catalog.jsonb_typeof(withdraw_consent.channel_proof) OPERATOR(pg_catalog.<>) 'object' THEN
        RAISE EXCEPTION 'field "channel_proof" must be a JSON object' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    a := kyc.lock_open_application(withdraw_consent.app, 'withdraw consent for');
    seq := kyc.append_evidence(a.id, 'consent', 'customer_safe',
        pg_catalog.jsonb_build_object('action', 'withdrawn', 'channel_proof', withdraw_consent.channel_proof));
    PERFORM kyc.record_gate(a.id, 'consent', 'info_needed', 'CONSENT.WITHDRAWN',
        pg_catalog.format('consent withdrawn (evidence %s)', seq), actor, 'consent');
    RETURN seq;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.withdraw_consent(uuid, jsonb) FROM PUBLIC;
COMMENT ON FUNCTION kyc.withdraw_consent(uuid, jsonb) IS
    'record that consent was withdrawn, as evidence, and reopen the consent gate; grant to kyc_app';
