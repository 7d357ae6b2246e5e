-- What the customer may be told about an application: a label, a message and a next step from
-- the approved wording, and nothing else (no state, gate, reason code or count). Every review
-- state reads "under review", so an AML or fraud hold cannot be told from any other review; once
-- a live review of an application still in onboarding runs past its SLA, it reads "review
-- delayed" (whichever queue), with the escalation path. Grant to: kyc_cx, kyc_app.
CREATE FUNCTION kyc.customer_status(app uuid, locale text DEFAULT 'en-US',
    OUT label text, OUT message text, OUT next_step text, OUT message_key text, OUT message_version integer,
    OUT message_locale text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    t   text := kyc.current_tenant();
    a   kyc.application;
    key text;
    m   kyc.customer_message;
BEGIN
    PERFORM kyc.assert_caller('read customer status', 'kyc_cx', 'kyc_app');
    SELECT * INTO a FROM kyc.application x
    WHERE x.id OPERATOR(pg_catalog.=) customer_status.app AND x.tenant_id OPERATOR(pg_catalog.=) t;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'application "%" does not exist', customer_status.app
            USING ERRCODE = 'KY004', HINT = 'Check the application id and the setting kyc.tenant.';
    END IF;

    key := CASE
        -- a hold past its SLA says so, the same for every queue
        WHEN a.state OPERATOR(pg_catalog.<>) ALL (ARRAY['information_requested', 'approved_restricted', 'opened_not_funded',
                                                       'active', 'declined', 'abandoned', 'closed']::kyc.state[])
             AND EXISTS (SELECT 1 FROM kyc.review_task x
                         WHERE x.application_id OPERATOR(pg_catalog.=) a.id
                           AND x.status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[])
                           AND x.sla_due_at OPERATOR(pg_catalog.<=) pg_catalog.now())
            THEN 'review_delayed'
        WHEN a.state OPERATOR(pg_catalog.=) 'application_started' THEN
            CASE WHEN EXISTS (SELECT 1 FROM kyc.application_gate g
                              WHERE g.application_id OPERATOR(pg_catalog.=) a.id
                                AND g.gate OPERATOR(pg_catalog.=) 'consent'
                                AND g.status OPERATOR(pg_catalog.=) 'passed')
                 THEN 'application_received' ELSE 'consent_required' END
        WHEN a.state OPERATOR(pg_catalog.=) ANY (ARRAY['consent_captured', 'identity_proofing_pending']::kyc.state[])
            THEN 'verification_in_progress'
        WHEN a.state OPERATOR(pg_catalog.=) ANY (ARRAY['cip_verification_pending', 'cdd_review_pending', 'kyb_review_pending',
                                                       'fraud_review_pending', 'aml_review_pending']::kyc.state[])
            THEN 'under_review'
        WHEN a.state OPERATOR(pg_catalog.=) 'information_requested' THEN 'additional_information_needed'
        WHEN a.state OPERATOR(pg_catalog.=) 'approved_restricted' THEN 'account_opened_with_limits'
        WHEN a.state OPERATOR(pg_catalog.=) 'opened_not_funded' THEN 'account_open'
        WHEN a.state OPERATOR(pg_catalog.=) 'active' THEN 'account_active'
        WHEN a.state OPERATOR(pg_catalog.=) 'abandoned' THEN 'application_expired'
        WHEN a.state OPERATOR(pg_catalog.=) 'closed' THEN 'account_closed'
        ELSE coalesce((SELECT r.customer_message_key FROM kyc.reason_code r
                       WHERE r.code OPERATOR(pg_catalog.=) a.state_reason), 'unable_to_open_account')
    END;

    -- the tenant's own approved wording, else the shipped one; the requested locale, else en-US
    SELECT * INTO m FROM kyc.customer_message x
    WHERE x.message_key OPERATOR(pg_catalog.=) key
      AND x.tenant_id OPERATOR(pg_catalog.=) ANY (ARRAY['*', t]) AND x.approved_by IS NOT NULL
      AND x.locale OPERATOR(pg_catalog.=) ANY (ARRAY[customer_status.locale, 'en-US'])
    ORDER BY (x.locale OPERATOR(pg_catalog.=) customer_status.locale) DESC, x.version DESC
    LIMIT 1;
    label := m.label;
    message := m.message;
    next_step := m.next_step;
    message_key := m.message_key;
    message_version := m.version;
    message_locale := m.locale;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.customer_status(uuid, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.customer_status(uuid, text) IS
    'the customer-safe label, message and next step of an application, from approved wording only; grant to kyc_cx and kyc_app';

-- The same, found by the service's own reference (what a customer quotes on the phone).
-- Grant to: kyc_cx, kyc_app.
CREATE FUNCTION kyc.customer_status_by_ref(external_ref text, locale text DEFAULT 'en-US',
    OUT label text, OUT message text, OUT next_step text, OUT message_key text, OUT message_version integer,
    OUT message_locale text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    app uuid;
BEGIN
    PERFORM kyc.assert_caller('read customer status', 'kyc_cx', 'kyc_app');
    SELECT a.id INTO app FROM kyc.application a
    WHERE a.tenant_id OPERATOR(pg_catalog.=) kyc.current_tenant()
      AND a.external_ref OPERATOR(pg_catalog.=) customer_status_by_ref.external_ref;
    IF app IS NULL THEN
        RAISE EXCEPTION 'application with external_ref "%" does not exist', customer_status_by_ref.external_ref
            USING ERRCODE = 'KY004', HINT = 'Check the reference and the setting kyc.tenant.';
    END IF;
    SELECT s.label, s.message, s.next_step, s.message_key, s.message_version, s.message_locale
      INTO label, message, next_step, message_key, message_version, message_locale
      FROM kyc.customer_status(app, customer_status_by_ref.locale) s;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.customer_status_by_ref(text, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.customer_status_by_ref(text, text) IS
    'kyc.customer_status() of the application with this external_ref in the session''s tenant; grant to kyc_cx and kyc_app';
