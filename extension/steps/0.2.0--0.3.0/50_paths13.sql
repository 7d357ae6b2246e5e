-- Issue 13, the paths part (docs/activation.md, docs/operations.md, docs/customer-messages.md):
-- consent and funding follow their evidence only; consent must fit the product's purpose and
-- disclosure version; restrictions are lifted by their owner's queue; a risk-policy closure
-- needs four eyes; rapid outflow compares exactly; a late job run is skipped; one application
-- never stops a job; schedule_jobs serialises; the customer message catalog by owner and the
-- hold that follows its SLA.

-- the product's consent: purpose and disclosure version, per policy
ALTER TABLE kyc.policy
    ADD COLUMN consent_purpose    text NOT NULL DEFAULT 'account_opening',
    ADD COLUMN disclosure_version text NOT NULL DEFAULT 'disclosures-2026-10',
    ADD CONSTRAINT policy_consent_purpose CHECK (consent_purpose OPERATOR(pg_catalog.~) '^[a-z][a-z0-9_]{0,62}$'),
    ADD CONSTRAINT policy_disclosure_version CHECK (pg_catalog.btrim(disclosure_version) OPERATOR(pg_catalog.<>) '');
COMMENT ON COLUMN kyc.policy.consent_purpose IS 'the purpose tag a consent must name to pass the consent gate of this product';
COMMENT ON COLUMN kyc.policy.disclosure_version IS 'the disclosure version in force for this product: consent to another version does not pass the consent gate';
-- granted as the installing superuser, as a fresh install does before kyc_owner takes the table,
-- so that the extension's initial privileges (pg_init_privs) name the same grantor
ALTER TABLE kyc.policy OWNER TO CURRENT_USER;
GRANT UPDATE (consent_purpose, disclosure_version) ON kyc.policy TO kyc_admin;
ALTER TABLE kyc.policy OWNER TO kyc_owner;

-- consent and funding have no decider
UPDATE kyc.gate_definition SET decider_roles = '{}' WHERE gate OPERATOR(pg_catalog.=) ANY (ARRAY['consent', 'funding']::kyc.gate[]);

-- the customer message catalog by owner

CREATE TABLE kyc.customer_message_key (
    message_key    text      PRIMARY KEY,
    owner          kyc.owner NOT NULL,
    approver_roles name[]    NOT NULL,
    description    text      NOT NULL,
    CONSTRAINT customer_message_key_name CHECK (message_key OPERATOR(pg_catalog.~) '^[a-z][a-z0-9_]*$'),
    CONSTRAINT customer_message_key_approvers CHECK (pg_catalog.cardinality(approver_roles) OPERATOR(pg_catalog.>) 0)
);
COMMENT ON TABLE kyc.customer_message_key IS
    'the customer message catalog by owner: each key is one responsibility line''s wording, approved by that line''s roles; neutral keys (owner cx) are shared by every line whose reasons must not show, such as AML';

ALTER TABLE kyc.customer_message_key ENABLE ROW LEVEL SECURITY;
ALTER TABLE kyc.customer_message_key FORCE ROW LEVEL SECURITY;
CREATE POLICY catalog_rows ON kyc.customer_message_key USING (true) WITH CHECK (true);
GRANT SELECT ON kyc.customer_message_key TO kyc_app, kyc_reviewer, kyc_fraud, kyc_aml, kyc_auditor, kyc_admin;
ALTER TABLE kyc.customer_message_key OWNER TO kyc_owner;

