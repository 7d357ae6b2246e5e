\echo Use "ALTER EXTENSION pg_kyc UPDATE" to load this file. \quit
-- pg_kyc 0.1.0 -> 0.2.0. 0.1.0 is frozen in extension/released/; the 0.2.0 install script is the
-- concatenation of extension/parts/. Every change made to a part since 0.1.0 needs its step here
-- (CREATE OR REPLACE FUNCTION, ALTER TABLE, new catalog rows, grants, comments), so that an
-- updated database equals a fresh install: tests/scripts/upgrade.sh compares the two. Qualify
-- every name as the parts do; the search_path of ALTER EXTENSION is not to be trusted.
--
-- The API's hot paths in C (the onboarding flow at more than half the rate of plain inserts):
-- every function keeps its name, signature, return type, volatility, security (SECURITY DEFINER
-- ones keep SET search_path = pg_catalog, pg_temp), defaults, owner and privileges; only its
-- language changes to C. CREATE OR REPLACE keeps the privileges; the REVOKE and COMMENT
-- statements repeat parts/ exactly. Then the PL/pgSQL helpers of the old submit_signal, which
-- nothing else calls, are dropped.

-- The one rule of tenancy: a role may work in a tenant when it is a member of a role the tenant was
-- granted to, and that grant's role still has the OID and the name it was granted under (after a
-- restore into another cluster, or a rename, they disagree and the grant gives nothing until
-- kyc.rebind_tenant_grants()). Superusers are let in by the callers. In C (src/tenant_grant.c),
-- where every API call asks it through kyc.current_tenant and kyc.session_tenant; kyc.job_tenants
-- asks it here. Internal: granted to nobody.
CREATE OR REPLACE FUNCTION kyc.tenant_granted(tenant text, member oid) RETURNS boolean
    LANGUAGE c STABLE
    AS 'MODULE_PATHNAME', 'kyc_tenant_granted';
REVOKE ALL ON FUNCTION kyc.tenant_granted(text, oid) FROM PUBLIC;
COMMENT ON FUNCTION kyc.tenant_granted(text, oid) IS
    'internal: whether a role works in a tenant (a member of a role granted it, the grant''s OID and name agreeing)';

