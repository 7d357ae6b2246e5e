-- Helpers the pg_regress scenarios share (\i from sql/): a signal from a template, and an
-- application with consent and a passing signal on every gate but the listed ones.
CREATE FUNCTION pg_temp.sig(app uuid, gate text, owner text, result text, confidence text DEFAULT 'high',
                            reasons text[] DEFAULT '{}', expires timestamptz DEFAULT NULL) RETURNS uuid
LANGUAGE sql AS $$
    SELECT kyc.submit_signal(app, jsonb_strip_nulls(jsonb_build_object(
        'source', gate || '_vendor', 'signal_type', 'check', 'gate', gate, 'owner', owner, 'result', result,
        'confidence', confidence, 'reason_codes', to_jsonb(reasons), 'customer_safe_reason', 'under_review',
        'expires_at', expires)))
$$;
CREATE FUNCTION pg_temp.applicant(ref text, kind kyc.applicant_kind DEFAULT 'individual', jur text DEFAULT 'US-NY',
                                  product text DEFAULT 'digital_checking', except_gates text[] DEFAULT '{}',
                                  segment text DEFAULT NULL) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE app uuid := kyc.open_application(ref, kind, product, jur, 'digital', segment);
BEGIN
    PERFORM kyc.capture_consent(app, 'account_opening', 'disclosures-2026-10', '{"channel": "app"}');
    PERFORM pg_temp.sig(app, g, o, 'pass')
    FROM (VALUES ('identity_proofing', 'identity_platform'), ('cip', 'kyc_cip'), ('cdd', 'bsa_aml'),
                 ('fraud', 'fraud_risk'), ('aml', 'bsa_aml'), ('kyb_ubo', 'kyb_ops')) AS v (g, o)
    WHERE g <> ALL (except_gates) AND (g <> 'kyb_ubo' OR kind = 'business');
    RETURN app;
END $$;