-- The customer message catalog by owner (seed 004 §9: "AML, fraud and product decline share
-- message" is an anti-pattern). Each key belongs to one responsibility line, whose roles approve
-- its wording (kyc.approve_customer_message). A line that may not show its hand (AML) uses the
-- neutral keys of cx, so that its hold and its decline read exactly like any other; a line whose
-- customer can act on the reason (identity, business, product, a stolen identity) has its own.
INSERT INTO kyc.customer_message_key (message_key, owner, approver_roles, description)
SELECT k, o::kyc.owner, r::name[], d
FROM (VALUES
    ('application_received', 'cx', '{kyc_admin}', 'the application arrived; nothing is asked yet'),
    ('consent_required', 'privacy_legal', '{kyc_admin}', 'the disclosures in force are not yet agreed to'),
    ('verification_in_progress', 'cx', '{kyc_admin}', 'checks are running'),
    ('under_review', 'cx', '{kyc_admin}', 'neutral hold, within its SLA: every review reads the same (AML and fraud included)'),
    ('review_delayed', 'cx', '{kyc_admin}', 'neutral hold past its SLA: says so and gives the escalation path'),
    ('additional_information_needed', 'cx', '{kyc_admin}', 'a request for information is open'),
    ('funding_needed', 'deposit_ops', '{kyc_reviewer}', 'the account waits for its first deposit'),
    ('contact_details_needed', 'cx', '{kyc_admin}', 'a notice could not be delivered'),
    ('account_opened_with_limits', 'cx', '{kyc_admin}', 'open with restrictions'),
    ('account_open', 'cx', '{kyc_admin}', 'open, not funded'),
    ('account_active', 'cx', '{kyc_admin}', 'open and funded'),
    ('product_not_available', 'product', '{kyc_admin}', 'product decline: eligibility, with other products to try'),
    ('unable_to_open_account', 'cx', '{kyc_admin}', 'neutral decline: risk policy declines (CDD, AML) read the same'),
    ('verification_not_completed', 'identity_platform', '{kyc_reviewer}', 'identity proofing could not finish: another way to verify'),
    ('identity_not_verified', 'kyc_cip', '{kyc_reviewer}', 'CIP decline: no reasonable belief of identity; how to verify in person'),
    ('business_not_verified', 'kyb_ops', '{kyc_reviewer}', 'KYB decline: the business could not be shown to exist; what to send'),
    ('application_not_confirmed', 'fraud_risk', '{kyc_fraud}', 'fraud decline: the application could not be confirmed as the applicant''s own; recourse for a stolen identity'),
    ('application_expired', 'cx', '{kyc_admin}', 'abandoned or timed out'),
    ('account_closed', 'cx', '{kyc_admin}', 'closed after opening')
) AS m (k, o, r, d);

UPDATE kyc.reason_code SET customer_message_key = 'identity_not_verified' WHERE code OPERATOR(pg_catalog.=) 'CIP.UNABLE_TO_VERIFY';
UPDATE kyc.reason_code SET customer_message_key = 'business_not_verified' WHERE code OPERATOR(pg_catalog.=) 'KYB.ENTITY_NOT_FOUND';
UPDATE kyc.reason_code SET customer_message_key = 'application_not_confirmed' WHERE code OPERATOR(pg_catalog.=) 'FRAUD.CONFIRMED';
ALTER TABLE kyc.reason_code ADD CONSTRAINT reason_code_customer_message_key_fkey
    FOREIGN KEY (customer_message_key) REFERENCES kyc.customer_message_key (message_key);
ALTER TABLE kyc.customer_message ADD CONSTRAINT customer_message_message_key_fkey
    FOREIGN KEY (message_key) REFERENCES kyc.customer_message_key (message_key);

INSERT INTO kyc.customer_message (message_key, locale, version, label, message, next_step, drafted_by, approved_by, approved_at)
SELECT k, l, 1, lb, m, n, 'pg_kyc', 'legal_cx_2026_11', pg_catalog.now()
FROM (VALUES
    ('review_delayed', 'en-US', 'Review taking longer', 'Your review is taking longer than we told you. We have escalated it to a senior reviewer.', 'No action needed. To follow up, call us and ask for the onboarding escalations team, or file a complaint in the app.'),
    ('identity_not_verified', 'en-US', 'Identity not verified', 'We could not verify your identity from the information you gave us, so we cannot open this account.', 'Bring a government photo ID to a branch, or call us to verify another way.'),
    ('business_not_verified', 'en-US', 'Business not verified', 'We could not confirm your business from public registration records, so we cannot open this account.', 'Send us your formation documents or certificate of good standing, or call us.'),
    ('application_not_confirmed', 'en-US', 'Application not confirmed', 'We could not confirm that this application was made by you, so we cannot open this account.', 'If you applied, call us to confirm it. If you did not, tell us so we can protect your identity.'),
    ('review_delayed', 'es-US', 'La revisión está tardando', 'Su revisión está tardando más de lo que le dijimos. La pasamos a un revisor superior.', 'No necesita hacer nada. Para darle seguimiento, llámenos y pida el equipo de escalamiento, o presente una queja en la aplicación.'),
    ('identity_not_verified', 'es-US', 'Identidad no verificada', 'No pudimos verificar su identidad con los datos que nos dio, así que no podemos abrir esta cuenta.', 'Traiga una identificación oficial con foto a una sucursal, o llámenos para verificarla de otra forma.'),
    ('business_not_verified', 'es-US', 'Empresa no verificada', 'No pudimos confirmar su empresa en los registros públicos, así que no podemos abrir esta cuenta.', 'Envíenos sus documentos de constitución o certificado de vigencia, o llámenos.'),
    ('application_not_confirmed', 'es-US', 'Solicitud no confirmada', 'No pudimos confirmar que usted hizo esta solicitud, así que no podemos abrir esta cuenta.', 'Si usted la hizo, llámenos para confirmarla. Si no, avísenos para proteger su identidad.')
) AS m (k, l, lb, m, n);


-- the applications a job run could not handle
CREATE TABLE kyc.job_item_failure (
    id             uuid        PRIMARY KEY DEFAULT pg_catalog.gen_random_uuid(),
    job            text        NOT NULL REFERENCES kyc.job_definition (job),
    tenant_id      text        NOT NULL,
    application_id uuid        NOT NULL,
    as_of          timestamptz NOT NULL,
    sqlstate       text        NOT NULL,
    error          text        NOT NULL,
    failed_at      timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    run_xact       xid8        NOT NULL DEFAULT pg_catalog.pg_current_xact_id()
);
CREATE INDEX job_item_failure_run_idx ON kyc.job_item_failure (run_xact);
COMMENT ON TABLE kyc.job_item_failure IS
    'one row per application a job run could not handle: its work on that application was undone, the others went on; the run''s record lists them';


ALTER TABLE kyc.job_item_failure ENABLE ROW LEVEL SECURITY;
ALTER TABLE kyc.job_item_failure FORCE ROW LEVEL SECURITY;
-- it names tenants and applications: a tenant row, read by a role in its own tenant only
CREATE POLICY tenant_isolation ON kyc.job_item_failure AS RESTRICTIVE
    USING (tenant_id OPERATOR(pg_catalog.=) (SELECT kyc.session_tenant()))
    WITH CHECK (tenant_id OPERATOR(pg_catalog.=) (SELECT kyc.session_tenant()));
CREATE POLICY tenant_rows ON kyc.job_item_failure USING (true) WITH CHECK (true);
GRANT SELECT ON kyc.job_item_failure TO kyc_jobs, kyc_admin, kyc_auditor;
ALTER TABLE kyc.job_item_failure OWNER TO kyc_owner;
SELECT pg_catalog.pg_extension_config_dump('kyc.job_item_failure', '');

-- functions

CREATE OR REPLACE FUNCTION kyc.set_gate(app uuid, gate kyc.gate, status kyc.gate_status,
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
    RETURN set_gate.status;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.set_gate(uuid, kyc.gate, kyc.gate_status, text, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.set_gate(uuid, kyc.gate, kyc.gate_status, text, text) IS
    'record a manual decision on one gate of an application; grant to kyc_app and reviewer roles (kyc.gate_definition.decider_roles decides per gate)';

CREATE OR REPLACE FUNCTION kyc.draft_policy(based_on uuid, description text) RETURNS uuid
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    actor name := kyc.assert_caller('draft a policy', 'kyc_admin');
    t     text := kyc.current_tenant();
    b     kyc.policy;
    id    uuid;
BEGIN
    SELECT * INTO b FROM kyc.policy p WHERE p.id OPERATOR(pg_catalog.=) draft_policy.based_on;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'policy "%" does not exist', draft_policy.based_on USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF draft_policy.description IS NULL OR pg_catalog.btrim(draft_policy.description) OPERATOR(pg_catalog.=) '' THEN
        RAISE EXCEPTION 'field "description" must not be empty' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    INSERT INTO kyc.policy AS p (tenant_id, product, jurisdiction, version, description, eligible_kinds,
        eligible_jurisdictions, risk_medium, risk_high, risk_prohibited, restrict_when_tier, restriction_kind,
        restriction_reason, restriction_lift, abandon_after, rfi_expire_after, max_rfi_rounds, consent_purpose,
        disclosure_version, author)
    SELECT t, b.product, b.jurisdiction,
           1 OPERATOR(pg_catalog.+) coalesce((SELECT pg_catalog.max(x.version) FROM kyc.policy x
                                              WHERE x.tenant_id OPERATOR(pg_catalog.=) t AND x.product OPERATOR(pg_catalog.=) b.product
                                                AND x.jurisdiction OPERATOR(pg_catalog.=) b.jurisdiction), 0),
           draft_policy.description, b.eligible_kinds, b.eligible_jurisdictions, b.risk_medium, b.risk_high,
           b.risk_prohibited, b.restrict_when_tier, b.restriction_kind, b.restriction_reason, b.restriction_lift,
           b.abandon_after, b.rfi_expire_after, b.max_rfi_rounds, b.consent_purpose, b.disclosure_version, actor
    RETURNING p.id INTO id;
    INSERT INTO kyc.policy_rule SELECT id, r.rule_no, r.gate, r.result, r.reason_code, r.min_confidence, r.status,
           r.decision_reason, r.queue, r.sla FROM kyc.policy_rule r WHERE r.policy_id OPERATOR(pg_catalog.=) b.id;
    INSERT INTO kyc.policy_risk_factor SELECT id, f.factor, f.value, f.weight
    FROM kyc.policy_risk_factor f WHERE f.policy_id OPERATOR(pg_catalog.=) b.id;
    INSERT INTO kyc.policy_timeout SELECT id, x.state, x.abandon_after
    FROM kyc.policy_timeout x WHERE x.policy_id OPERATOR(pg_catalog.=) b.id;
    INSERT INTO kyc.policy_early_life_rule SELECT id, x.rule, x.monitor_for, x.within, x.threshold, x.restriction_kind,
           x.reason_code, x.queue, x.sla
    FROM kyc.policy_early_life_rule x WHERE x.policy_id OPERATOR(pg_catalog.=) b.id;
    RETURN id;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.draft_policy(uuid, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.draft_policy(uuid, text) IS 'copy a policy into a new draft version of the session tenant''s; grant to kyc_admin';

CREATE OR REPLACE FUNCTION kyc.lift_restriction(restriction uuid, note text) RETURNS kyc.state
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    actor name := kyc.assert_caller('lift a restriction', 'kyc_reviewer', 'kyc_fraud', 'kyc_aml');
    r     kyc.restriction;
    c     kyc.reason_code;
    roles name[];
    t     kyc.review_task;
BEGIN
    SELECT * INTO r FROM kyc.restriction x WHERE x.id OPERATOR(pg_catalog.=) lift_restriction.restriction
                                             AND x.tenant_id OPERATOR(pg_catalog.=) kyc.current_tenant();
    IF NOT FOUND THEN
        RAISE EXCEPTION 'restriction "%" does not exist', lift_restriction.restriction
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Check the id and the setting kyc.tenant.';
    END IF;
    IF lift_restriction.note IS NULL OR pg_catalog.btrim(lift_restriction.note) OPERATOR(pg_catalog.=) '' THEN
        RAISE EXCEPTION 'field "note" must say how the lift condition was met' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- the owner of the reason lifts it: the worker roles of that line's queues
    SELECT * INTO c FROM kyc.reason_code x WHERE x.code OPERATOR(pg_catalog.=) r.reason_code;
    roles := ARRAY(SELECT DISTINCT w FROM kyc.review_queue q CROSS JOIN LATERAL pg_catalog.unnest(q.worker_roles) w
                   WHERE q.owner OPERATOR(pg_catalog.=) c.owner ORDER BY 1);
    IF pg_catalog.cardinality(roles) OPERATOR(pg_catalog.>) 0 THEN
        PERFORM kyc.assert_caller(pg_catalog.format('lift a restriction owned by %s', c.owner), VARIADIC roles);
    END IF;
    -- a live review of the restriction's gate decides it; lifting beside it would pre-empt the
    -- review; so does the review it was imposed for (adverse evidence on another gate, an alert)
    SELECT * INTO t FROM kyc.review_task x
    WHERE x.application_id OPERATOR(pg_catalog.=) r.application_id
      AND (x.gate OPERATOR(pg_catalog.=) c.gate OR x.id OPERATOR(pg_catalog.=) r.task_id
           OR x.id OPERATOR(pg_catalog.=) ANY (ARRAY(SELECT al.task_id FROM kyc.early_life_alert al
                                                     WHERE al.restriction_id OPERATOR(pg_catalog.=) r.id)))
      AND x.status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[])
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'cannot lift a restriction while its review is open'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = pg_catalog.format('The review task of gate "%s" in queue "%s" is %s.', t.gate, t.queue, t.status),
                  HINT = 'Resolve the review task: clearing it lifts the restriction.';
    END IF;
    RETURN kyc.lift_restriction_internal(lift_restriction.restriction, actor, lift_restriction.note);
END
$fn$;
REVOKE ALL ON FUNCTION kyc.lift_restriction(uuid, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.lift_restriction(uuid, text) IS
    'lift a restriction whose condition is met, as its owner''s queue role and with no live review of its gate (the last one opens a restricted account fully); grant to reviewer roles';

CREATE OR REPLACE FUNCTION kyc.close_account(app uuid, reason_code text, note text DEFAULT NULL) RETURNS kyc.state
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    actor name := kyc.assert_caller('close an account', 'kyc_app', 'kyc_reviewer', 'kyc_fraud', 'kyc_aml');
BEGIN
    IF NOT EXISTS (SELECT 1 FROM kyc.reason_code c WHERE c.code OPERATOR(pg_catalog.=) close_account.reason_code) THEN
        RAISE EXCEPTION 'reason code "%" does not exist', close_account.reason_code
            USING ERRCODE = 'KY003', HINT = 'Exit reasons (EXIT.*) are listed in kyc.reason_code.';
    END IF;
    -- a risk-policy exit is SAR-sensitive: one person never decides it alone
    IF close_account.reason_code OPERATOR(pg_catalog.=) 'EXIT.RISK_POLICY' THEN
        RAISE EXCEPTION 'a closure under the risk policy needs a second, different reviewer'
            USING ERRCODE = 'KY008',
                  DETAIL = 'EXIT.RISK_POLICY is decided in review, not by one caller.',
                  HINT = 'A reviewer declines the account''s review task and another reviewer of the queue confirms it.';
    END IF;
    RETURN kyc.close_account_internal(close_account.app, close_account.reason_code, close_account.note, actor);
END
$fn$;
REVOKE ALL ON FUNCTION kyc.close_account(uuid, text, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.close_account(uuid, text, text) IS
    'exit after opening: close an opened account with an exit reason; grant to kyc_app and reviewer roles';

CREATE OR REPLACE FUNCTION kyc.record_account_event(app uuid, kind kyc.account_event_kind, amount numeric DEFAULT NULL,
                                         device_id text DEFAULT NULL, occurred_at timestamptz DEFAULT pg_catalog.now())
RETURNS uuid
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    actor name := kyc.assert_caller('record account activity', 'kyc_app');
    a     kyc.application;
    id    uuid;
BEGIN
    IF record_account_event.kind IS NULL THEN
        RAISE EXCEPTION 'field "kind" must not be null' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF (record_account_event.kind OPERATOR(pg_catalog.=) 'device_change')
       OPERATOR(pg_catalog.<>) (record_account_event.device_id IS NOT NULL) THEN
        RAISE EXCEPTION 'field "device_id" is required for device_change and only for it' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF (record_account_event.kind OPERATOR(pg_catalog.<>) 'device_change')
       OPERATOR(pg_catalog.<>) (record_account_event.amount IS NOT NULL AND record_account_event.amount OPERATOR(pg_catalog.>) 0
                                AND record_account_event.amount OPERATOR(pg_catalog.<) 10000000000000000) THEN
        RAISE EXCEPTION 'field "amount" must be a positive amount below 10^16 for money movements, and absent for device_change'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF record_account_event.occurred_at IS NULL OR record_account_event.occurred_at OPERATOR(pg_catalog.>) pg_catalog.now()
       OR NOT pg_catalog.isfinite(record_account_event.occurred_at) THEN
        RAISE EXCEPTION 'field "occurred_at" must be a finite time not in the future' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    a := kyc.lock_application(record_account_event.app, true);
    -- a closed account has no activity to monitor: a late or wrong event must not reach a job
    IF a.state OPERATOR(pg_catalog.<>) ALL (ARRAY['approved_restricted', 'opened_not_funded', 'active']::kyc.state[])
       AND a.opened_at IS NOT NULL THEN
        RAISE EXCEPTION 'cannot record activity of an account in state "%"', a.state
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = pg_catalog.format('Application "%s" is %s.', a.external_ref, a.state),
                  HINT = 'Activity is recorded for open accounts only.';
    END IF;
    IF a.opened_at IS NULL OR record_account_event.occurred_at OPERATOR(pg_catalog.<) a.opened_at THEN
        RAISE EXCEPTION 'application "%" had no open account when the activity occurred', a.external_ref
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Account activity is recorded for opened accounts, from the time they opened.';
    END IF;
    INSERT INTO kyc.account_event AS e (tenant_id, application_id, kind, amount, device_id, occurred_at, recorded_by)
    VALUES (a.tenant_id, a.id, record_account_event.kind, record_account_event.amount, record_account_event.device_id,
            record_account_event.occurred_at, actor)
    RETURNING e.id INTO id;
    RETURN id;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.record_account_event(uuid, kyc.account_event_kind, numeric, text, timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION kyc.record_account_event(uuid, kyc.account_event_kind, numeric, text, timestamptz) IS
    'record activity of an opened account (deposits, returns, outbound transfers, device changes) for early-life monitoring; grant to kyc_app';

CREATE OR REPLACE FUNCTION kyc.resolve_task(task uuid, outcome kyc.review_outcome, reason_code text, note text DEFAULT NULL,
    OUT task_status kyc.task_status, OUT state kyc.state, OUT decision_outcome kyc.outcome)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    actor    name := kyc.assert_caller('resolve a review task', 'kyc_reviewer', 'kyc_fraud', 'kyc_aml');
    t        kyc.review_task;
    a        kyc.application;
    r        kyc.reason_code;
    d        kyc.gate_definition;
    early    boolean;
    override boolean;
    second   boolean;
    wanted   kyc.outcome;
    ev       record;
BEGIN
    IF resolve_task.outcome IS NULL THEN
        RAISE EXCEPTION 'field "outcome" must not be null' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    t := kyc.lock_task(resolve_task.task, 'resolve');
    SELECT * INTO a FROM kyc.application x WHERE x.id OPERATOR(pg_catalog.=) t.application_id;
    SELECT * INTO d FROM kyc.gate_definition x WHERE x.gate OPERATOR(pg_catalog.=) t.gate;
    early := t.origin OPERATOR(pg_catalog.=) 'early_life';
    second := t.status OPERATOR(pg_catalog.=) 'awaiting_second_review'::kyc.task_status;

    -- who may act on the task now
    IF t.status OPERATOR(pg_catalog.=) 'open'::kyc.task_status THEN
        RAISE EXCEPTION 'the review task is not claimed'
            USING ERRCODE = 'object_not_in_prerequisite_state', HINT = 'Claim it first with kyc.claim_task().';
    END IF;
    IF second AND t.proposed_by OPERATOR(pg_catalog.=) actor THEN
        RAISE EXCEPTION 'an override needs a second, different reviewer'
            USING ERRCODE = 'KY008',
                  DETAIL = pg_catalog.format('%s proposed to %s gate "%s"; the proposer cannot confirm it.',
                                             pg_catalog.quote_ident(t.proposed_by), t.proposed_outcome, t.gate),
                  HINT = 'Another reviewer of the queue claims the task and resolves it.';
    END IF;
    IF t.assignee IS DISTINCT FROM actor THEN
        RAISE EXCEPTION 'the review task is not claimed by you'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = pg_catalog.format('Its assignee is %s.', coalesce(pg_catalog.quote_ident(t.assignee), 'nobody')),
                  HINT = 'Claim it with kyc.claim_task().';
    END IF;

    -- the reason must be the catalog's, of this gate, of the outcome's class
    wanted := CASE resolve_task.outcome WHEN 'clear' THEN 'approve' WHEN 'waive' THEN 'approve'
                                        WHEN 'decline' THEN 'decline' ELSE 'request_information' END;
    SELECT * INTO r FROM kyc.reason_code c WHERE c.code OPERATOR(pg_catalog.=) resolve_task.reason_code;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'reason code "%" does not exist', resolve_task.reason_code
            USING ERRCODE = 'KY003', HINT = 'Reason codes are listed in kyc.reason_code.';
    END IF;
    IF r.gate IS DISTINCT FROM t.gate OR r.outcome_class OPERATOR(pg_catalog.<>) wanted THEN
        RAISE EXCEPTION 'reason code "%" cannot % gate "%"', r.code, resolve_task.outcome, t.gate
            USING ERRCODE = 'KY003',
                  DETAIL = pg_catalog.format('It belongs to gate "%s" with outcome class "%s"; this needs a reason of gate "%s" with outcome class "%s".',
                                             coalesce(r.gate::text, 'none'), r.outcome_class, t.gate, wanted);
    END IF;
    IF resolve_task.outcome OPERATOR(pg_catalog.=) 'waive' THEN
        IF NOT d.waivable THEN
            RAISE EXCEPTION 'gate "%" cannot be waived', t.gate
                USING ERRCODE = 'invalid_parameter_value', DETAIL = 'Consent, eligibility and funding must actually pass.';
        END IF;
        IF resolve_task.note IS NULL OR pg_catalog.btrim(resolve_task.note) OPERATOR(pg_catalog.=) '' THEN
            RAISE EXCEPTION 'a waiver needs a reason in field "note"' USING ERRCODE = 'invalid_parameter_value';
        END IF;
    END IF;
    -- the funding gate rests on money received (docs/activation.md): deposit operations clear its
    -- review once funding cleared, never in place of it (an account must not activate unfunded)
    IF resolve_task.outcome OPERATOR(pg_catalog.=) 'clear'::kyc.review_outcome AND t.gate OPERATOR(pg_catalog.=) 'funding'::kyc.gate
       AND NOT EXISTS (SELECT 1 FROM kyc.funding f WHERE f.application_id OPERATOR(pg_catalog.=) a.id
                         AND f.status OPERATOR(pg_catalog.=) 'cleared'::kyc.funding_status) THEN
        RAISE EXCEPTION 'cannot clear gate "funding" before funding has cleared'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = pg_catalog.format('Application "%s" has no cleared funding.', a.external_ref),
                  HINT = 'Cleared funding (kyc.record_funding) passes the gate; or request the funding from the applicant (FUND.NOT_RECEIVED).';
    END IF;
    IF early AND resolve_task.outcome OPERATOR(pg_catalog.<>) ALL (ARRAY['clear', 'decline']::kyc.review_outcome[]) THEN
        RAISE EXCEPTION 'cannot % gate "%" of an opened account', resolve_task.outcome, t.gate
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'On an opened account a reviewer clears (lifting the alert''s restriction) or declines (closing the account).';
    END IF;

    -- an override waits for a second reviewer, who confirms it by resolving the same way; so does
    -- the decline of an opened account's review, which closes the account under the risk policy
    override := (resolve_task.outcome OPERATOR(pg_catalog.=) ANY (ARRAY['clear', 'waive']::kyc.review_outcome[])
                 AND NOT early AND kyc.is_override(a.id, t.gate, pg_catalog.now()))
                OR (early AND resolve_task.outcome OPERATOR(pg_catalog.=) 'decline'::kyc.review_outcome);
    IF override AND NOT second THEN
        UPDATE kyc.review_task x
           SET status = 'awaiting_second_review', assignee = NULL, claimed_at = NULL,
               proposed_outcome = resolve_task.outcome, proposed_reason = r.code, proposed_note = resolve_task.note,
               proposed_by = actor, proposed_at = pg_catalog.now()
         WHERE x.id OPERATOR(pg_catalog.=) t.id;
        PERFORM kyc.append_evidence(a.id, 'override', kyc.gate_class(t.gate),
            pg_catalog.jsonb_build_object('action', 'propose', 'task_id', t.id, 'gate', t.gate, 'outcome', resolve_task.outcome,
                                          'reason_code', r.code, 'note', resolve_task.note, 'proposed_by', actor));
        task_status := 'awaiting_second_review';
        state := a.state;
        RETURN;
    END IF;
    IF second AND override AND resolve_task.outcome OPERATOR(pg_catalog.<>) t.proposed_outcome THEN
        RAISE EXCEPTION 'the second reviewer must confirm the proposed % or decide otherwise', t.proposed_outcome
            USING ERRCODE = 'KY008',
                  DETAIL = pg_catalog.format('%s proposed to %s gate "%s".', pg_catalog.quote_ident(t.proposed_by),
                                             t.proposed_outcome, t.gate),
                  HINT = 'Resolve with the proposed outcome to confirm it, or decline or request information.';
    END IF;

    UPDATE kyc.review_task x
       SET status = 'resolved', resolution = resolve_task.outcome, resolution_reason = r.code,
           resolution_note = resolve_task.note, resolved_by = actor, resolved_at = pg_catalog.now()
     WHERE x.id OPERATOR(pg_catalog.=) t.id;
    PERFORM kyc.append_evidence(a.id, CASE WHEN second AND override THEN 'override' ELSE 'reviewer_action' END::kyc.evidence_kind,
        kyc.gate_class(t.gate),
        pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
            'action', CASE WHEN second AND override THEN 'confirm' ELSE 'resolve' END, 'task_id', t.id, 'queue', t.queue,
            'gate', t.gate, 'outcome', resolve_task.outcome, 'reason_code', r.code, 'note', resolve_task.note,
            'proposed_by', t.proposed_by, 'proposed_outcome', t.proposed_outcome)));
    task_status := 'resolved';

    IF early THEN
        -- an early-life concern: cleared lifts what monitoring imposed, declined closes the account
        IF resolve_task.outcome OPERATOR(pg_catalog.=) 'clear' THEN
            FOR ev IN SELECT al.restriction_id FROM kyc.early_life_alert al
                      JOIN kyc.restriction x ON x.id OPERATOR(pg_catalog.=) al.restriction_id
                      WHERE al.task_id OPERATOR(pg_catalog.=) t.id AND x.lifted_at IS NULL
            LOOP
                state := kyc.lift_restriction_internal(ev.restriction_id, actor,
                                                       pg_catalog.format('review task cleared: %s', r.code));
            END LOOP;
        ELSE
            state := kyc.close_account_internal(a.id, 'EXIT.RISK_POLICY',
                                                pg_catalog.format('review task declined: %s', r.code), actor);
        END IF;
        state := (SELECT x.state FROM kyc.application x WHERE x.id OPERATOR(pg_catalog.=) a.id);
        RETURN;
    END IF;

    IF resolve_task.outcome OPERATOR(pg_catalog.=) 'request_information' THEN
        PERFORM kyc.request_information_internal(a, t, r.code, actor);
    END IF;
    PERFORM kyc.record_gate(a.id, t.gate,
        CASE resolve_task.outcome WHEN 'clear' THEN 'passed' WHEN 'waive' THEN 'waived'
                                  WHEN 'decline' THEN 'failed' ELSE 'info_needed' END::kyc.gate_status,
        r.code, coalesce(resolve_task.note, pg_catalog.format('review task %s', t.id)), actor, 'manual');
    SELECT e.outcome, e.state INTO decision_outcome, state FROM kyc.evaluate(a.id) e;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.resolve_task(uuid, kyc.review_outcome, text, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.resolve_task(uuid, kyc.review_outcome, text, text) IS
    'a reviewer''s decision on a claimed task: recorded as evidence, applied to the gate, the application re-evaluated; overrides need a second reviewer';

CREATE OR REPLACE FUNCTION kyc.run_job(job text, now timestamptz, batch integer) RETURNS kyc.job_run
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    actor   name := kyc.assert_caller(pg_catalog.format('run job "%s"', run_job.job), 'kyc_jobs');
    def     kyc.job_definition;
    run     kyc.job_run;
    started timestamptz := pg_catalog.clock_timestamp();
    saved   text := pg_catalog.current_setting('kyc.tenant', true);
    size    integer;
    t       text;
    n       integer;
    total   integer := 0;
    tenants integer := 0;
    more    boolean := false;
    status  text := 'succeeded';
    detail  jsonb := '{}';
    last    timestamptz;
    failed  jsonb;
BEGIN
    SELECT * INTO def FROM kyc.job_definition d WHERE d.job OPERATOR(pg_catalog.=) run_job.job;
    IF run_job.now IS NULL OR NOT pg_catalog.isfinite(run_job.now) THEN
        RAISE EXCEPTION 'field "now" must be a finite time' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    size := coalesce(run_job.batch, def.batch_size);
    IF size OPERATOR(pg_catalog.<=) 0 OR size OPERATOR(pg_catalog.>) 100000 THEN
        RAISE EXCEPTION 'field "batch" must be between 1 and 100000' USING ERRCODE = 'invalid_parameter_value';
    END IF;

    IF NOT pg_catalog.pg_try_advisory_xact_lock(pg_catalog.hashtext('pg_kyc job'), pg_catalog.hashtext(def.job)) THEN
        status := 'skipped';
        detail := '{"reason": "another run of this job holds its lock"}';
    ELSIF run_job.now OPERATOR(pg_catalog.<) (SELECT pg_catalog.max(r.as_of) FROM kyc.job_run r
                                            WHERE r.job OPERATOR(pg_catalog.=) def.job
                                              AND r.status OPERATOR(pg_catalog.<>) 'skipped') THEN
        -- a late run: the work as of then was done by the run as of later
        last := (SELECT pg_catalog.max(r.as_of) FROM kyc.job_run r
                 WHERE r.job OPERATOR(pg_catalog.=) def.job AND r.status OPERATOR(pg_catalog.<>) 'skipped');
        status := 'skipped';
        detail := pg_catalog.jsonb_build_object('reason', 'now is before the last run of this job', 'last_as_of', last);
    ELSIF def.job OPERATOR(pg_catalog.=) 'seal'
          AND run_job.now OPERATOR(pg_catalog.<) (SELECT pg_catalog.max(d.sealed_at) FROM kyc.ledger_digest d) THEN
        -- ... and a seal an administrator made as of later (kyc.seal_ledger) did the seal job's work
        last := (SELECT pg_catalog.max(d.sealed_at) FROM kyc.ledger_digest d);
        status := 'skipped';
        detail := pg_catalog.jsonb_build_object('reason', 'now is before the last seal', 'last_as_of', last);
    ELSIF def.job OPERATOR(pg_catalog.=) ANY (ARRAY['seal', 'cleanup']) THEN
        -- ledger-wide jobs: seals cover every tenant; job records carry no tenant data
        BEGIN
            IF def.job OPERATOR(pg_catalog.=) 'seal' THEN
                total := (kyc.seal_ledger(run_job.now) IS NOT NULL)::integer;
            ELSE
                total := kyc.job_cleanup(run_job.now, size);
                more := total OPERATOR(pg_catalog.>=) size;
            END IF;
        EXCEPTION WHEN OTHERS THEN
            status := 'failed';
            detail := pg_catalog.jsonb_build_object('sqlstate', SQLSTATE, 'error', SQLERRM);
            RAISE WARNING 'pg_kyc job "%" failed: %', def.job, SQLERRM;
        END;
    ELSE
        FOR t IN SELECT kyc.job_tenants() LOOP
            PERFORM pg_catalog.set_config('kyc.tenant', t, true);
            BEGIN
                EXECUTE pg_catalog.format('SELECT kyc.%I($1, $2)', 'job_' OPERATOR(pg_catalog.||) def.job)
                    INTO n USING run_job.now, size;
                total := total OPERATOR(pg_catalog.+) n;
                more := more OR n OPERATOR(pg_catalog.>=) size;
                detail := detail OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object(t, n);
            EXCEPTION WHEN OTHERS THEN
                -- one tenant's failure is recorded and does not stop the others
                status := 'failed';
                detail := detail OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object(t,
                              pg_catalog.jsonb_build_object('sqlstate', SQLSTATE, 'error', SQLERRM));
                RAISE WARNING 'pg_kyc job "%" failed in tenant "%": %', def.job, t, SQLERRM;
            END;
            tenants := tenants OPERATOR(pg_catalog.+) 1;
        END LOOP;
        PERFORM pg_catalog.set_config('kyc.tenant', coalesce(saved, ''), true);
        -- applications that failed alone, their work undone and the rest of their tenant's done
        failed := (SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('tenant', f.tenant_id, 'application', f.application_id,
                                                                              'sqlstate', f.sqlstate, 'error', f.error)
                                               ORDER BY f.failed_at)
                   FROM kyc.job_item_failure f
                   WHERE f.run_xact OPERATOR(pg_catalog.=) pg_catalog.pg_current_xact_id() AND f.job OPERATOR(pg_catalog.=) def.job
                     AND f.as_of OPERATOR(pg_catalog.=) run_job.now);
        IF failed IS NOT NULL THEN
            status := 'failed';
            detail := detail OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object('failed_items', failed);
        END IF;
    END IF;

    INSERT INTO kyc.job_run AS r (job, as_of, started_at, finished_at, run_by, status, tenants, processed, more_due, detail)
    VALUES (def.job, run_job.now, started, pg_catalog.clock_timestamp(), actor, status, tenants, total, more, detail)
    RETURNING r.* INTO run;
    RETURN run;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.run_job(text, timestamptz, integer) FROM PUBLIC;
COMMENT ON FUNCTION kyc.run_job(text, timestamptz, integer) IS
    'internal: run one job over the caller''s tenants under its advisory lock, and record the run';

CREATE OR REPLACE FUNCTION kyc.job_item_failed(job text, app uuid, as_of timestamptz, sqlstate text, error text) RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    INSERT INTO kyc.job_item_failure (job, tenant_id, application_id, as_of, sqlstate, error)
    VALUES (job_item_failed.job, kyc.current_tenant(), job_item_failed.app, job_item_failed.as_of,
            job_item_failed.sqlstate, job_item_failed.error);
    RAISE WARNING 'pg_kyc job "%" failed for application "%" in tenant "%": %', job_item_failed.job,
        (SELECT a.external_ref FROM kyc.application a WHERE a.id OPERATOR(pg_catalog.=) job_item_failed.app),
        kyc.current_tenant(), job_item_failed.error;
END
$fn$;
COMMENT ON FUNCTION kyc.job_item_failed(text, uuid, timestamptz, text, text) IS
    'internal: record that a job run could not handle one application, which does not stop the run';

CREATE OR REPLACE FUNCTION kyc.job_sla_sweep(now timestamptz, batch integer) RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    c record;
    t kyc.review_task;
    n integer := 0;
BEGIN
    FOR c IN SELECT x.id, x.application_id FROM kyc.review_task x
             WHERE x.tenant_id OPERATOR(pg_catalog.=) kyc.current_tenant()
               AND x.status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[])
               AND x.escalated_at IS NULL AND x.sla_due_at OPERATOR(pg_catalog.<=) job_sla_sweep.now
             ORDER BY x.sla_due_at LIMIT job_sla_sweep.batch
    LOOP
        CONTINUE WHEN NOT kyc.try_lock_application(c.application_id);
        BEGIN
            UPDATE kyc.review_task x
               SET priority = LEAST(100, x.priority OPERATOR(pg_catalog.+) 30), escalated_at = job_sla_sweep.now
             WHERE x.id OPERATOR(pg_catalog.=) c.id AND x.escalated_at IS NULL
               AND x.status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[])
            RETURNING x.* INTO t;
            CONTINUE WHEN NOT FOUND;
            PERFORM kyc.append_evidence(t.application_id, 'reviewer_action', kyc.gate_class(t.gate),
                pg_catalog.jsonb_build_object('action', 'escalate', 'task_id', t.id, 'queue', t.queue, 'gate', t.gate,
                                              'sla_due_at', t.sla_due_at, 'as_of', job_sla_sweep.now, 'priority', t.priority,
                                              'assignee', t.assignee));
            n := n OPERATOR(pg_catalog.+) 1;
        EXCEPTION WHEN OTHERS THEN
            PERFORM kyc.job_item_failed('sla_sweep', c.application_id, job_sla_sweep.now, SQLSTATE, SQLERRM);
        END;
    END LOOP;
    RETURN n;
END
$fn$;
COMMENT ON FUNCTION kyc.job_sla_sweep(timestamptz, integer) IS 'internal: the SLA sweep in the session tenant';

CREATE OR REPLACE FUNCTION kyc.job_signal_expiry(now timestamptz, batch integer) RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    since timestamptz := coalesce((SELECT pg_catalog.max(r.as_of) FROM kyc.job_run r
                                   WHERE r.job OPERATOR(pg_catalog.=) 'signal_expiry' AND r.status OPERATOR(pg_catalog.=) 'succeeded'
                                     AND NOT r.more_due) OPERATOR(pg_catalog.-) '1 day'::interval, '-infinity');
    app   uuid;
    n     integer := 0;
BEGIN
    FOR app IN SELECT s.application_id
               FROM kyc.signal s JOIN kyc.application a ON a.id OPERATOR(pg_catalog.=) s.application_id
               WHERE s.tenant_id OPERATOR(pg_catalog.=) kyc.current_tenant()
                 AND s.expires_at OPERATOR(pg_catalog.<=) job_signal_expiry.now AND s.expires_at OPERATOR(pg_catalog.>) since
                 AND a.state OPERATOR(pg_catalog.<>) ALL (ARRAY['declined', 'abandoned', 'closed', 'approved_restricted',
                                                              'opened_not_funded', 'active']::kyc.state[])
                 AND s.expires_at OPERATOR(pg_catalog.>) coalesce((SELECT pg_catalog.max(d.decided_as_of) FROM kyc.decision d
                                                                   WHERE d.application_id OPERATOR(pg_catalog.=) s.application_id),
                                                                  '-infinity')
               GROUP BY s.application_id
               ORDER BY pg_catalog.min(s.expires_at)
               LIMIT job_signal_expiry.batch
    LOOP
        CONTINUE WHEN NOT kyc.try_lock_application(app);
        -- one application that cannot be decided must not keep the rest of its tenant undecided
        BEGIN
            PERFORM kyc.evaluate(app, job_signal_expiry.now);
            n := n OPERATOR(pg_catalog.+) 1;
        EXCEPTION WHEN OTHERS THEN
            PERFORM kyc.job_item_failed('signal_expiry', app, job_signal_expiry.now, SQLSTATE, SQLERRM);
        END;
    END LOOP;
    RETURN n;
END
$fn$;
COMMENT ON FUNCTION kyc.job_signal_expiry(timestamptz, integer) IS 'internal: signal expiry re-evaluation in the session tenant';

CREATE OR REPLACE FUNCTION kyc.job_early_life(now timestamptz, batch integer) RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    c    record;
    a    kyc.application;
    rid  uuid;
    tid  uuid;
    seq  bigint;
    n    integer := 0;
BEGIN
    FOR c IN SELECT x.id, r.rule, r.within, r.threshold, r.restriction_kind, r.reason_code, r.queue, r.sla, r.monitor_for, o.observed
             FROM kyc.application x
             JOIN kyc.policy_early_life_rule r ON r.policy_id OPERATOR(pg_catalog.=) x.policy_id
             CROSS JOIN LATERAL (SELECT kyc.early_life_observed(x.id, r.rule, r.within, x.opened_at, job_early_life.now) AS observed) o
             WHERE x.tenant_id OPERATOR(pg_catalog.=) kyc.current_tenant()
               AND x.opened_at OPERATOR(pg_catalog.>=) (job_early_life.now OPERATOR(pg_catalog.-) r.monitor_for OPERATOR(pg_catalog.-) '7 days'::interval)
               AND x.state OPERATOR(pg_catalog.=) ANY (ARRAY['approved_restricted', 'opened_not_funded', 'active']::kyc.state[])
               AND EXISTS (SELECT 1 FROM kyc.account_event e WHERE e.application_id OPERATOR(pg_catalog.=) x.id)
               AND NOT EXISTS (SELECT 1 FROM kyc.early_life_alert al
                               WHERE al.application_id OPERATOR(pg_catalog.=) x.id AND al.rule OPERATOR(pg_catalog.=) r.rule)
               AND o.observed OPERATOR(pg_catalog.>=) r.threshold
             ORDER BY x.opened_at, r.rule LIMIT job_early_life.batch
    LOOP
        CONTINUE WHEN NOT kyc.try_lock_application(c.id);
        SELECT * INTO a FROM kyc.application x WHERE x.id OPERATOR(pg_catalog.=) c.id;
        CONTINUE WHEN a.state OPERATOR(pg_catalog.<>) ALL (ARRAY['approved_restricted', 'opened_not_funded', 'active']::kyc.state[]);
        BEGIN
            rid := kyc.impose_restriction(a.id, c.restriction_kind, c.reason_code,
                                          pg_catalog.format('fraud review of the early-life alert (%s) clears it', c.rule));
            IF a.state OPERATOR(pg_catalog.<>) 'approved_restricted' THEN
                UPDATE kyc.application x SET state = 'approved_restricted', state_reason = c.reason_code,
                                             state_note = pg_catalog.format('early-life rule %s', c.rule)
                WHERE x.id OPERATOR(pg_catalog.=) a.id;
            END IF;
            tid := kyc.open_review_task(a.id, 'fraud', c.queue, ARRAY[c.reason_code], c.sla, 'early_life', NULL, job_early_life.now);
            seq := kyc.append_evidence(a.id, 'fraud_signal', 'fraud_sensitive',
                pg_catalog.jsonb_build_object('source', 'early_life_monitoring', 'rule', c.rule, 'observed', c.observed::text,
                                              'threshold', c.threshold::text, 'within', c.within::text, 'as_of', job_early_life.now,
                                              'restriction_id', rid, 'task_id', tid));
            INSERT INTO kyc.early_life_alert (tenant_id, application_id, rule, observed, threshold, detected_at, restriction_id, task_id, evidence_seq)
            VALUES (a.tenant_id, a.id, c.rule, c.observed, c.threshold, job_early_life.now, rid, tid, seq);
            n := n OPERATOR(pg_catalog.+) 1;
        EXCEPTION WHEN OTHERS THEN
            PERFORM kyc.job_item_failed('early_life', a.id, job_early_life.now, SQLSTATE, SQLERRM);
        END;
    END LOOP;
    RETURN n;
END
$fn$;
COMMENT ON FUNCTION kyc.job_early_life(timestamptz, integer) IS 'internal: early-life monitoring in the session tenant';

CREATE OR REPLACE FUNCTION kyc.job_retention(now timestamptz, batch integer) RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    tenant text := kyc.current_tenant();
    app    uuid;
    rr     record;
    n      integer := 0;
BEGIN
    FOR app IN SELECT a.id FROM kyc.application a
               WHERE a.tenant_id OPERATOR(pg_catalog.=) tenant
                 AND a.state OPERATOR(pg_catalog.=) ANY (ARRAY['declined', 'abandoned', 'closed']::kyc.state[])
                 AND NOT EXISTS (SELECT 1 FROM kyc.legal_hold h
                                 WHERE h.application_id OPERATOR(pg_catalog.=) a.id AND h.released_at IS NULL)
                 AND EXISTS (SELECT 1 FROM kyc.retention_rule r JOIN kyc.evidence e
                                 ON e.application_id OPERATOR(pg_catalog.=) a.id AND e.data_class OPERATOR(pg_catalog.=) r.data_class
                             WHERE r.tenant_id OPERATOR(pg_catalog.=) tenant
                               AND a.state_changed_at OPERATOR(pg_catalog.+) r.keep_for OPERATOR(pg_catalog.<=) job_retention.now
                               AND e.payload IS NOT NULL AND e.kind OPERATOR(pg_catalog.<>) 'retention_action'::kyc.evidence_kind)
               ORDER BY a.state_changed_at LIMIT job_retention.batch
    LOOP
        CONTINUE WHEN NOT kyc.try_lock_application(app);
        BEGIN
            FOR rr IN SELECT r.data_class, r.keep_for, r.legal_basis,
                             ARRAY(SELECT e.seq FROM kyc.evidence e
                                   WHERE e.application_id OPERATOR(pg_catalog.=) app AND e.data_class OPERATOR(pg_catalog.=) r.data_class
                                     AND e.payload IS NOT NULL AND e.kind OPERATOR(pg_catalog.<>) 'retention_action'::kyc.evidence_kind
                                   ORDER BY e.seq) AS seqs
                      FROM kyc.retention_rule r JOIN kyc.application a ON a.id OPERATOR(pg_catalog.=) app
                      WHERE r.tenant_id OPERATOR(pg_catalog.=) tenant
                        AND a.state_changed_at OPERATOR(pg_catalog.+) r.keep_for OPERATOR(pg_catalog.<=) job_retention.now
                      ORDER BY r.data_class
            LOOP
                CONTINUE WHEN pg_catalog.cardinality(rr.seqs) OPERATOR(pg_catalog.=) 0;
                PERFORM kyc.redact_evidence(app, rr.seqs,
                    pg_catalog.format('retention: %s payloads are kept %s after the application concluded', rr.data_class, rr.keep_for),
                    rr.legal_basis);
            END LOOP;
            n := n OPERATOR(pg_catalog.+) 1;
        EXCEPTION WHEN OTHERS THEN
            PERFORM kyc.job_item_failed('retention', app, job_retention.now, SQLSTATE, SQLERRM);
        END;
    END LOOP;
    RETURN n;
END
$fn$;
COMMENT ON FUNCTION kyc.job_retention(timestamptz, integer) IS 'internal: retention in the session tenant';

CREATE OR REPLACE FUNCTION kyc.job_cleanup(now timestamptz, batch integer) RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    n integer;
    m integer := 0;
BEGIN
    DELETE FROM kyc.job_item_failure f
    WHERE f.id OPERATOR(pg_catalog.=) ANY (ARRAY(SELECT x.id FROM kyc.job_item_failure x
                                                 WHERE x.failed_at OPERATOR(pg_catalog.<) (job_cleanup.now OPERATOR(pg_catalog.-) '90 days'::interval)
                                                 ORDER BY x.failed_at LIMIT job_cleanup.batch));
    DELETE FROM kyc.job_run r
    WHERE r.id OPERATOR(pg_catalog.=) ANY (ARRAY(SELECT x.id FROM kyc.job_run x
                                                 WHERE x.started_at OPERATOR(pg_catalog.<) (job_cleanup.now OPERATOR(pg_catalog.-) '90 days'::interval)
                                                 ORDER BY x.started_at LIMIT job_cleanup.batch));
    GET DIAGNOSTICS n = ROW_COUNT;
    IF pg_catalog.to_regclass('cron.job_run_details') IS NOT NULL THEN
        EXECUTE 'DELETE FROM cron.job_run_details d USING cron.job j'
                ' WHERE d.jobid OPERATOR(pg_catalog.=) j.jobid AND j.jobname OPERATOR(pg_catalog.~~) ''kyc\_%'''
                ' AND d.start_time OPERATOR(pg_catalog.<) ($1 OPERATOR(pg_catalog.-) ''90 days''::interval)'
            USING job_cleanup.now;
        GET DIAGNOSTICS m = ROW_COUNT;
    END IF;
    RETURN n OPERATOR(pg_catalog.+) m;
END
$fn$;
COMMENT ON FUNCTION kyc.job_cleanup(timestamptz, integer) IS 'internal: delete job-run records older than 90 days';

CREATE OR REPLACE FUNCTION kyc.schedule_jobs() RETURNS TABLE (job text, cron_job text, schedule text, jobid bigint)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    d kyc.job_definition;
BEGIN
    PERFORM kyc.assert_caller('schedule the jobs', 'kyc_jobs');
    IF pg_catalog.to_regnamespace('cron') IS NULL THEN
        PERFORM kyc.cron_missing('schedule', kyc.cron_schedule_lines());
    END IF;
    -- two sessions at once would unschedule each other's rows (pg_cron fails on a row deleted
    -- under it): one at a time, each then sees the other's committed registrations
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('pg_kyc schedule'), 0);
    EXECUTE 'SELECT pg_catalog.count(cron.unschedule(j.jobid)) FROM cron.job j'
            ' WHERE j.jobname OPERATOR(pg_catalog.~~) ''kyc\_%'' AND j.username OPERATOR(pg_catalog.=) CURRENT_USER'
            ' AND pg_catalog.substr(j.jobname, 5) OPERATOR(pg_catalog.<>) ALL ($1)'
        USING ARRAY(SELECT x.job FROM kyc.job_definition x);
    FOR d IN SELECT * FROM kyc.job_definition x ORDER BY x.job LOOP
        job := d.job;
        cron_job := 'kyc_' OPERATOR(pg_catalog.||) d.job;
        schedule := d.schedule;
        EXECUTE 'SELECT pg_catalog.count(cron.unschedule(j.jobid)) FROM cron.job j WHERE j.jobname OPERATOR(pg_catalog.=) $1'
                ' AND j.username OPERATOR(pg_catalog.=) CURRENT_USER'
            USING cron_job;
        EXECUTE 'SELECT cron.schedule($1, $2, $3)' INTO jobid USING cron_job, d.schedule, d.command;
        RETURN NEXT;
    END LOOP;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.schedule_jobs() FROM PUBLIC;