-- Opens an application in the session's tenant with one gate row per gate, pinning the policy
-- version in force for its product and jurisdiction. Idempotent on
-- (tenant, external_ref): a retry with the same attributes returns the same application.
-- In C (src/open_application.c). Grant to: kyc_app.
CREATE OR REPLACE FUNCTION kyc.open_application(
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

-- Locks and returns an application of the session's tenant, or raises KY004. Internal helper of
-- the API functions (not granted to anyone). Writers lock FOR NO KEY UPDATE, which serialises
-- them (an id never changes, so FOR UPDATE would only add conflicts with foreign-key checks);
-- readers (shared) lock FOR KEY SHARE, which keeps the row but never waits for, or blocks, a
-- writer. In C (src/application_lock.c), which the C API functions call too.
CREATE OR REPLACE FUNCTION kyc.lock_application(app uuid, shared boolean DEFAULT false) RETURNS kyc.application
    LANGUAGE c VOLATILE
    AS 'MODULE_PATHNAME', 'kyc_lock_application';
REVOKE ALL ON FUNCTION kyc.lock_application(uuid, boolean) FROM PUBLIC;
COMMENT ON FUNCTION kyc.lock_application(uuid, boolean) IS
    'internal: lock an application of the session''s tenant (for no key update, or key share for readers), or raise KY004';

-- The same for an action that a concluded application (declined, abandoned, closed) refuses:
-- "cannot <action> an application in terminal state ...". Internal.
CREATE OR REPLACE FUNCTION kyc.lock_open_application(app uuid, action text) RETURNS kyc.application
    LANGUAGE c VOLATILE
    AS 'MODULE_PATHNAME', 'kyc_lock_open_application';
REVOKE ALL ON FUNCTION kyc.lock_open_application(uuid, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.lock_open_application(uuid, text) IS
    'internal: lock an application of the session''s tenant that is not concluded, or raise';

-- Records one gate's status and its gate_decision evidence row; refuses to leave a critical gate
-- of an opened account unresolved. In C (src/gate_record.c), which evaluation calls too.
-- Internal: granted to nobody; the API's definer functions call it after their own checks.
CREATE OR REPLACE FUNCTION kyc.record_gate(app uuid, gate kyc.gate, status kyc.gate_status, reason_code text, note text, actor name,
                                via text)
    RETURNS void
    LANGUAGE c VOLATILE
    AS 'MODULE_PATHNAME', 'kyc_record_gate';
REVOKE ALL ON FUNCTION kyc.record_gate(uuid, kyc.gate, kyc.gate_status, text, text, name, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.record_gate(uuid, kyc.gate, kyc.gate_status, text, text, name, text) IS
    'internal: set one gate''s status and write its gate_decision evidence';

-- Accepts one decision signal from a model or vendor (docs/signals.md). Refuses, naming the field,
-- anything malformed, and writes nothing then. Appends the signal as evidence. It does not decide:
-- kyc.evaluate() does. In C (src/signal.c): the checks, in their documented order, and the writes.
-- Grant to: kyc_app.
CREATE OR REPLACE FUNCTION kyc.submit_signal(app uuid, signal jsonb) RETURNS uuid
    LANGUAGE c VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'kyc_submit_signal';
REVOKE ALL ON FUNCTION kyc.submit_signal(uuid, jsonb) FROM PUBLIC;
COMMENT ON FUNCTION kyc.submit_signal(uuid, jsonb) IS
    'accept one decision signal (docs/signals.md), as evidence; refuses malformed signals naming the field; grant to kyc_app';

-- The PL/pgSQL checks of the old submit_signal: the checks are in C now (src/signal.c).
DROP FUNCTION kyc.signal_strings(jsonb, text, boolean, integer);
DROP FUNCTION kyc.signal_label(jsonb, text, text[]);
DROP FUNCTION kyc.signal_text(jsonb, text, boolean, integer, text);
DROP FUNCTION kyc.signal_field_error(text, text, text);

-- Consent and purpose capture settles the consent gate; withdrawal reopens it. Both are evidence
-- of kind consent (customer_safe: the customer may see what they agreed to). Capture is in C
-- (src/consent.c). Grant to: kyc_app.
CREATE OR REPLACE FUNCTION kyc.capture_consent(app uuid, purpose text, disclosure_version text, channel_proof jsonb)
RETURNS bigint
    LANGUAGE c VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'kyc_capture_consent';
REVOKE ALL ON FUNCTION kyc.capture_consent(uuid, text, text, jsonb) FROM PUBLIC;
COMMENT ON FUNCTION kyc.capture_consent(uuid, text, text, jsonb) IS
    'record consent (purpose tag, disclosure version, channel proof) as evidence and pass the consent gate; grant to kyc_app';

-- The published policy in force for a product and jurisdiction: the tenant's own before the
-- shipped defaults (tenant "*"), the most specific jurisdiction ("*" is any), the highest version.
-- In C (src/policy_in_force.c), with its statement planned once per backend; it runs with the
-- caller's rights, so row-level security decides which policies it sees.
CREATE OR REPLACE FUNCTION kyc.policy_in_force(tenant text, product text, jurisdiction text) RETURNS uuid
    LANGUAGE c STABLE
    AS 'MODULE_PATHNAME', 'kyc_policy_in_force';
COMMENT ON FUNCTION kyc.policy_in_force(text, text, text) IS 'the published policy an application of this product and jurisdiction pins when it opens';

-- Everything kyc.decide() reads about one application, now: recorded in the decision so that
-- kyc.replay() can recompute it. In C (src/evaluate.c), which evaluation calls, with its query
-- planned once per backend. Internal.
CREATE OR REPLACE FUNCTION kyc.decision_inputs(app uuid, as_of timestamptz) RETURNS jsonb
    LANGUAGE c STABLE
    AS 'MODULE_PATHNAME', 'kyc_decision_inputs';
COMMENT ON FUNCTION kyc.decision_inputs(uuid, timestamptz) IS 'internal: the inputs of a decision about an application';

-- Moves an application toward the state a decision asks for, along catalog edges: through
-- consent_captured from the start, and on to active once funding cleared. In C (src/evaluate.c).
-- Internal.
CREATE OR REPLACE FUNCTION kyc.move_toward(app uuid, target kyc.state, reason_code text, note text) RETURNS kyc.state
    LANGUAGE c VOLATILE
    AS 'MODULE_PATHNAME', 'kyc_move_toward';
COMMENT ON FUNCTION kyc.move_toward(uuid, kyc.state, text, text) IS
    'internal: move an application toward a decided state along catalog edges (an opened account is not moved back into review)';

-- Evaluates an application under its pinned policy: every gate from the live signals, one
-- outcome, a kyc.decision row with its exact inputs, evidence, the state move, a restriction for
-- a restricted approval, a review task for a hold. In C (src/evaluate.c). Grant to: kyc_app,
-- kyc_reviewer, kyc_fraud, kyc_aml.
CREATE OR REPLACE FUNCTION kyc.evaluate(app uuid, as_of timestamptz DEFAULT pg_catalog.now(),
    OUT decision_id uuid, OUT outcome kyc.outcome, OUT state kyc.state, OUT risk_tier kyc.risk_tier)
    LANGUAGE c VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'kyc_evaluate';
REVOKE ALL ON FUNCTION kyc.evaluate(uuid, timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION kyc.evaluate(uuid, timestamptz) IS
    'decide an application under its pinned policy, record the decision and its evidence, move its state; grant to kyc_app and reviewer roles';

-- Records a funding event of an opened account. Cleared funding passes the funding gate; a
-- return puts it in review in deposit operations' queue. Activation is a separate step
-- (kyc.activate). In C (src/activation.c). Grant to: kyc_app.
CREATE OR REPLACE FUNCTION kyc.record_funding(app uuid, amount numeric, currency text, source text, reference text,
                                   status kyc.funding_status DEFAULT 'cleared')
RETURNS uuid
    LANGUAGE c VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'kyc_record_funding';
REVOKE ALL ON FUNCTION kyc.record_funding(uuid, numeric, text, text, text, kyc.funding_status) FROM PUBLIC;
COMMENT ON FUNCTION kyc.record_funding(uuid, numeric, text, text, text, kyc.funding_status) IS
    'record a funding event of an opened account (cleared passes the funding gate, returned routes to deposit ops); grant to kyc_app';

-- Activates an opened, funded account. In C (src/activation.c). Grant to: kyc_app.
CREATE OR REPLACE FUNCTION kyc.activate(app uuid) RETURNS kyc.state
    LANGUAGE c VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'kyc_activate';
REVOKE ALL ON FUNCTION kyc.activate(uuid) FROM PUBLIC;
COMMENT ON FUNCTION kyc.activate(uuid) IS 'activate an opened account whose funding cleared; grant to kyc_app';

-- Evidence and decisions stay inline and uncompressed up to a page (compression cost a twentieth
-- of an onboarding's CPU); rows written before keep their storage.
ALTER TABLE kyc.evidence SET (toast_tuple_target = 8160);
ALTER TABLE kyc.decision SET (toast_tuple_target = 8160);
