-- Accepts one decision signal from a model or vendor (docs/signals.md). Refuses, naming the field,
-- anything malformed, and writes nothing then. Appends the signal as evidence. It does not decide:
-- kyc.evaluate() does. In C (src/signal.c): the checks, in their documented order, and the writes.
-- Grant to: kyc_app.
CREATE FUNCTION kyc.submit_signal(app uuid, signal jsonb) RETURNS uuid
    LANGUAGE c VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'kyc_submit_signal';
REVOKE ALL ON FUNCTION kyc.submit_signal(uuid, jsonb) FROM PUBLIC;
COMMENT ON FUNCTION kyc.submit_signal(uuid, jsonb) IS
    'accept one decision signal (docs/signals.md), as evidence; refuses malformed signals naming the field; grant to kyc_app';
