-- Records a notice sent to the customer: which approved wording (key, locale, version, and the
-- line that owns it and approved it), through which channel, with what proof of delivery. The notice type must fit the application's state,
-- and its wording must be the one customer_status gives, so that what was sent is what the
-- catalog allowed. Grant to: kyc_app.
CREATE FUNCTION kyc.record_notice(app uuid, notice_type text, channel text, delivery_proof jsonb,
                                  locale text DEFAULT 'en-US') RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    a       kyc.application;
    s       record;
    allowed kyc.state[];
BEGIN
    PERFORM kyc.assert_caller('record a notice', 'kyc_app');
    allowed := CASE record_notice.notice_type
        WHEN 'decline' THEN ARRAY['declined']::kyc.state[]
        WHEN 'information_request' THEN ARRAY['information_requested']::kyc.state[]
        WHEN 'hold' THEN ARRAY['cip_verification_pending', 'cdd_review_pending', 'kyb_review_pending',
                               'fraud_review_pending', 'aml_review_pending']::kyc.state[]
        WHEN 'approved_with_limits' THEN ARRAY['approved_restricted']::kyc.state[]
        WHEN 'approval' THEN ARRAY['opened_not_funded', 'active']::kyc.state[]
        WHEN 'closure' THEN ARRAY['closed', 'abandoned']::kyc.state[]
    END;
    IF allowed IS NULL THEN
        RAISE EXCEPTION 'field "notice_type" has an unrecognized value'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Use decline, information_request, hold, approved_with_limits, approval or closure.';
    END IF;
    IF record_notice.channel IS NULL
       OR record_notice.channel OPERATOR(pg_catalog.<>) ALL (ARRAY['email', 'sms', 'push', 'in_app', 'letter']) THEN
        RAISE EXCEPTION 'field "channel" has an unrecognized value'
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Use email, sms, push, in_app or letter.';
    END IF;
    IF record_notice.delivery_proof IS NULL OR pg_catalog.jsonb_typeof(record_notice.delivery_proof) OPERATOR(pg_catalog.<>) 'object'
       OR record_notice.delivery_proof OPERATOR(pg_catalog.=) '{}'::jsonb THEN
        RAISE EXCEPTION 'field "delivery_proof" must be a non-empty JSON object'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'For example {"provider": "ses", "message_id": "...", "delivered_at": "..."}.';
    END IF;
    a := kyc.lock_application(record_notice.app);
    IF a.state OPERATOR(pg_catalog.<>) ALL (allowed) THEN
        RAISE EXCEPTION 'a notice of type "%" does not fit an application in state "%"', record_notice.notice_type,
            CASE WHEN kyc.state_class(a.state) OPERATOR(pg_catalog.=) ANY (kyc.readable_classes()) THEN a.state::text ELSE 'review_pending' END
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    SELECT * INTO s FROM kyc.customer_status(a.id, record_notice.locale);
    RETURN kyc.append_evidence(a.id, 'notice', 'customer_safe',
        pg_catalog.jsonb_build_object('notice_type', record_notice.notice_type, 'message_key', s.message_key,
                                      'locale', s.message_locale, 'template_version', s.message_version,
                                      'template_owner', (SELECT k.owner FROM kyc.customer_message_key k
                                                         WHERE k.message_key OPERATOR(pg_catalog.=) s.message_key),
                                      'label', s.label, 'message', s.message, 'next_step', s.next_step,
                                      'channel', record_notice.channel, 'delivery_proof', record_notice.delivery_proof));
END
$fn$;
REVOKE ALL ON FUNCTION kyc.record_notice(uuid, text, text, jsonb, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.record_notice(uuid, text, text, jsonb, text) IS
    'record a customer notice (approved wording, template version, channel, delivery proof) as evidence; grant to kyc_app';