COMMENT ON FUNCTION kyc.schedule_jobs() IS
    'register the jobs with pg_cron as kyc_<job>, running as the caller (idempotent; only kyc_ jobs are touched); grant to kyc_jobs';

CREATE OR REPLACE FUNCTION kyc.unschedule_jobs() RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    n integer;
BEGIN
    PERFORM kyc.assert_caller('unschedule the jobs', 'kyc_jobs');
    IF pg_catalog.to_regnamespace('cron') IS NULL THEN
        PERFORM kyc.cron_missing('unschedule',
            (SELECT pg_catalog.string_agg(pg_catalog.format('SELECT cron.unschedule(%L);', 'kyc_' OPERATOR(pg_catalog.||) d.job),
                                          E'\n' ORDER BY d.job) FROM kyc.job_definition d));
    END IF;
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('pg_kyc schedule'), 0);
    EXECUTE 'SELECT pg_catalog.count(cron.unschedule(j.jobid))::integer FROM cron.job j'
            ' WHERE j.jobname OPERATOR(pg_catalog.~~) ''kyc\_%'' AND j.username OPERATOR(pg_catalog.=) CURRENT_USER'
        INTO n;
    RETURN n;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.unschedule_jobs() FROM PUBLIC;
COMMENT ON FUNCTION kyc.unschedule_jobs() IS 'remove the caller''s kyc_ jobs from pg_cron; grant to kyc_jobs';

CREATE OR REPLACE FUNCTION kyc.customer_status(app uuid, locale text DEFAULT 'en-US',
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

CREATE OR REPLACE FUNCTION kyc.record_notice(app uuid, notice_type text, channel text, delivery_proof jsonb,
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
        RAISE EXCEPTION 'a notice of type "%" does not fit an application in state "%"', record_notice.notice_type, a.state
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

CREATE OR REPLACE FUNCTION kyc.draft_customer_message(message_key text, locale text, label text, message text, next_step text)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    actor   name := kyc.assert_caller('draft customer wording', 'kyc_admin');
    tenant  text := kyc.current_tenant();
    f       record;
    version integer;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM kyc.customer_message_key k
                   WHERE k.message_key OPERATOR(pg_catalog.=) draft_customer_message.message_key) THEN
        RAISE EXCEPTION 'message key "%" does not exist', draft_customer_message.message_key
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'A tenant rewords the shipped keys (SELECT message_key FROM kyc.customer_message_key); it does not add keys.';
    END IF;
    IF draft_customer_message.locale IS NULL OR draft_customer_message.locale OPERATOR(pg_catalog.!~) '^[a-z]{2}-[A-Z]{2}$' THEN
        RAISE EXCEPTION 'field "locale" must be a language and region such as "en-US"' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR f IN SELECT * FROM (VALUES ('label', draft_customer_message.label, 80),
                                   ('message', draft_customer_message.message, 500),
                                   ('next_step', draft_customer_message.next_step, 200)) AS v (field, value, max_length)
    LOOP
        IF f.value IS NULL OR pg_catalog.btrim(f.value) OPERATOR(pg_catalog.=) '' OR pg_catalog.length(f.value) OPERATOR(pg_catalog.>) f.max_length THEN
            RAISE EXCEPTION 'field "%" must be 1 to % characters', f.field, f.max_length USING ERRCODE = 'invalid_parameter_value';
        END IF;
    END LOOP;
    -- one version sequence per key and locale across the shipped wording and the tenant's; the
    -- advisory lock serialises two drafts of the same key
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('pg_kyc wording'),
                                             pg_catalog.hashtext(tenant OPERATOR(pg_catalog.||) '/' OPERATOR(pg_catalog.||) draft_customer_message.message_key
                                                                 OPERATOR(pg_catalog.||) '/' OPERATOR(pg_catalog.||) draft_customer_message.locale));
    version := 1 OPERATOR(pg_catalog.+) coalesce((SELECT pg_catalog.max(m.version) FROM kyc.customer_message m
                                                  WHERE m.tenant_id OPERATOR(pg_catalog.=) ANY (ARRAY['*', tenant])
                                                    AND m.message_key OPERATOR(pg_catalog.=) draft_customer_message.message_key
                                                    AND m.locale OPERATOR(pg_catalog.=) draft_customer_message.locale), 0);
    INSERT INTO kyc.customer_message (tenant_id, message_key, locale, version, label, message, next_step, drafted_by)
    VALUES (tenant, draft_customer_message.message_key, draft_customer_message.locale, version,
            pg_catalog.btrim(draft_customer_message.label), pg_catalog.btrim(draft_customer_message.message),
            pg_catalog.btrim(draft_customer_message.next_step), actor);
    RETURN version;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.draft_customer_message(text, text, text, text, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.draft_customer_message(text, text, text, text, text) IS
    'draft the next version of a customer message for the session''s tenant; a second administrator approves it; grant to kyc_admin';

CREATE OR REPLACE FUNCTION kyc.approve_customer_message(message_key text, locale text, version integer) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    actor  name := kyc.assert_caller('approve customer wording', 'kyc_admin', 'kyc_reviewer', 'kyc_fraud', 'kyc_aml');
    tenant text := kyc.current_tenant();
    m      kyc.customer_message;
    k      kyc.customer_message_key;
BEGIN
    -- each line approves its own wording: fraud's by fraud, identity's by KYC operations
    SELECT * INTO k FROM kyc.customer_message_key x WHERE x.message_key OPERATOR(pg_catalog.=) approve_customer_message.message_key;
    IF FOUND THEN
        PERFORM kyc.assert_caller(pg_catalog.format('approve wording owned by %s', k.owner), VARIADIC k.approver_roles);
    END IF;
    SELECT * INTO m FROM kyc.customer_message x
    WHERE x.tenant_id OPERATOR(pg_catalog.=) tenant AND x.message_key OPERATOR(pg_catalog.=) approve_customer_message.message_key
      AND x.locale OPERATOR(pg_catalog.=) approve_customer_message.locale AND x.version OPERATOR(pg_catalog.=) approve_customer_message.version
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the tenant has no draft of message "%" (%) version %', approve_customer_message.message_key,
                        approve_customer_message.locale, approve_customer_message.version
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Drafts are made with kyc.draft_customer_message().';
    END IF;
    IF m.approved_by IS NOT NULL THEN
        RAISE EXCEPTION 'message "%" (%) version % is already approved', m.message_key, m.locale, m.version
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF m.drafted_by OPERATOR(pg_catalog.=) actor THEN
        RAISE EXCEPTION 'customer wording needs a second, different administrator'
            USING ERRCODE = 'KY008',
                  DETAIL = pg_catalog.format('%s drafted version %s of "%s" (%s).', pg_catalog.quote_ident(m.drafted_by),
                                             m.version, m.message_key, m.locale),
                  HINT = 'Another administrator of the tenant approves it.';
    END IF;
    UPDATE kyc.customer_message x SET approved_by = actor, approved_at = pg_catalog.now()
    WHERE x.tenant_id OPERATOR(pg_catalog.=) m.tenant_id AND x.message_key OPERATOR(pg_catalog.=) m.message_key
      AND x.locale OPERATOR(pg_catalog.=) m.locale AND x.version OPERATOR(pg_catalog.=) m.version;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.approve_customer_message(text, text, integer) FROM PUBLIC;
COMMENT ON FUNCTION kyc.approve_customer_message(text, text, integer) IS
    'put a drafted customer message in force for the tenant, as a role of the line that owns the key (four eyes: not its drafter); grant to kyc_admin and reviewer roles';

REVOKE ALL ON FUNCTION kyc.job_item_failed(text, uuid, timestamptz, text, text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION kyc.early_life_observed(app uuid, rule kyc.early_life_rule_kind, within interval, opened_at timestamptz,
                                        now timestamptz)
RETURNS numeric
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT CASE early_life_observed.rule
        WHEN 'funding_returned' THEN
            (SELECT pg_catalog.count(*)::numeric FROM kyc.account_event e
             WHERE e.application_id OPERATOR(pg_catalog.=) early_life_observed.app
               AND e.kind OPERATOR(pg_catalog.=) 'funding_returned'::kyc.account_event_kind
               AND e.occurred_at OPERATOR(pg_catalog.<=) early_life_observed.now)
        WHEN 'rapid_outflow' THEN
            -- the share truncated at 30 decimals, never rounded up: 79.999% stays below an 80% threshold
            (SELECT pg_catalog.trim_scale(pg_catalog.div(coalesce(pg_catalog.sum(e.amount), 0) OPERATOR(pg_catalog.*) 1e30, f.total)
                                          OPERATOR(pg_catalog.*) 1e-30)
             FROM (SELECT pg_catalog.min(x.recorded_at) AS first_at, pg_catalog.sum(x.amount) AS total FROM kyc.funding x
                   WHERE x.application_id OPERATOR(pg_catalog.=) early_life_observed.app
                     AND x.status OPERATOR(pg_catalog.=) 'cleared'::kyc.funding_status) f
             JOIN kyc.account_event e ON e.application_id OPERATOR(pg_catalog.=) early_life_observed.app
                  AND e.kind OPERATOR(pg_catalog.=) 'outbound_transfer'::kyc.account_event_kind
                  AND e.occurred_at OPERATOR(pg_catalog.>=) f.first_at
                  AND e.occurred_at OPERATOR(pg_catalog.<=) (f.first_at OPERATOR(pg_catalog.+) early_life_observed.within)
                  AND e.occurred_at OPERATOR(pg_catalog.<=) early_life_observed.now
             GROUP BY f.total)
        ELSE
            (SELECT pg_catalog.count(DISTINCT e.device_id)::numeric FROM kyc.account_event e
             WHERE e.application_id OPERATOR(pg_catalog.=) early_life_observed.app
               AND e.kind OPERATOR(pg_catalog.=) 'device_change'::kyc.account_event_kind
               AND e.occurred_at OPERATOR(pg_catalog.>) (early_life_observed.now OPERATOR(pg_catalog.-) early_life_observed.within)
               AND e.occurred_at OPERATOR(pg_catalog.<=) early_life_observed.now
               AND e.occurred_at OPERATOR(pg_catalog.>=) early_life_observed.opened_at)
    END;
END;
COMMENT ON FUNCTION kyc.early_life_observed(uuid, kyc.early_life_rule_kind, interval, timestamptz, timestamptz) IS
    'internal: what an early-life rule observes on an account as of now (count, outflow share of funding, distinct devices)';

CREATE OR REPLACE VIEW kyc.job_health WITH (security_invoker = true) AS
SELECT d.job, d.schedule, d.expected_every,
       l.started_at AS last_run_at, l.status AS last_status, l.processed AS last_processed, l.more_due,
       s.started_at AS last_success_at,
       (s.started_at IS NULL
        OR s.started_at OPERATOR(pg_catalog.<) (pg_catalog.now() OPERATOR(pg_catalog.-) (d.expected_every OPERATOR(pg_catalog.*) 2))) AS stale,
       CASE WHEN s.started_at IS NULL THEN 'never succeeded'
            WHEN s.started_at OPERATOR(pg_catalog.<) (pg_catalog.now() OPERATOR(pg_catalog.-) (d.expected_every OPERATOR(pg_catalog.*) 2))
                THEN 'stale: no success within twice its interval'
            WHEN l.status OPERATOR(pg_catalog.=) 'failed' THEN 'failing'
            WHEN l.more_due THEN 'behind: more was due than one batch'
            ELSE 'ok' END AS health,
       coalesce(pg_catalog.jsonb_array_length(l.detail OPERATOR(pg_catalog.->) 'failed_items'), 0) AS last_failed_items
FROM kyc.job_definition d
LEFT JOIN LATERAL (SELECT r.* FROM kyc.job_run r WHERE r.job OPERATOR(pg_catalog.=) d.job
                   AND r.status OPERATOR(pg_catalog.<>) 'skipped'
                   ORDER BY r.started_at DESC LIMIT 1) l ON true
LEFT JOIN LATERAL (SELECT r.started_at FROM kyc.job_run r WHERE r.job OPERATOR(pg_catalog.=) d.job
                   AND r.status OPERATOR(pg_catalog.=) 'succeeded'
                   ORDER BY r.started_at DESC LIMIT 1) s ON true;
COMMENT ON VIEW kyc.job_health IS 'per job: last run, last success, whether it is stale, failing or behind, and how many applications its last run could not handle';

-- each line approves the wording of its own message keys (kyc.customer_message_key)
GRANT EXECUTE ON FUNCTION kyc.approve_customer_message(text, text, integer) TO kyc_reviewer, kyc_fraud, kyc_aml;
