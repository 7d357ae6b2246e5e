-- pg_kyc install script, concatenated from extension/parts/ by the Makefile. Do not edit the
-- generated extension/pg_kyc--<version>.sql; edit the part.

\echo Use "CREATE EXTENSION pg_kyc" to load this file. \quit
-- Payload digests hash UTF-8 bytes (docs/ledger-format.md): refuse any other database encoding.
DO $encoding$
BEGIN
    IF pg_catalog.getdatabaseencoding() OPERATOR(pg_catalog.<>) 'UTF8' THEN
        RAISE EXCEPTION 'pg_kyc requires a UTF8 database, this one is %', pg_catalog.getdatabaseencoding()
            USING ERRCODE = 'feature_not_supported',
                  HINT = 'Create the database with ENCODING ''UTF8''.';
    END IF;
END
$encoding$;
-- The extension owns its schema (as pg_cron owns "cron"): CREATE fails on a pre-existing "kyc"
-- schema that someone else could have prepared, and DROP EXTENSION removes it.
CREATE SCHEMA kyc;
COMMENT ON SCHEMA kyc IS 'pg_kyc: account-opening decisioning, state machine and evidence';
-- Group roles are cluster-wide and never extension members: created when absent, never dropped
-- by DROP EXTENSION. DBAs grant them to login roles (docs/security.md); kyc_owner owns the tables
-- and is granted to no one.
DO $roles$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['kyc_app', 'kyc_reviewer', 'kyc_fraud', 'kyc_aml', 'kyc_cx',
                             'kyc_auditor', 'kyc_admin', 'kyc_jobs', 'kyc_owner']
    LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) r) THEN
            EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END
$roles$;
-- kyc.hash256: a SHA-256 value, 32 bytes, shown as 64 lower-case hex digits.
CREATE TYPE kyc.hash256;

CREATE FUNCTION kyc.hash256_in(cstring) RETURNS kyc.hash256
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'kyc_hash256_in';
CREATE FUNCTION kyc.hash256_out(kyc.hash256) RETURNS cstring
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'kyc_hash256_out';
CREATE FUNCTION kyc.hash256_recv(internal) RETURNS kyc.hash256
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'kyc_hash256_recv';
CREATE FUNCTION kyc.hash256_send(kyc.hash256) RETURNS bytea
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'kyc_hash256_send';

CREATE TYPE kyc.hash256 (
    INPUT = kyc.hash256_in,
    OUTPUT = kyc.hash256_out,
    RECEIVE = kyc.hash256_recv,
    SEND = kyc.hash256_send,
    INTERNALLENGTH = 32,
    ALIGNMENT = char,
    STORAGE = plain
);
COMMENT ON TYPE kyc.hash256 IS 'a SHA-256 value: 32 bytes, text form 64 hex digits';

CREATE FUNCTION kyc.hash256_cmp(kyc.hash256, kyc.hash256) RETURNS integer
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'kyc_hash256_cmp';
CREATE FUNCTION kyc.hash256_eq(kyc.hash256, kyc.hash256) RETURNS boolean
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'kyc_hash256_eq';
CREATE FUNCTION kyc.hash256_ne(kyc.hash256, kyc.hash256) RETURNS boolean
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'kyc_hash256_ne';
CREATE FUNCTION kyc.hash256_lt(kyc.hash256, kyc.hash256) RETURNS boolean
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'kyc_hash256_lt';
CREATE FUNCTION kyc.hash256_le(kyc.hash256, kyc.hash256) RETURNS boolean
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'kyc_hash256_le';
CREATE FUNCTION kyc.hash256_gt(kyc.hash256, kyc.hash256) RETURNS boolean
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'kyc_hash256_gt';
CREATE FUNCTION kyc.hash256_ge(kyc.hash256, kyc.hash256) RETURNS boolean
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'kyc_hash256_ge';
CREATE FUNCTION kyc.hash256_hash(kyc.hash256) RETURNS integer
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'kyc_hash256_hash';
CREATE FUNCTION kyc.hash256_hash_extended(kyc.hash256, bigint) RETURNS bigint
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'kyc_hash256_hash_extended';

-- The comparison operators live in pg_catalog, like the built-in types' ones, so that "=" and "<"
-- work on kyc.hash256 whatever the search_path; they match only (kyc.hash256, kyc.hash256).
CREATE OPERATOR pg_catalog.= (LEFTARG = kyc.hash256, RIGHTARG = kyc.hash256, FUNCTION = kyc.hash256_eq,
    COMMUTATOR = OPERATOR(pg_catalog.=), NEGATOR = OPERATOR(pg_catalog.<>), RESTRICT = eqsel, JOIN = eqjoinsel,
    HASHES, MERGES);
CREATE OPERATOR pg_catalog.<> (LEFTARG = kyc.hash256, RIGHTARG = kyc.hash256, FUNCTION = kyc.hash256_ne,
    COMMUTATOR = OPERATOR(pg_catalog.<>), NEGATOR = OPERATOR(pg_catalog.=), RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR pg_catalog.< (LEFTARG = kyc.hash256, RIGHTARG = kyc.hash256, FUNCTION = kyc.hash256_lt,
    COMMUTATOR = OPERATOR(pg_catalog.>), NEGATOR = OPERATOR(pg_catalog.>=), RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR pg_catalog.<= (LEFTARG = kyc.hash256, RIGHTARG = kyc.hash256, FUNCTION = kyc.hash256_le,
    COMMUTATOR = OPERATOR(pg_catalog.>=), NEGATOR = OPERATOR(pg_catalog.>), RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR pg_catalog.> (LEFTARG = kyc.hash256, RIGHTARG = kyc.hash256, FUNCTION = kyc.hash256_gt,
    COMMUTATOR = OPERATOR(pg_catalog.<), NEGATOR = OPERATOR(pg_catalog.<=), RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR pg_catalog.>= (LEFTARG = kyc.hash256, RIGHTARG = kyc.hash256, FUNCTION = kyc.hash256_ge,
    COMMUTATOR = OPERATOR(pg_catalog.<=), NEGATOR = OPERATOR(pg_catalog.<), RESTRICT = scalargesel, JOIN = scalargejoinsel);

CREATE OPERATOR CLASS kyc.hash256_ops DEFAULT FOR TYPE kyc.hash256 USING btree AS
    OPERATOR 1 pg_catalog.<, OPERATOR 2 pg_catalog.<=, OPERATOR 3 pg_catalog.=, OPERATOR 4 pg_catalog.>=, OPERATOR 5 pg_catalog.>,
    FUNCTION 1 kyc.hash256_cmp(kyc.hash256, kyc.hash256);
CREATE OPERATOR CLASS kyc.hash256_hash_ops DEFAULT FOR TYPE kyc.hash256 USING hash AS
    OPERATOR 1 pg_catalog.=,
    FUNCTION 1 kyc.hash256_hash(kyc.hash256),
    FUNCTION 2 kyc.hash256_hash_extended(kyc.hash256, bigint);

CREATE FUNCTION kyc.hash256(bytea) RETURNS kyc.hash256
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'kyc_hash256_from_bytea';
CREATE FUNCTION kyc.bytea(kyc.hash256) RETURNS bytea
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'kyc_hash256_to_bytea';
CREATE CAST (bytea AS kyc.hash256) WITH FUNCTION kyc.hash256(bytea);
CREATE CAST (kyc.hash256 AS bytea) WITH FUNCTION kyc.bytea(kyc.hash256);
CREATE TYPE kyc.state AS ENUM (
    'application_started',
    'consent_captured',
    'identity_proofing_pending',
    'cip_verification_pending',
    'cdd_review_pending',
    'kyb_review_pending',
    'fraud_review_pending',
    'aml_review_pending',
    'information_requested',
    'approved_restricted',
    'opened_not_funded',
    'active',
    'declined',
    'abandoned',
    'closed'
);
COMMENT ON TYPE kyc.state IS 'onboarding state of an application; moves only along kyc.state_transition';
CREATE TYPE kyc.gate AS ENUM (
    'consent',
    'eligibility',
    'identity_proofing',
    'cip',
    'cdd',
    'kyb_ubo',
    'fraud',
    'aml',
    'funding',
    'communication'
);
COMMENT ON TYPE kyc.gate IS 'a decision domain of account opening, each with one owner (kyc.gate_definition)';

CREATE TYPE kyc.gate_status AS ENUM (
    'pending',
    'passed',
    'failed',
    'review',
    'info_needed',
    'waived',
    'not_applicable'
);
COMMENT ON TYPE kyc.gate_status IS 'status of one gate of one application';
CREATE TYPE kyc.owner AS ENUM (
    'product',
    'identity_platform',
    'kyc_cip',
    'bsa_aml',
    'kyb_ops',
    'fraud_risk',
    'deposit_ops',
    'privacy_legal',
    'cx'
);
COMMENT ON TYPE kyc.owner IS 'responsibility line that owns a gate, its reason codes and its queue';
CREATE TYPE kyc.outcome AS ENUM (
    'approve',
    'approve_restricted',
    'request_information',
    'hold_for_review',
    'decline',
    'exit',
    'abandon'
);
COMMENT ON TYPE kyc.outcome IS 'outcome of an evaluation, and the outcome class of a reason code';
CREATE TYPE kyc.data_class AS ENUM (
    'customer_safe',
    'internal',
    'pii',
    'fraud_sensitive',
    'sar_restricted'
);
COMMENT ON TYPE kyc.data_class IS 'sensitivity class of a reason code or evidence payload; drives row-level security';
CREATE TYPE kyc.applicant_kind AS ENUM ('individual', 'business');
COMMENT ON TYPE kyc.applicant_kind IS 'individual (retail) or business (KYB/UBO applies) applicant';

CREATE TYPE kyc.channel AS ENUM ('digital', 'branch', 'contact_center', 'partner');
COMMENT ON TYPE kyc.channel IS 'channel through which the application was opened';

CREATE TYPE kyc.restriction_kind AS ENUM (
    'funding_limit',
    'no_outbound_transfers',
    'card_hold',
    'deposit_hold',
    'channel_limit'
);
COMMENT ON TYPE kyc.restriction_kind IS 'kind of limit placed on an account opened with restrictions';
-- What an evidence row records: the objects of the seed's evidence bundle (seed 004 §5) and the
-- actions around them. docs/ledger.md says what each payload holds.
CREATE TYPE kyc.evidence_kind AS ENUM (
    'application_snapshot',     -- form, channel, product, customer inputs at open
    'consent',                  -- disclosure, consent, purpose, third-party sharing
    'identity_claim',           -- the applicant's core attributes and proofing path
    'evidence_validation',      -- document / attribute validation result
    'identity_verification',    -- face match, liveness, manual check, trusted referee
    'cip_verification',         -- documentary / non-documentary CIP method and result
    'cdd_profile',              -- purpose, expected activity, risk factors, risk tier
    'ubo_package',              -- entity, authority, owners and controllers, attestation
    'fraud_signal',             -- device, network, velocity, synthetic, mule indicators
    'aml_referral',             -- red flags, referral reason, analyst decision
    'signal',                   -- any other decision signal from a model or vendor
    'decision',                 -- outcome, reasons, policy and model versions, inputs
    'gate_decision',            -- a gate's status set by a reviewer or the service
    'state_change',             -- a state transition
    'reviewer_action',          -- a reviewer's claim, note or resolution
    'override',                 -- a human override of a decision (four eyes)
    'notice',                   -- customer communication with template and delivery proof
    'information_request',      -- an RFI and its response
    'restriction',              -- a limit imposed or lifted
    'funding',                  -- funding source and result
    'activation',               -- account activation
    'account_closure',          -- exit after opening: reason, funds to return
    'retention_action',         -- redaction or purge by the retention path
    'evidence_access'           -- a read of a restricted payload
);
COMMENT ON TYPE kyc.evidence_kind IS 'what an evidence row records';
CREATE TYPE kyc.signal_result AS ENUM ('pass', 'fail', 'inconclusive', 'refer', 'error');
COMMENT ON TYPE kyc.signal_result IS
    'what a model or vendor concluded: pass, fail, inconclusive (not enough to decide), refer (a human should look), error (the check did not run)';

CREATE TYPE kyc.confidence AS ENUM ('low', 'medium', 'high');
COMMENT ON TYPE kyc.confidence IS 'calibrated confidence bucket of a signal';
CREATE TYPE kyc.policy_status AS ENUM ('draft', 'published', 'retired');
COMMENT ON TYPE kyc.policy_status IS 'a policy is written as a draft, published once (then immutable), retired when replaced';

CREATE TYPE kyc.risk_tier AS ENUM ('low', 'medium', 'high', 'prohibited');
COMMENT ON TYPE kyc.risk_tier IS 'CDD risk tier computed from the policy''s weighted factors';
-- Review work (docs/queues.md): a task's life, what a reviewer may decide, and the RFI loop.
CREATE TYPE kyc.task_status AS ENUM ('open', 'claimed', 'awaiting_second_review', 'resolved', 'cancelled');
COMMENT ON TYPE kyc.task_status IS
    'open (in its queue), claimed (one reviewer works it), awaiting_second_review (an override waits for a second reviewer), resolved, cancelled (the application concluded)';

CREATE TYPE kyc.review_outcome AS ENUM ('clear', 'decline', 'waive', 'request_information');
COMMENT ON TYPE kyc.review_outcome IS
    'what a reviewer decides about a task''s gate: clear (passed), decline (failed, with a decline reason of the gate), waive (an authorised waiver with a reason), request_information (an RFI to the applicant)';

CREATE TYPE kyc.rfi_status AS ENUM ('open', 'answered', 'expired', 'cancelled');
COMMENT ON TYPE kyc.rfi_status IS 'a request for information: open until the applicant answers, it expires, or the application concludes';
-- Funding, activation and the first weeks of an account (docs/activation.md).
CREATE TYPE kyc.funding_status AS ENUM ('pending', 'cleared', 'returned');
COMMENT ON TYPE kyc.funding_status IS 'state of the initial funding of an account: pending (in flight), cleared, returned';

CREATE TYPE kyc.account_event_kind AS ENUM ('deposit', 'funding_returned', 'outbound_transfer', 'device_change');
COMMENT ON TYPE kyc.account_event_kind IS 'activity of a newly opened account that early-life monitoring reads';

CREATE TYPE kyc.early_life_rule_kind AS ENUM ('funding_returned', 'rapid_outflow', 'device_churn');
COMMENT ON TYPE kyc.early_life_rule_kind IS
    'funding_returned (any return of funding), rapid_outflow (outbound transfers reaching a share of funding within a period of funding), device_churn (distinct new devices within a period)';
CREATE TABLE kyc.tenant_grant (
    tenant_id  text        NOT NULL,
    role_oid   oid         NOT NULL,
    role_name  name        NOT NULL,
    granted_by name        NOT NULL,
    granted_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (tenant_id, role_oid),
    CONSTRAINT tenant_grant_tenant_set CHECK (tenant_id OPERATOR(pg_catalog.<>) '' AND tenant_id OPERATOR(pg_catalog.<>) '*')
);
COMMENT ON TABLE kyc.tenant_grant IS
    'which roles may work in which tenant: setting kyc.tenant is not enough, the session''s role must be a member of a role granted that tenant';
CREATE TABLE kyc.gate_definition (
    gate          kyc.gate  PRIMARY KEY,
    owner         kyc.owner NOT NULL,
    critical      boolean   NOT NULL,
    business_only boolean   NOT NULL DEFAULT false,
    pending_state kyc.state,
    waivable      boolean   NOT NULL,
    decider_roles name[]    NOT NULL,
    description   text      NOT NULL,
    UNIQUE (gate, owner)
);
COMMENT ON TABLE kyc.gate_definition IS
    'catalog of gates: owner, whether the gate is critical for opening, the state that means it is pending, whether a reviewer may waive it, and which roles may record a manual gate decision';
CREATE TABLE kyc.state_definition (
    state       kyc.state PRIMARY KEY,
    phase       text      NOT NULL,
    description text      NOT NULL,
    CONSTRAINT state_definition_phase CHECK
        (phase OPERATOR(pg_catalog.=) ANY (ARRAY['start', 'in_progress', 'opened', 'terminal']))
);
COMMENT ON TABLE kyc.state_definition IS
    'what each state means and its phase (start, in_progress, opened, terminal); the diagram groups states by phase';
CREATE TABLE kyc.state_transition (
    from_state  kyc.state NOT NULL,
    to_state    kyc.state NOT NULL,
    description text      NOT NULL,
    PRIMARY KEY (from_state, to_state),
    CONSTRAINT state_transition_no_loop CHECK (from_state OPERATOR(pg_catalog.<>) to_state),
    -- Invariant 1 holds even if the catalog is edited: terminal states have no way out.
    CONSTRAINT state_transition_terminal CHECK
        (from_state OPERATOR(pg_catalog.<>) ALL (ARRAY['declined', 'abandoned', 'closed']::kyc.state[])),
    -- Invariant 3: closing is an exit after opening.
    CONSTRAINT state_transition_close_after_open CHECK
        (to_state OPERATOR(pg_catalog.<>) 'closed'::kyc.state
         OR from_state OPERATOR(pg_catalog.=) ANY (ARRAY['approved_restricted', 'opened_not_funded', 'active']::kyc.state[]))
);
COMMENT ON TABLE kyc.state_transition IS
    'catalog of allowed state transitions; the C trigger on kyc.application refuses every other move';
CREATE TABLE kyc.reason_code (
    code                 text           PRIMARY KEY,
    gate                 kyc.gate,
    owner                kyc.owner      NOT NULL,
    data_class           kyc.data_class NOT NULL,
    outcome_class        kyc.outcome    NOT NULL,
    customer_message_key text           NOT NULL,
    description          text           NOT NULL,
    UNIQUE (code, gate),
    FOREIGN KEY (gate, owner) REFERENCES kyc.gate_definition (gate, owner),
    CONSTRAINT reason_code_format CHECK (code OPERATOR(pg_catalog.~) '^[A-Z]+\.[A-Z0-9_]+$'),
    CONSTRAINT reason_code_message_key_format CHECK
        (customer_message_key OPERATOR(pg_catalog.~) '^[a-z][a-z0-9_]*$'),
    -- Only lifecycle reasons (exit, abandonment) may stand without a gate.
    CONSTRAINT reason_code_gate_required CHECK
        (gate IS NOT NULL OR outcome_class OPERATOR(pg_catalog.=) ANY (ARRAY['exit', 'abandon']::kyc.outcome[]))
);
COMMENT ON TABLE kyc.reason_code IS
    'controlled reason taxonomy: every reason belongs to a gate and its owner; customers only ever see the message key';
CREATE TABLE kyc.customer_message (
    tenant_id   text        NOT NULL DEFAULT '*',
    message_key text        NOT NULL,
    locale      text        NOT NULL,
    version     integer     NOT NULL,
    label       text        NOT NULL,
    message     text        NOT NULL,
    next_step   text        NOT NULL,
    drafted_by  name        NOT NULL,
    drafted_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
    approved_by name,
    approved_at timestamptz,
    PRIMARY KEY (tenant_id, message_key, locale, version),
    CONSTRAINT customer_message_key_format CHECK (message_key OPERATOR(pg_catalog.~) '^[a-z][a-z0-9_]*$'),
    CONSTRAINT customer_message_locale_format CHECK (locale OPERATOR(pg_catalog.~) '^[a-z]{2}-[A-Z]{2}$'),
    CONSTRAINT customer_message_version_positive CHECK (version OPERATOR(pg_catalog.>) 0),
    CONSTRAINT customer_message_approval CHECK ((approved_by IS NULL) OPERATOR(pg_catalog.=) (approved_at IS NULL)),
    CONSTRAINT customer_message_four_eyes CHECK (approved_by OPERATOR(pg_catalog.<>) drafted_by)
);
COMMENT ON TABLE kyc.customer_message IS
    'customer-facing wording per message key, locale and version: shipped (tenant "*") or a tenant''s own, in force once approved by a second administrator; the highest approved version wins. The only text a customer ever sees';
COMMENT ON COLUMN kyc.customer_message.version IS
    'numbered per key and locale across the shipped wording and the tenant''s, so that a notice''s template version names one text';
CREATE TABLE kyc.application (
    id               uuid               PRIMARY KEY DEFAULT pg_catalog.gen_random_uuid(),
    tenant_id        text               NOT NULL,
    external_ref     text               NOT NULL,
    applicant_kind   kyc.applicant_kind NOT NULL,
    product          text               NOT NULL,
    jurisdiction     text               NOT NULL,
    channel          kyc.channel        NOT NULL,
    segment          text,
    state            kyc.state          NOT NULL DEFAULT 'application_started',
    state_version    integer            NOT NULL DEFAULT 1,
    state_reason     text               REFERENCES kyc.reason_code (code),
    state_note       text,
    state_changed_at timestamptz        NOT NULL DEFAULT pg_catalog.now(),
    created_at       timestamptz        NOT NULL DEFAULT pg_catalog.now(),
    updated_at       timestamptz        NOT NULL DEFAULT pg_catalog.now(),
    CONSTRAINT application_external_ref_unique UNIQUE (tenant_id, external_ref),
    UNIQUE (id, tenant_id),
    CONSTRAINT application_tenant_set CHECK (tenant_id OPERATOR(pg_catalog.<>) ''),
    CONSTRAINT application_external_ref_set CHECK (external_ref OPERATOR(pg_catalog.<>) ''),
    CONSTRAINT application_product_set CHECK (product OPERATOR(pg_catalog.~) '^[a-z][a-z0-9_]*$'),
    CONSTRAINT application_jurisdiction_format CHECK
        (jurisdiction OPERATOR(pg_catalog.~) '^[A-Z]{2}(-[A-Z0-9]{1,3})?$')
);
COMMENT ON TABLE kyc.application IS
    'one account-opening application; state moves only along kyc.state_transition, checked by a C trigger for every writer';
COMMENT ON COLUMN kyc.application.state_version IS
    'number of states the application has been in: 1 at open, +1 per transition (gapless, taken under the row lock)';
COMMENT ON COLUMN kyc.application.external_ref IS
    'the calling service''s own id for the application; opening twice with the same ref returns the same application';
-- Why an application was declined or closed may be an AML reason: not sampled.
ALTER TABLE kyc.application ALTER COLUMN state_reason SET STATISTICS 0;
ALTER TABLE kyc.application ALTER COLUMN state_note SET STATISTICS 0;
CREATE TABLE kyc.application_gate (
    tenant_id      text            NOT NULL,
    application_id uuid            NOT NULL,
    gate           kyc.gate        NOT NULL,
    owner          kyc.owner       NOT NULL,
    status         kyc.gate_status NOT NULL DEFAULT 'pending',
    reason_code    text,
    note           text,
    decided_by     name,
    updated_at     timestamptz     NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (application_id, gate),
    FOREIGN KEY (application_id, tenant_id) REFERENCES kyc.application (id, tenant_id),
    FOREIGN KEY (gate, owner) REFERENCES kyc.gate_definition (gate, owner),
    FOREIGN KEY (reason_code, gate) REFERENCES kyc.reason_code (code, gate),
    CONSTRAINT application_gate_waiver_justified CHECK
        (status OPERATOR(pg_catalog.<>) 'waived'::kyc.gate_status OR (note IS NOT NULL AND decided_by IS NOT NULL)),
    CONSTRAINT application_gate_failure_explained CHECK
        (status OPERATOR(pg_catalog.<>) 'failed'::kyc.gate_status OR reason_code IS NOT NULL)
);
COMMENT ON TABLE kyc.application_gate IS
    'status of every gate of every application, with the owner of the gate and the reason for the status';
-- Reviewers' notes and the reasons of AML and fraud gates are restricted: not sampled.
ALTER TABLE kyc.application_gate ALTER COLUMN note SET STATISTICS 0;
ALTER TABLE kyc.application_gate ALTER COLUMN reason_code SET STATISTICS 0;
CREATE TABLE kyc.restriction (
    id             uuid                 PRIMARY KEY DEFAULT pg_catalog.gen_random_uuid(),
    tenant_id      text                 NOT NULL,
    application_id uuid                 NOT NULL,
    kind           kyc.restriction_kind NOT NULL,
    reason_code    text                 NOT NULL REFERENCES kyc.reason_code (code),
    lift_condition text                 NOT NULL,
    imposed_by     name                 NOT NULL,
    imposed_at     timestamptz          NOT NULL DEFAULT pg_catalog.now(),
    lifted_at      timestamptz,
    FOREIGN KEY (application_id, tenant_id) REFERENCES kyc.application (id, tenant_id)
);
CREATE INDEX restriction_active_idx ON kyc.restriction (application_id) WHERE lifted_at IS NULL;
COMMENT ON TABLE kyc.restriction IS
    'limits on an account opened with restrictions (approved_restricted needs at least one active)';
CREATE TABLE kyc.evidence (
    tenant_id              text           NOT NULL,
    application_id         uuid           NOT NULL,
    seq                    bigint         NOT NULL,
    kind                   kyc.evidence_kind NOT NULL,
    data_class             kyc.data_class NOT NULL,
    payload                jsonb,
    payload_salt           bytea,
    payload_digest         kyc.hash256    NOT NULL,
    payload_schema_version smallint       NOT NULL,
    prev_hash              kyc.hash256    NOT NULL,
    row_hash               kyc.hash256    NOT NULL,
    hash_version           smallint       NOT NULL,
    recorded_at            timestamptz    NOT NULL,
    actor_role             name           NOT NULL,
    actor_role_oid         oid            NOT NULL,
    actor_principal        text,
    PRIMARY KEY (application_id, seq),
    CONSTRAINT evidence_seq_positive CHECK (seq OPERATOR(pg_catalog.>) 0),
    CONSTRAINT evidence_payload_object CHECK
        (payload IS NULL OR pg_catalog.jsonb_typeof(payload) OPERATOR(pg_catalog.=) 'object')
);
-- Rows up to a page stay whole and uncompressed: compressing the decision row and its evidence
-- row cost a twentieth of an onboarding's CPU, and verification paid again to decompress
-- (docs/benchmarks.md).
ALTER TABLE kyc.evidence SET (toast_tuple_target = 8160);
-- No foreign key to kyc.application: evidence must outlive anything done to other tables, and a
-- dropped application is what verification reports as chain_missing.
COMMENT ON TABLE kyc.evidence IS
    'append-only evidence ledger: one SHA-256 hash chain per application (docs/ledger-format.md)';
COMMENT ON COLUMN kyc.evidence.payload IS 'the evidence; NULL only after redaction by the retention path';
COMMENT ON COLUMN kyc.evidence.payload_salt IS '32 random bytes salting payload_digest; removed with the payload';

-- Verification and export never need sampled values of payloads: keep them out of pg_statistic.
ALTER TABLE kyc.evidence ALTER COLUMN payload SET STATISTICS 0;
ALTER TABLE kyc.evidence ALTER COLUMN payload_salt SET STATISTICS 0;

CREATE TABLE kyc.legal_hold (
    id             uuid        PRIMARY KEY DEFAULT pg_catalog.gen_random_uuid(),
    tenant_id      text        NOT NULL,
    application_id uuid        NOT NULL,
    reason         text        NOT NULL,
    placed_by      name        NOT NULL,
    placed_at      timestamptz NOT NULL DEFAULT pg_catalog.now(),
    released_at    timestamptz,
    FOREIGN KEY (application_id, tenant_id) REFERENCES kyc.application (id, tenant_id)
);
CREATE INDEX legal_hold_active_idx ON kyc.legal_hold (application_id) WHERE released_at IS NULL;
COMMENT ON TABLE kyc.legal_hold IS 'an application whose evidence retention must not touch while the hold is active';
CREATE TABLE kyc.ledger_identity (
    singleton   boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    incarnation uuid        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE kyc.ledger_identity IS
    'the random id drawn when the extension was created; seals name it with the cluster''s system identifier';

CREATE TABLE kyc.ledger_digest (
    seal_id           bigint      PRIMARY KEY,
    hash_version      smallint    NOT NULL,
    sealed_at         timestamptz NOT NULL,
    tree_size         bigint      NOT NULL,
    merkle_root       kyc.hash256 NOT NULL,
    prev_digest_hash  kyc.hash256 NOT NULL,
    system_identifier bigint      NOT NULL,
    database_oid      oid         NOT NULL,
    database_name     text        NOT NULL,
    incarnation       uuid        NOT NULL,
    digest_hash       kyc.hash256 NOT NULL
);
COMMENT ON TABLE kyc.ledger_digest IS
    'seals: a Merkle root over every chain head, chained to the previous seal; export with kyc.export_digest()';

CREATE TABLE kyc.sealed_head (
    seal_id        bigint      NOT NULL REFERENCES kyc.ledger_digest (seal_id),
    tenant_id      text        NOT NULL,
    application_id uuid        NOT NULL,
    head_seq       bigint      NOT NULL,
    head_hash      kyc.hash256 NOT NULL,
    PRIMARY KEY (application_id, seal_id)
);
COMMENT ON TABLE kyc.sealed_head IS
    'the chain heads that changed at each seal; a seal''s leaves are the latest row per chain up to it';
CREATE TABLE kyc.review_queue (
    queue        text      PRIMARY KEY,
    owner        kyc.owner NOT NULL,
    worker_roles name[]    NOT NULL,
    description  text      NOT NULL,
    CONSTRAINT review_queue_name CHECK (queue OPERATOR(pg_catalog.~) '^[a-z][a-z0-9_]*$'),
    CONSTRAINT review_queue_workers CHECK (pg_catalog.cardinality(worker_roles) OPERATOR(pg_catalog.>) 0)
);
COMMENT ON TABLE kyc.review_queue IS
    'review queues: the responsibility line that owns each and the group roles whose members may claim its tasks';
CREATE TABLE kyc.signal (
    id                   uuid              PRIMARY KEY DEFAULT pg_catalog.gen_random_uuid(),
    tenant_id            text              NOT NULL,
    application_id       uuid              NOT NULL,
    evidence_seq         bigint            NOT NULL,
    source               text              NOT NULL,
    signal_type          text              NOT NULL,
    gate                 kyc.gate          NOT NULL,
    owner                kyc.owner         NOT NULL,
    result               kyc.signal_result NOT NULL,
    confidence           kyc.confidence    NOT NULL,
    reason_codes         text[]            NOT NULL,
    customer_safe_reason text              NOT NULL,
    evidence_refs        text[]            NOT NULL,
    model_id             text,
    model_version        text,
    score                numeric,
    expires_at           timestamptz,
    received_at          timestamptz       NOT NULL,
    FOREIGN KEY (application_id, tenant_id) REFERENCES kyc.application (id, tenant_id),
    FOREIGN KEY (gate, owner) REFERENCES kyc.gate_definition (gate, owner)
);
CREATE INDEX signal_application_gate_idx ON kyc.signal (application_id, gate, received_at);
COMMENT ON TABLE kyc.signal IS
    'decision signals from models and vendors, append-only; each is also an evidence row (evidence_seq). Expired signals stop counting';

-- What a model found and on which documents is restricted data: no sampled values in pg_statistic.
ALTER TABLE kyc.signal ALTER COLUMN reason_codes SET STATISTICS 0;
ALTER TABLE kyc.signal ALTER COLUMN evidence_refs SET STATISTICS 0;
ALTER TABLE kyc.signal ALTER COLUMN score SET STATISTICS 0;
-- the expiry job reads signals by the time they stop counting
CREATE INDEX signal_expiry_idx ON kyc.signal (tenant_id, expires_at) WHERE expires_at IS NOT NULL;
CREATE TABLE kyc.policy (
    id                     uuid                 PRIMARY KEY DEFAULT pg_catalog.gen_random_uuid(),
    tenant_id              text                 NOT NULL,
    product                text                 NOT NULL,
    jurisdiction           text                 NOT NULL,
    version                integer              NOT NULL,
    status                 kyc.policy_status    NOT NULL DEFAULT 'draft',
    description            text                 NOT NULL,
    eligible_kinds         kyc.applicant_kind[] NOT NULL,
    eligible_jurisdictions text[]               NOT NULL,
    risk_medium            integer              NOT NULL,
    risk_high              integer              NOT NULL,
    risk_prohibited        integer              NOT NULL,
    restrict_when_tier     kyc.risk_tier[]      NOT NULL DEFAULT '{high}',
    restriction_kind       kyc.restriction_kind NOT NULL DEFAULT 'funding_limit',
    restriction_reason     text                 NOT NULL REFERENCES kyc.reason_code (code),
    restriction_lift       text                 NOT NULL,
    abandon_after          interval             NOT NULL DEFAULT '30 days',
    rfi_expire_after       interval             NOT NULL DEFAULT '14 days',
    max_rfi_rounds         integer              NOT NULL DEFAULT 3,
    author                 name                 NOT NULL,
    created_at             timestamptz          NOT NULL DEFAULT pg_catalog.now(),
    publisher              name,
    published_at           timestamptz,
    retired_at             timestamptz,
    content_digest         kyc.hash256,
    document               jsonb,
    UNIQUE (tenant_id, product, jurisdiction, version),
    CONSTRAINT policy_tenant_set CHECK (tenant_id OPERATOR(pg_catalog.<>) ''),
    CONSTRAINT policy_thresholds CHECK
        (risk_medium OPERATOR(pg_catalog.<=) risk_high AND risk_high OPERATOR(pg_catalog.<=) risk_prohibited),
    CONSTRAINT policy_published_complete CHECK
        (status OPERATOR(pg_catalog.=) 'draft'::kyc.policy_status
         OR (publisher IS NOT NULL AND published_at IS NOT NULL AND content_digest IS NOT NULL AND document IS NOT NULL)),
    CONSTRAINT policy_four_eyes CHECK (publisher IS NULL OR publisher OPERATOR(pg_catalog.<>) author)
);
COMMENT ON COLUMN kyc.policy.document IS 'the policy document frozen at publishing (what kyc.decide reads); content_digest covers it';
COMMENT ON TABLE kyc.policy IS
    'versioned decision policies per tenant, product and jurisdiction (tenant "*": shipped defaults); immutable once published';

CREATE TABLE kyc.policy_rule (
    policy_id       uuid              NOT NULL REFERENCES kyc.policy (id),
    rule_no         integer           NOT NULL,
    gate            kyc.gate          NOT NULL,
    result          kyc.signal_result NOT NULL,
    reason_code     text              REFERENCES kyc.reason_code (code),
    min_confidence  kyc.confidence,
    status          kyc.gate_status   NOT NULL,
    decision_reason text,
    queue           text              REFERENCES kyc.review_queue (queue),
    sla             interval,
    PRIMARY KEY (policy_id, rule_no),
    FOREIGN KEY (decision_reason, gate) REFERENCES kyc.reason_code (code, gate),
    CONSTRAINT policy_rule_status CHECK
        (status OPERATOR(pg_catalog.=) ANY (ARRAY['passed', 'failed', 'review', 'info_needed']::kyc.gate_status[])),
    CONSTRAINT policy_rule_reason_needed CHECK
        (status OPERATOR(pg_catalog.=) 'passed'::kyc.gate_status OR decision_reason IS NOT NULL),
    CONSTRAINT policy_rule_queue_needed CHECK
        (status OPERATOR(pg_catalog.<>) 'review'::kyc.gate_status OR (queue IS NOT NULL AND sla IS NOT NULL))
);
COMMENT ON TABLE kyc.policy_rule IS
    'how a policy maps a signal (gate, result, optional reason code and minimum confidence) to a gate status; the first matching rule wins';

CREATE TABLE kyc.policy_risk_factor (
    policy_id uuid    NOT NULL REFERENCES kyc.policy (id),
    factor    text    NOT NULL,
    value     text    NOT NULL,
    weight    integer NOT NULL,
    PRIMARY KEY (policy_id, factor, value),
    CONSTRAINT policy_risk_factor_known CHECK
        (factor OPERATOR(pg_catalog.=) ANY (ARRAY['channel', 'segment', 'jurisdiction', 'applicant_kind', 'product', 'cdd_reason']))
);
COMMENT ON TABLE kyc.policy_risk_factor IS
    'weighted CDD risk factors of a policy: an application attribute value or the reason code of a live CDD signal';

ALTER TABLE kyc.application ADD COLUMN policy_id uuid REFERENCES kyc.policy (id);
COMMENT ON COLUMN kyc.application.policy_id IS 'the policy version in force for the product and jurisdiction when the application was opened';
ALTER TABLE kyc.application_gate ADD COLUMN decided_via text
    CONSTRAINT application_gate_decided_via CHECK (decided_via OPERATOR(pg_catalog.=) ANY (ARRAY['manual', 'policy', 'consent']));
COMMENT ON COLUMN kyc.application_gate.decided_via IS
    'manual (a reviewer or the service), policy (kyc.evaluate), consent (the consent API); a manual decision stands until a newer signal arrives';

CREATE TABLE kyc.decision (
    id               uuid           PRIMARY KEY DEFAULT pg_catalog.gen_random_uuid(),
    tenant_id        text           NOT NULL,
    application_id   uuid           NOT NULL,
    policy_id        uuid           NOT NULL REFERENCES kyc.policy (id),
    policy_version   integer        NOT NULL,
    policy_digest    kyc.hash256    NOT NULL,
    inputs           jsonb          NOT NULL,
    result           jsonb          NOT NULL,
    input_signal_ids uuid[]         NOT NULL,
    outcome          kyc.outcome,
    risk_tier        kyc.risk_tier  NOT NULL,
    reason_codes     text[]         NOT NULL,
    from_state       kyc.state      NOT NULL,
    to_state         kyc.state      NOT NULL,
    decided_at       timestamptz    NOT NULL,
    decided_as_of    timestamptz    NOT NULL,
    decided_by       name           NOT NULL,
    evidence_seq     bigint         NOT NULL,
    data_class       kyc.data_class NOT NULL,
    FOREIGN KEY (application_id, tenant_id) REFERENCES kyc.application (id, tenant_id)
);
-- as kyc.evidence: a decision's inputs and result stay inline and uncompressed up to a page
ALTER TABLE kyc.decision SET (toast_tuple_target = 8160);
COMMENT ON COLUMN kyc.decision.data_class IS 'who may read the decision: the class of the gate that decided it (AML: sar_restricted)';
COMMENT ON COLUMN kyc.decision.decided_as_of IS 'the time the decision was made as of (a job deciding on expiry decides as of its own now)';
CREATE INDEX decision_application_idx ON kyc.decision (application_id, decided_at);
COMMENT ON TABLE kyc.decision IS
    'every evaluation: the exact inputs and policy version, the per-gate results, the outcome (NULL while gates are pending); append-only';
COMMENT ON COLUMN kyc.decision.inputs IS 'everything kyc.decide() read: kyc.replay() recomputes the result from it';
-- A decision's inputs and results carry signals and reasons of every class: not sampled.
ALTER TABLE kyc.decision ALTER COLUMN inputs SET STATISTICS 0;
ALTER TABLE kyc.decision ALTER COLUMN result SET STATISTICS 0;
-- The time-keeping parts of a policy: how long each state may wait on the applicant before the
-- application is abandoned, and the early-life rules that watch a newly opened account. Both are
-- in the policy document, so its content digest covers them.
CREATE TABLE kyc.policy_timeout (
    policy_id     uuid      NOT NULL REFERENCES kyc.policy (id),
    state         kyc.state NOT NULL,
    abandon_after interval  NOT NULL,
    PRIMARY KEY (policy_id, state),
    CONSTRAINT policy_timeout_state CHECK
        (state OPERATOR(pg_catalog.=) ANY (ARRAY['application_started', 'consent_captured', 'identity_proofing_pending',
                                                'cip_verification_pending', 'information_requested']::kyc.state[])),
    CONSTRAINT policy_timeout_positive CHECK (abandon_after OPERATOR(pg_catalog.>) '0'::interval)
);
COMMENT ON TABLE kyc.policy_timeout IS
    'per state, how long an application may wait on the applicant before it is abandoned (other waiting states use kyc.policy.abandon_after; review states wait on the bank and never time out)';

CREATE TABLE kyc.policy_early_life_rule (
    policy_id        uuid                     NOT NULL REFERENCES kyc.policy (id),
    rule             kyc.early_life_rule_kind NOT NULL,
    monitor_for      interval                 NOT NULL,
    within           interval                 NOT NULL,
    threshold        numeric                  NOT NULL,
    restriction_kind kyc.restriction_kind     NOT NULL,
    reason_code      text                     NOT NULL,
    queue            text                     NOT NULL REFERENCES kyc.review_queue (queue),
    sla              interval                 NOT NULL,
    PRIMARY KEY (policy_id, rule),
    FOREIGN KEY (reason_code) REFERENCES kyc.reason_code (code),
    CONSTRAINT policy_early_life_rule_threshold CHECK (threshold OPERATOR(pg_catalog.>) 0)
);
COMMENT ON TABLE kyc.policy_early_life_rule IS
    'early-life monitoring: for monitor_for after opening, a rule that fires (threshold within a period) restricts the account and opens a review task';
COMMENT ON COLUMN kyc.policy_early_life_rule.threshold IS
    'funding_returned: returns counted; rapid_outflow: outbound share of cleared funding (1.0 = all of it); device_churn: distinct devices';
CREATE TABLE kyc.review_task (
    id                uuid               PRIMARY KEY DEFAULT pg_catalog.gen_random_uuid(),
    tenant_id         text               NOT NULL,
    application_id    uuid               NOT NULL,
    decision_id       uuid               REFERENCES kyc.decision (id),
    origin            text               NOT NULL,
    queue             text               NOT NULL REFERENCES kyc.review_queue (queue),
    gate              kyc.gate           NOT NULL,
    reason_codes      text[]             NOT NULL,
    priority          integer            NOT NULL DEFAULT 50,
    sla_due_at        timestamptz        NOT NULL,
    status            kyc.task_status    NOT NULL DEFAULT 'open',
    assignee          name,
    claimed_at        timestamptz,
    escalated_at      timestamptz,
    proposed_outcome  kyc.review_outcome,
    proposed_reason   text,
    proposed_note     text,
    proposed_by       name,
    proposed_at       timestamptz,
    resolution        kyc.review_outcome,
    resolution_reason text,
    resolution_note   text,
    resolved_by       name,
    resolved_at       timestamptz,
    created_at        timestamptz        NOT NULL DEFAULT pg_catalog.now(),
    FOREIGN KEY (application_id, tenant_id) REFERENCES kyc.application (id, tenant_id),
    CONSTRAINT review_task_origin CHECK
        (origin OPERATOR(pg_catalog.=) ANY (ARRAY['evaluation', 'information_response', 'early_life'])),
    CONSTRAINT review_task_priority CHECK (priority OPERATOR(pg_catalog.>=) 0 AND priority OPERATOR(pg_catalog.<=) 100),
    CONSTRAINT review_task_claimed CHECK
        (status OPERATOR(pg_catalog.<>) 'claimed'::kyc.task_status OR (assignee IS NOT NULL AND claimed_at IS NOT NULL)),
    CONSTRAINT review_task_proposed CHECK
        (status OPERATOR(pg_catalog.<>) 'awaiting_second_review'::kyc.task_status
         OR (proposed_outcome IS NOT NULL AND proposed_by IS NOT NULL)),
    CONSTRAINT review_task_resolved CHECK
        (status OPERATOR(pg_catalog.<>) 'resolved'::kyc.task_status
         OR (resolution IS NOT NULL AND resolved_by IS NOT NULL AND resolved_at IS NOT NULL)),
    CONSTRAINT review_task_four_eyes CHECK
        (proposed_by IS NULL OR resolved_by IS NULL OR proposed_by OPERATOR(pg_catalog.<>) resolved_by)
);
COMMENT ON TABLE kyc.review_task IS
    'work for a review queue: one live task per application and gate; priority only rises; resolved tasks never change';
COMMENT ON COLUMN kyc.review_task.origin IS
    'evaluation (a gate in review), information_response (the applicant answered an RFI), early_life (monitoring of an opened account)';
COMMENT ON COLUMN kyc.review_task.escalated_at IS 'when the SLA sweep escalated the task past its due time (once)';
-- one live task per application and gate, so re-evaluations and retries never duplicate work
CREATE UNIQUE INDEX review_task_one_live_idx ON kyc.review_task (application_id, gate)
    WHERE status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[]);
-- claim order within a queue
CREATE INDEX review_task_claim_idx ON kyc.review_task (tenant_id, queue, priority DESC, sla_due_at)
    WHERE status OPERATOR(pg_catalog.=) 'open'::kyc.task_status;
-- the SLA sweep reads only live, not yet escalated tasks, by due time
CREATE INDEX review_task_due_idx ON kyc.review_task (tenant_id, sla_due_at)
    WHERE status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[])
      AND escalated_at IS NULL;

CREATE TABLE kyc.information_request (
    id             uuid           PRIMARY KEY DEFAULT pg_catalog.gen_random_uuid(),
    tenant_id      text           NOT NULL,
    application_id uuid           NOT NULL,
    task_id        uuid           REFERENCES kyc.review_task (id),
    gate           kyc.gate       NOT NULL,
    round          integer        NOT NULL,
    reason_code    text           NOT NULL REFERENCES kyc.reason_code (code),
    requested_by   name           NOT NULL,
    requested_at   timestamptz    NOT NULL,
    due_at         timestamptz    NOT NULL,
    status         kyc.rfi_status NOT NULL DEFAULT 'open',
    responded_at   timestamptz,
    closed_at      timestamptz,
    FOREIGN KEY (application_id, tenant_id) REFERENCES kyc.application (id, tenant_id),
    UNIQUE (application_id, gate, round),
    CONSTRAINT information_request_round CHECK (round OPERATOR(pg_catalog.>) 0)
);
CREATE UNIQUE INDEX information_request_one_open_idx ON kyc.information_request (application_id)
    WHERE status OPERATOR(pg_catalog.=) 'open'::kyc.rfi_status;
CREATE INDEX information_request_due_idx ON kyc.information_request (tenant_id, due_at)
    WHERE status OPERATOR(pg_catalog.=) 'open'::kyc.rfi_status;
COMMENT ON TABLE kyc.information_request IS
    'requests for information to the applicant (RFI): one open at a time per application, numbered rounds per gate up to the policy''s maximum';
CREATE TABLE kyc.funding (
    id             uuid               PRIMARY KEY DEFAULT pg_catalog.gen_random_uuid(),
    tenant_id      text               NOT NULL,
    application_id uuid               NOT NULL,
    amount         numeric(18, 2)     NOT NULL,
    currency       text               NOT NULL,
    source         text               NOT NULL,
    reference      text               NOT NULL,
    status         kyc.funding_status NOT NULL,
    recorded_at    timestamptz        NOT NULL DEFAULT pg_catalog.now(),
    recorded_by    name               NOT NULL,
    evidence_seq   bigint             NOT NULL,
    FOREIGN KEY (application_id, tenant_id) REFERENCES kyc.application (id, tenant_id),
    CONSTRAINT funding_amount_positive CHECK (amount OPERATOR(pg_catalog.>) 0),
    CONSTRAINT funding_currency CHECK (currency OPERATOR(pg_catalog.~) '^[A-Z]{3}$'),
    CONSTRAINT funding_source CHECK
        (source OPERATOR(pg_catalog.=) ANY (ARRAY['ach', 'wire', 'card', 'check', 'cash', 'internal_transfer']))
);
CREATE INDEX funding_application_idx ON kyc.funding (application_id, recorded_at);
COMMENT ON TABLE kyc.funding IS
    'funding events of an opened account (each also an evidence row): pending, cleared, returned; append-only';

CREATE TABLE kyc.account_event (
    id             uuid                   PRIMARY KEY DEFAULT pg_catalog.gen_random_uuid(),
    tenant_id      text                   NOT NULL,
    application_id uuid                   NOT NULL,
    kind           kyc.account_event_kind NOT NULL,
    amount         numeric(18, 2),
    device_id      text,
    occurred_at    timestamptz            NOT NULL,
    recorded_at    timestamptz            NOT NULL DEFAULT pg_catalog.now(),
    recorded_by    name                   NOT NULL,
    FOREIGN KEY (application_id, tenant_id) REFERENCES kyc.application (id, tenant_id),
    CONSTRAINT account_event_amount CHECK
        ((kind OPERATOR(pg_catalog.=) ANY (ARRAY['deposit', 'funding_returned', 'outbound_transfer']::kyc.account_event_kind[]))
         OPERATOR(pg_catalog.=) (amount IS NOT NULL AND amount OPERATOR(pg_catalog.>) 0)),
    CONSTRAINT account_event_device CHECK
        ((kind OPERATOR(pg_catalog.=) 'device_change'::kyc.account_event_kind) OPERATOR(pg_catalog.=) (device_id IS NOT NULL))
);
CREATE INDEX account_event_application_idx ON kyc.account_event (application_id, occurred_at);
CREATE INDEX account_event_recorded_idx ON kyc.account_event (tenant_id, recorded_at);
COMMENT ON TABLE kyc.account_event IS
    'activity feed of newly opened accounts (from the core banking system) that early-life monitoring reads; append-only';

CREATE TABLE kyc.early_life_alert (
    id             uuid                     PRIMARY KEY DEFAULT pg_catalog.gen_random_uuid(),
    tenant_id      text                     NOT NULL,
    application_id uuid                     NOT NULL,
    rule           kyc.early_life_rule_kind NOT NULL,
    observed       numeric                  NOT NULL,
    threshold      numeric                  NOT NULL,
    detected_at    timestamptz              NOT NULL,
    restriction_id uuid                     NOT NULL REFERENCES kyc.restriction (id),
    task_id        uuid                     REFERENCES kyc.review_task (id),
    evidence_seq   bigint                   NOT NULL,
    FOREIGN KEY (application_id, tenant_id) REFERENCES kyc.application (id, tenant_id),
    UNIQUE (application_id, rule)
);
COMMENT ON TABLE kyc.early_life_alert IS
    'an early-life rule that fired on an account: once per account and rule, with the restriction and review task it caused';

ALTER TABLE kyc.restriction ADD COLUMN lifted_by name;
ALTER TABLE kyc.restriction ADD COLUMN lift_note text;

ALTER TABLE kyc.application ADD COLUMN opened_at timestamptz;
COMMENT ON COLUMN kyc.application.opened_at IS
    'when the account was first opened (opened_not_funded or approved_restricted): the start of early-life monitoring';
CREATE INDEX application_opened_idx ON kyc.application (tenant_id, opened_at) WHERE opened_at IS NOT NULL;
-- retention reads concluded applications by the time they concluded
CREATE INDEX application_concluded_idx ON kyc.application (tenant_id, state_changed_at)
    WHERE state OPERATOR(pg_catalog.=) ANY (ARRAY['declined', 'abandoned', 'closed']::kyc.state[]);
-- abandonment reads applications waiting on the applicant by the time they started waiting
CREATE INDEX application_waiting_idx ON kyc.application (tenant_id, state_changed_at)
    WHERE state OPERATOR(pg_catalog.=) ANY (ARRAY['application_started', 'consent_captured', 'identity_proofing_pending',
                                                 'cip_verification_pending', 'information_requested']::kyc.state[]);
CREATE TABLE kyc.job_definition (
    job           text     PRIMARY KEY,
    command       text     NOT NULL,
    schedule      text     NOT NULL,
    expected_every interval NOT NULL,
    batch_size    integer  NOT NULL,
    description   text     NOT NULL,
    CONSTRAINT job_definition_name CHECK (job OPERATOR(pg_catalog.~) '^[a-z][a-z_]*$'),
    CONSTRAINT job_definition_batch CHECK (batch_size OPERATOR(pg_catalog.>) 0 AND batch_size OPERATOR(pg_catalog.<=) 100000)
);
COMMENT ON TABLE kyc.job_definition IS
    'the time-keeping jobs: what kyc.schedule_jobs() registers with pg_cron as kyc_<job>, how often, in batches of what size';

CREATE TABLE kyc.job_run (
    id          uuid        PRIMARY KEY DEFAULT pg_catalog.gen_random_uuid(),
    job         text        NOT NULL REFERENCES kyc.job_definition (job),
    as_of       timestamptz NOT NULL,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz NOT NULL,
    run_by      name        NOT NULL,
    status      text        NOT NULL,
    tenants     integer     NOT NULL,
    processed   integer     NOT NULL,
    more_due    boolean     NOT NULL,
    detail      jsonb       NOT NULL,
    CONSTRAINT job_run_status CHECK (status OPERATOR(pg_catalog.=) ANY (ARRAY['succeeded', 'failed', 'skipped']))
);
CREATE INDEX job_run_job_idx ON kyc.job_run (job, started_at);
COMMENT ON TABLE kyc.job_run IS
    'one row per job run: as of when, by whom, how many items in how many tenants, whether more were due than the batch allowed, errors per tenant';

CREATE TABLE kyc.retention_rule (
    tenant_id   text           NOT NULL,
    data_class  kyc.data_class NOT NULL,
    keep_for    interval       NOT NULL,
    legal_basis text           NOT NULL,
    set_by      name           NOT NULL,
    set_at      timestamptz    NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (tenant_id, data_class),
    CONSTRAINT retention_rule_keep CHECK (keep_for OPERATOR(pg_catalog.>=) '1 year'::interval)
);
COMMENT ON TABLE kyc.retention_rule IS
    'how long evidence payloads of a data class are kept after the application concluded, and on what legal basis; no rule, no redaction';
-- The head of every chain: a convenience, not a trust root (trust comes from seals and anchors).
CREATE VIEW kyc.chain_head WITH (security_invoker = true) AS
SELECT DISTINCT ON (e.application_id) e.tenant_id, e.application_id, e.seq AS head_seq, e.row_hash AS head_hash,
       e.recorded_at
FROM kyc.evidence e
ORDER BY e.application_id, e.seq DESC;
COMMENT ON VIEW kyc.chain_head IS 'the last row of every evidence chain (convenience; seals are the trust root)';
-- Definer, so that the tenant grants can be read whoever asks; the check is about the caller.
CREATE FUNCTION kyc.current_tenant() RETURNS text
    LANGUAGE c STABLE SECURITY DEFINER PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'kyc_current_tenant';
COMMENT ON FUNCTION kyc.current_tenant() IS
    'the tenant (setting kyc.tenant) every API call works on; an error when unset or not granted to the caller';

CREATE FUNCTION kyc.session_tenant() RETURNS text
    LANGUAGE c STABLE SECURITY DEFINER PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'kyc_session_tenant';
COMMENT ON FUNCTION kyc.session_tenant() IS
    'the tenant row-level security admits: kyc.tenant if granted to the caller, else NULL (no rows)';

CREATE FUNCTION kyc.caller() RETURNS name
    LANGUAGE c STABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'kyc_caller';
COMMENT ON FUNCTION kyc.caller() IS
    'the role calling the API: the session role, also inside SECURITY DEFINER functions';

CREATE FUNCTION kyc.assert_caller(action text, VARIADIC roles name[]) RETURNS name
    LANGUAGE c STABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'kyc_assert_caller';
COMMENT ON FUNCTION kyc.assert_caller(text, name[]) IS
    'raises insufficient_privilege unless the caller is a superuser or has the privileges of one of the roles; returns the caller';
-- The one rule of tenancy: a role may work in a tenant when it is a member of a role the tenant was
-- granted to, and that grant's role still has the OID and the name it was granted under (after a
-- restore into another cluster, or a rename, they disagree and the grant gives nothing until
-- kyc.rebind_tenant_grants()). Superusers are let in by the callers. In C (src/tenant_grant.c),
-- where every API call asks it through kyc.current_tenant and kyc.session_tenant; kyc.job_tenants
-- asks it here. Internal: granted to nobody.
CREATE FUNCTION kyc.tenant_granted(tenant text, member oid) RETURNS boolean
    LANGUAGE c STABLE
    AS 'MODULE_PATHNAME', 'kyc_tenant_granted';
REVOKE ALL ON FUNCTION kyc.tenant_granted(text, oid) FROM PUBLIC;
COMMENT ON FUNCTION kyc.tenant_granted(text, oid) IS
    'internal: whether a role works in a tenant (a member of a role granted it, the grant''s OID and name agreeing)';

-- Tenancy is granted, not claimed: a role works in a tenant only when it is a member of a role the
-- tenant was granted to. Only a superuser (the DBA) grants and revokes tenants: an administrator
-- who could grant tenants could grant itself every bank's data.
CREATE FUNCTION kyc.grant_tenant(tenant text, role name) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    r oid := (SELECT x.oid FROM pg_catalog.pg_roles x WHERE x.rolname OPERATOR(pg_catalog.=) grant_tenant.role);
BEGIN
    IF NOT (SELECT x.rolsuper FROM pg_catalog.pg_roles x WHERE x.oid OPERATOR(pg_catalog.=) kyc.caller()::regrole) THEN
        RAISE EXCEPTION 'permission denied to grant tenants'
            USING ERRCODE = 'insufficient_privilege', HINT = 'Tenants are granted by a superuser (the DBA).';
    END IF;
    IF grant_tenant.tenant IS NULL OR grant_tenant.tenant OPERATOR(pg_catalog.=) ANY (ARRAY['', '*']) THEN
        RAISE EXCEPTION 'field "tenant" must name a tenant' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF r IS NULL THEN
        RAISE EXCEPTION 'role "%" does not exist', grant_tenant.role USING ERRCODE = 'undefined_object';
    END IF;
    INSERT INTO kyc.tenant_grant (tenant_id, role_oid, role_name, granted_by)
    VALUES (grant_tenant.tenant, r, grant_tenant.role, kyc.caller())
    ON CONFLICT DO NOTHING;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.grant_tenant(text, name) FROM PUBLIC;
COMMENT ON FUNCTION kyc.grant_tenant(text, name) IS 'let members of a role work in a tenant; superusers only';

CREATE FUNCTION kyc.revoke_tenant(tenant text, role name) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF NOT (SELECT x.rolsuper FROM pg_catalog.pg_roles x WHERE x.oid OPERATOR(pg_catalog.=) kyc.caller()::regrole) THEN
        RAISE EXCEPTION 'permission denied to revoke tenants'
            USING ERRCODE = 'insufficient_privilege', HINT = 'Tenants are revoked by a superuser (the DBA).';
    END IF;
    DELETE FROM kyc.tenant_grant g
    WHERE g.tenant_id OPERATOR(pg_catalog.=) revoke_tenant.tenant
      AND g.role_name OPERATOR(pg_catalog.=) revoke_tenant.role;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.revoke_tenant(text, name) FROM PUBLIC;
COMMENT ON FUNCTION kyc.revoke_tenant(text, name) IS 'stop members of a role working in a tenant; superusers only';

-- After a restore into another cluster, the OIDs in kyc.tenant_grant name whatever roles have
-- them there; a grant counts only while its OID and its role name agree, so such grants give
-- nothing until a superuser rebinds them to the roles of those names. Returns what it did.
CREATE FUNCTION kyc.rebind_tenant_grants()
RETURNS TABLE (tenant_id text, role_name name, old_oid oid, new_oid oid, outcome text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
BEGIN
    IF NOT (SELECT x.rolsuper FROM pg_catalog.pg_roles x WHERE x.oid OPERATOR(pg_catalog.=) kyc.caller()::regrole) THEN
        RAISE EXCEPTION 'permission denied to rebind tenant grants'
            USING ERRCODE = 'insufficient_privilege', HINT = 'Tenant grants are managed by a superuser (the DBA).';
    END IF;
    RETURN QUERY
    WITH stale AS (
        SELECT g.tenant_id, g.role_name, g.role_oid, r.oid AS new_oid
        FROM kyc.tenant_grant g LEFT JOIN pg_catalog.pg_roles r ON r.rolname OPERATOR(pg_catalog.=) g.role_name
        WHERE r.oid IS DISTINCT FROM g.role_oid),
    moved AS (
        UPDATE kyc.tenant_grant g SET role_oid = s.new_oid
        FROM stale s
        WHERE g.tenant_id OPERATOR(pg_catalog.=) s.tenant_id AND g.role_oid OPERATOR(pg_catalog.=) s.role_oid
          AND s.new_oid IS NOT NULL
        RETURNING g.tenant_id, g.role_name)
    SELECT s.tenant_id, s.role_name, s.role_oid, s.new_oid,
           CASE WHEN s.new_oid IS NULL THEN 'no role of this name: grants nothing; revoke it or create the role and rebind again'
                ELSE 'rebound' END
    FROM stale s ORDER BY 1, 2;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.rebind_tenant_grants() FROM PUBLIC;
COMMENT ON FUNCTION kyc.rebind_tenant_grants() IS
    'after a restore into another cluster: point tenant grants at the roles of their names; superusers only';
-- Which data classes the calling role may read (docs/security.md): customer_safe for every pg_kyc
-- role; internal for staff; pii for those who work a case (service, reviewers, fraud, AML,
-- auditors); fraud_sensitive for fraud, AML and auditors; sar_restricted for AML alone. Row-level
-- security uses it as an initPlan: (SELECT kyc.readable_classes()).
CREATE FUNCTION kyc.readable_classes() RETURNS kyc.data_class[]
    LANGUAGE c STABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'kyc_readable_classes';
COMMENT ON FUNCTION kyc.readable_classes() IS 'the data classes the calling role may read (row-level security uses it)';

-- The class of what a gate's rows reveal: an AML gate's status is SAR-sensitive, a fraud gate's
-- fraud-sensitive, proofing and CIP carry personal data.
CREATE FUNCTION kyc.gate_class(gate kyc.gate) RETURNS kyc.data_class
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT CASE WHEN gate_class.gate OPERATOR(pg_catalog.=) 'aml'::kyc.gate THEN 'sar_restricted'::kyc.data_class
                WHEN gate_class.gate OPERATOR(pg_catalog.=) 'fraud'::kyc.gate THEN 'fraud_sensitive'::kyc.data_class
                WHEN gate_class.gate OPERATOR(pg_catalog.=) ANY (ARRAY['identity_proofing', 'cip']::kyc.gate[]) THEN 'pii'::kyc.data_class
                ELSE 'internal'::kyc.data_class END;
END;
COMMENT ON FUNCTION kyc.gate_class(kyc.gate) IS 'the data class of what a gate''s rows reveal';
-- The states an application entered, read from its evidence chain (kinds application_snapshot and
-- state_change). Readers may not select evidence payloads (kyc.read_evidence records such reads),
-- but a state change is internal, not restricted: so this view runs with its owner's rights and
-- applies the tenant and data-class rules itself, the same expressions as the row-level security
-- on kyc.evidence. security_barrier keeps a caller's functions from seeing rows before they do.
CREATE VIEW kyc.state_history WITH (security_barrier = true) AS
SELECT e.tenant_id,
       e.application_id,
       (e.payload OPERATOR(pg_catalog.->>) 'state_version')::integer AS state_version,
       (e.payload OPERATOR(pg_catalog.->>) 'from_state')::kyc.state AS from_state,
       (e.payload OPERATOR(pg_catalog.->>) 'to_state')::kyc.state AS to_state,
       e.payload OPERATOR(pg_catalog.->>) 'reason_code' AS reason_code,
       e.payload OPERATOR(pg_catalog.->>) 'note' AS note,
       e.actor_role,
       e.actor_role_oid,
       e.actor_principal,
       e.recorded_at AS changed_at,
       e.seq AS evidence_seq
FROM kyc.evidence e
WHERE e.kind OPERATOR(pg_catalog.=) ANY (ARRAY['application_snapshot', 'state_change']::kyc.evidence_kind[])
  AND e.tenant_id OPERATOR(pg_catalog.=) (SELECT kyc.session_tenant())
  AND e.data_class OPERATOR(pg_catalog.=) ANY ((SELECT kyc.readable_classes())::kyc.data_class[]);
COMMENT ON VIEW kyc.state_history IS
    'one row per state an application entered, from its evidence chain (from_state NULL at open)';
CREATE FUNCTION kyc.application_guard() RETURNS trigger
    LANGUAGE c
    AS 'MODULE_PATHNAME', 'kyc_application_guard';
COMMENT ON FUNCTION kyc.application_guard() IS
    'BEFORE trigger on kyc.application: enforces the state transition catalog and invariants for every writer';

CREATE FUNCTION kyc.application_record() RETURNS trigger
    LANGUAGE c
    AS 'MODULE_PATHNAME', 'kyc_application_record';
COMMENT ON FUNCTION kyc.application_record() IS
    'AFTER trigger on kyc.application: writes one kyc.state_history row per state entered';
CREATE FUNCTION kyc.evidence_guard() RETURNS trigger
    LANGUAGE c
    AS 'MODULE_PATHNAME', 'kyc_evidence_guard';
COMMENT ON FUNCTION kyc.evidence_guard() IS
    'BEFORE trigger on kyc.evidence: refuses UPDATE, DELETE and TRUNCATE for every role (redaction excepted)';
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
-- Locks and returns an application of the session's tenant, or raises KY004. Internal helper of
-- the API functions (not granted to anyone). Writers lock FOR NO KEY UPDATE, which serialises
-- them (an id never changes, so FOR UPDATE would only add conflicts with foreign-key checks);
-- readers (shared) lock FOR KEY SHARE, which keeps the row but never waits for, or blocks, a
-- writer. In C (src/application_lock.c), which the C API functions call too.
CREATE FUNCTION kyc.lock_application(app uuid, shared boolean DEFAULT false) RETURNS kyc.application
    LANGUAGE c VOLATILE
    AS 'MODULE_PATHNAME', 'kyc_lock_application';
REVOKE ALL ON FUNCTION kyc.lock_application(uuid, boolean) FROM PUBLIC;
COMMENT ON FUNCTION kyc.lock_application(uuid, boolean) IS
    'internal: lock an application of the session''s tenant (for no key update, or key share for readers), or raise KY004';

-- The same for an action that a concluded application (declined, abandoned, closed) refuses:
-- "cannot <action> an application in terminal state ...". Internal.
CREATE FUNCTION kyc.lock_open_application(app uuid, action text) RETURNS kyc.application
    LANGUAGE c VOLATILE
    AS 'MODULE_PATHNAME', 'kyc_lock_open_application';
REVOKE ALL ON FUNCTION kyc.lock_open_application(uuid, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.lock_open_application(uuid, text) IS
    'internal: lock an application of the session''s tenant that is not concluded, or raise';
-- The id of an application of the session's tenant, by the service's own external_ref. Runs with
-- the caller's rights, so row-level security decides what it can find.
CREATE FUNCTION kyc.application_id(external_ref text) RETURNS uuid
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    t   text := kyc.current_tenant();
    app uuid;
BEGIN
    SELECT a.id INTO app FROM kyc.application a
    WHERE a.tenant_id OPERATOR(pg_catalog.=) t
      AND a.external_ref OPERATOR(pg_catalog.=) application_id.external_ref;
    IF app IS NULL THEN
        RAISE EXCEPTION 'application with external_ref "%" does not exist', application_id.external_ref
            USING ERRCODE = 'KY004',
                  HINT = 'Check the external_ref and the setting kyc.tenant.';
    END IF;
    RETURN app;
END
$fn$;
COMMENT ON FUNCTION kyc.application_id(text) IS
    'the id of the session tenant''s application with this external_ref, or KY004';
-- Moves an application to another state. The C trigger on kyc.application decides whether the
-- move is allowed and records it. Grant to: kyc_app, kyc_reviewer, kyc_fraud, kyc_aml.
CREATE FUNCTION kyc.transition(app uuid, to_state kyc.state, reason_code text DEFAULT NULL, note text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    current kyc.application;
    version integer;
BEGIN
    PERFORM kyc.assert_caller('change the state of an application', 'kyc_app', 'kyc_reviewer', 'kyc_fraud', 'kyc_aml');
    IF transition.to_state IS NULL THEN
        RAISE EXCEPTION 'field "to_state" must not be null' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    current := kyc.lock_application(transition.app);
    IF current.state OPERATOR(pg_catalog.=) transition.to_state THEN
        RAISE EXCEPTION 'application "%" is already in state "%"', current.external_ref, transition.to_state
            USING ERRCODE = 'KY001',
                  HINT = 'Another session may have moved it first; re-read the application.';
    END IF;

    UPDATE kyc.application a
       SET state = transition.to_state,
           state_reason = transition.reason_code,
           state_note = transition.note
     WHERE a.id OPERATOR(pg_catalog.=) transition.app
    RETURNING a.state_version INTO version;
    RETURN version;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.transition(uuid, kyc.state, text, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.transition(uuid, kyc.state, text, text) IS
    'move an application to another state along kyc.state_transition; returns the new state_version; grant to kyc_app and reviewer roles';
-- Records one gate's status and its gate_decision evidence row; refuses to leave a critical gate
-- of an opened account unresolved. In C (src/gate_record.c), which evaluation calls too.
-- Internal: granted to nobody; the API's definer functions call it after their own checks.
CREATE FUNCTION kyc.record_gate(app uuid, gate kyc.gate, status kyc.gate_status, reason_code text, note text, actor name,
                                via text)
    RETURNS void
    LANGUAGE c VOLATILE
    AS 'MODULE_PATHNAME', 'kyc_record_gate';
REVOKE ALL ON FUNCTION kyc.record_gate(uuid, kyc.gate, kyc.gate_status, text, text, name, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.record_gate(uuid, kyc.gate, kyc.gate_status, text, text, name, text) IS
    'internal: set one gate''s status and write its gate_decision evidence';

-- Records a manual decision on one gate, as gate_decision evidence, (a reviewer's, or a fact the service observed, such as
-- consent or funding). Who may decide a gate is kyc.gate_definition.decider_roles; a waiver
-- needs a reviewer role, a waivable gate and a reason. Grant to: kyc_app, kyc_reviewer,
-- kyc_fraud, kyc_aml.
CREATE FUNCTION kyc.set_gate(app uuid, gate kyc.gate, status kyc.gate_status,
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
    a := kyc.lock_open_application(impose_restriction.app, 'restrict');

    INSERT INTO kyc.restriction AS r (tenant_id, application_id, kind, reason_code, lift_condition, imposed_by)
    VALUES (a.tenant_id, a.id, impose_restriction.kind, impose_restriction.reason_code,
            impose_restriction.lift_condition, actor)
    RETURNING r.id INTO id;

    PERFORM kyc.append_evidence(a.id, 'restriction', 'internal',
        pg_catalog.jsonb_build_object('action', 'impose', 'restriction_id', id, 'kind', impose_restriction.kind,
                                      'reason_code', impose_restriction.reason_code,
                                      'lift_condition', impose_restriction.lift_condition));
    RETURN id;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.impose_restriction(uuid, kyc.restriction_kind, text, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.impose_restriction(uuid, kyc.restriction_kind, text, text) IS
    'place a limit on an application''s account (needed before approved_restricted); grant to kyc_app and reviewer roles';
-- The state diagram, generated from the transition catalog so the docs cannot drift from it.
-- States are grouped by phase. Where every state of a group has the same edge, the edge is drawn
-- once from (or to) the group; a group whose states may all move to one another says so once.
-- The node each state is drawn as: its phase when the phase has three or more states.
CREATE FUNCTION kyc.state_diagram_nodes(OUT state kyc.state, OUT node text, OUT grouped boolean)
RETURNS SETOF record
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT d.state,
           CASE WHEN n.members OPERATOR(pg_catalog.>=) 3 THEN d.phase ELSE d.state::text END,
           n.members OPERATOR(pg_catalog.>=) 3
    FROM kyc.state_definition d
    JOIN (SELECT s.phase, pg_catalog.count(*) AS members FROM kyc.state_definition s GROUP BY s.phase) n
      ON n.phase OPERATOR(pg_catalog.=) d.phase;
END;
COMMENT ON FUNCTION kyc.state_diagram_nodes() IS 'internal: how kyc.state_diagram() groups states';

-- Whether every state of a drawn group may move to every other state of it.
CREATE FUNCTION kyc.state_diagram_is_mesh(node text) RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT pg_catalog.count(*) OPERATOR(pg_catalog.>) 0
       AND pg_catalog.count(*) OPERATOR(pg_catalog.=)
           (SELECT pg_catalog.count(*) * (pg_catalog.count(*) - 1) FROM kyc.state_diagram_nodes() m
             WHERE m.node OPERATOR(pg_catalog.=) state_diagram_is_mesh.node)
    FROM kyc.state_transition t
    JOIN kyc.state_diagram_nodes() a ON a.state OPERATOR(pg_catalog.=) t.from_state
    JOIN kyc.state_diagram_nodes() b ON b.state OPERATOR(pg_catalog.=) t.to_state
    WHERE a.node OPERATOR(pg_catalog.=) state_diagram_is_mesh.node
      AND b.node OPERATOR(pg_catalog.=) state_diagram_is_mesh.node;
END;
COMMENT ON FUNCTION kyc.state_diagram_is_mesh(text) IS 'internal: whether a group of kyc.state_diagram() is fully connected';

CREATE FUNCTION kyc.state_diagram(format text DEFAULT 'mermaid') RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    mermaid boolean;
    out     text;
    g       record;
    x       record;
BEGIN
    IF state_diagram.format IS NULL OR state_diagram.format OPERATOR(pg_catalog.<>) ALL (ARRAY['dot', 'mermaid']) THEN
        RAISE EXCEPTION 'invalid value for field "format"'
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Use "dot" or "mermaid".';
    END IF;
    mermaid := state_diagram.format OPERATOR(pg_catalog.=) 'mermaid';

    IF mermaid THEN
        out := E'stateDiagram-v2\n  direction LR\n  [*] --> application_started\n';
    ELSE
        out := E'digraph kyc_state {\n  rankdir=LR; compound=true;\n'
            OPERATOR(pg_catalog.||) E'  node [shape=box, style=rounded, fontname="Helvetica"];\n';
    END IF;

    -- groups and their members
    FOR g IN
        SELECT n.node, pg_catalog.array_agg(n.state ORDER BY n.state) AS members
        FROM kyc.state_diagram_nodes() n WHERE n.grouped GROUP BY n.node ORDER BY pg_catalog.min(n.state)
    LOOP
        IF mermaid THEN
            out := out OPERATOR(pg_catalog.||) pg_catalog.format(E'  state %s {\n', g.node)
                OPERATOR(pg_catalog.||) (SELECT pg_catalog.string_agg(pg_catalog.format('    %s', m), E'\n') FROM pg_catalog.unnest(g.members) m)
                OPERATOR(pg_catalog.||) E'\n  }\n';
            IF kyc.state_diagram_is_mesh(g.node) THEN
                out := out OPERATOR(pg_catalog.||) pg_catalog.format(E'  note right of %s : any state here may move to any other\n', g.node);
            END IF;
        ELSE
            out := out OPERATOR(pg_catalog.||) pg_catalog.format(E'  subgraph cluster_%s {\n    label="%s%s";\n', g.node, g.node,
                       CASE WHEN kyc.state_diagram_is_mesh(g.node) THEN ': any state here may move to any other' ELSE '' END)
                OPERATOR(pg_catalog.||) (SELECT pg_catalog.string_agg(pg_catalog.format('    %s;', m), E'\n') FROM pg_catalog.unnest(g.members) m)
                OPERATOR(pg_catalog.||) E'\n  }\n';
        END IF;
    END LOOP;

    -- Edges between drawn nodes. An edge is drawn group-to-group when every member pair has it,
    -- else group-to-state when every member of the source group has it, else state-to-group when
    -- the state reaches every member of the target group, else state-to-state.
    FOR x IN
        WITH edge AS (
            SELECT t.from_state, t.to_state, a.node AS from_node, b.node AS to_node
            FROM kyc.state_transition t
            JOIN kyc.state_diagram_nodes() a ON a.state OPERATOR(pg_catalog.=) t.from_state
            JOIN kyc.state_diagram_nodes() b ON b.state OPERATOR(pg_catalog.=) t.to_state
            WHERE a.node OPERATOR(pg_catalog.<>) b.node
               OR NOT kyc.state_diagram_is_mesh(a.node)
        ), size AS (
            SELECT n.node, pg_catalog.count(*) AS n, pg_catalog.min(n.state) AS rep
            FROM kyc.state_diagram_nodes() n GROUP BY n.node
        ), counted AS (
            SELECT e.*, fs.n AS from_n, ts.n AS to_n, fs.rep AS from_rep, ts.rep AS to_rep,
                   pg_catalog.count(*) OVER (PARTITION BY e.from_node, e.to_node) AS pair_n,
                   pg_catalog.count(*) OVER (PARTITION BY e.from_node, e.to_state) AS into_state_n,
                   pg_catalog.count(*) OVER (PARTITION BY e.from_state, e.to_node) AS from_state_n
            FROM edge e
            JOIN size fs ON fs.node OPERATOR(pg_catalog.=) e.from_node
            JOIN size ts ON ts.node OPERATOR(pg_catalog.=) e.to_node
        ), shaped AS (
            SELECT c.*,
                   CASE WHEN c.pair_n OPERATOR(pg_catalog.=) c.from_n * c.to_n AND c.from_n OPERATOR(pg_catalog.>) 1
                             AND c.to_n OPERATOR(pg_catalog.>) 1 THEN 'group_group'
                        WHEN c.from_n OPERATOR(pg_catalog.>) 1 AND c.into_state_n OPERATOR(pg_catalog.=) c.from_n THEN 'group_state'
                        WHEN c.to_n OPERATOR(pg_catalog.>) 1 AND c.from_state_n OPERATOR(pg_catalog.=) c.to_n THEN 'state_group'
                        ELSE 'state_state' END AS shape
            FROM counted c
        )
        SELECT s.* FROM shaped s
        WHERE CASE s.shape
                  WHEN 'group_group' THEN s.from_state OPERATOR(pg_catalog.=) s.from_rep AND s.to_state OPERATOR(pg_catalog.=) s.to_rep
                  WHEN 'group_state' THEN s.from_state OPERATOR(pg_catalog.=) s.from_rep
                  WHEN 'state_group' THEN s.to_state OPERATOR(pg_catalog.=) s.to_rep
                  ELSE true END
        ORDER BY s.from_state, s.to_state
    LOOP
        IF mermaid THEN
            out := out OPERATOR(pg_catalog.||) pg_catalog.format(E'  %s --> %s\n',
                       CASE WHEN x.shape OPERATOR(pg_catalog.~) '^group' THEN x.from_node ELSE x.from_state::text END,
                       CASE WHEN x.shape OPERATOR(pg_catalog.~) 'group$' THEN x.to_node ELSE x.to_state::text END);
        ELSE
            out := out OPERATOR(pg_catalog.||) pg_catalog.format(E'  %s -> %s%s;\n', x.from_state, x.to_state,
                       CASE WHEN x.shape OPERATOR(pg_catalog.<>) 'state_state' THEN
                           pg_catalog.format(' [%s]', pg_catalog.concat_ws(', ',
                               CASE WHEN x.shape OPERATOR(pg_catalog.~) '^group' THEN pg_catalog.format('ltail=cluster_%s', x.from_node) END,
                               CASE WHEN x.shape OPERATOR(pg_catalog.~) 'group$' THEN pg_catalog.format('lhead=cluster_%s', x.to_node) END))
                       ELSE '' END);
        END IF;
    END LOOP;

    IF mermaid THEN
        out := out OPERATOR(pg_catalog.||) (SELECT pg_catalog.string_agg(pg_catalog.format('  %s --> [*]', d.state), E'\n' ORDER BY d.state)
                                            FROM kyc.state_definition d WHERE d.phase OPERATOR(pg_catalog.=) 'terminal') OPERATOR(pg_catalog.||) E'\n';
    ELSE
        out := out OPERATOR(pg_catalog.||) E'}\n';
    END IF;
    RETURN out;
END
$fn$;
COMMENT ON FUNCTION kyc.state_diagram(text) IS
    'the state machine as Mermaid (default) or Graphviz DOT, generated from kyc.state_transition, states grouped by phase';

-- Allowed next states of an application, for user interfaces.
CREATE FUNCTION kyc.next_states(app uuid) RETURNS SETOF kyc.state
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT t.to_state
    FROM kyc.application a
    JOIN kyc.state_transition t ON t.from_state OPERATOR(pg_catalog.=) a.state
    WHERE a.id OPERATOR(pg_catalog.=) next_states.app
    ORDER BY t.to_state;
END;
COMMENT ON FUNCTION kyc.next_states(uuid) IS
    'states the application may move to next according to kyc.state_transition (gate prerequisites still apply)';
-- The evidence ledger's functions. docs/ledger.md explains them; docs/ledger-format.md the bytes.

CREATE FUNCTION kyc.canonical_json(payload jsonb) RETURNS text
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'kyc_canonical_json';
COMMENT ON FUNCTION kyc.canonical_json(jsonb) IS
    'pg_kyc''s canonical JSON serialisation v1: the bytes a payload digest covers';

CREATE FUNCTION kyc.payload_digest_v1(salt bytea, payload jsonb) RETURNS kyc.hash256
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'kyc_payload_digest_v1';
COMMENT ON FUNCTION kyc.payload_digest_v1(bytea, jsonb) IS 'H("kyc.payload.v1" || salt || canonical payload)';

CREATE FUNCTION kyc.row_hash_v1(tenant_id text, application_id uuid, seq bigint, prev_hash kyc.hash256,
                                kind text, data_class text, recorded_at timestamptz, actor_role text,
                                actor_role_oid oid, actor_principal text, payload_schema_version integer,
                                payload_digest kyc.hash256) RETURNS kyc.hash256
    LANGUAGE c IMMUTABLE PARALLEL SAFE AS 'MODULE_PATHNAME', 'kyc_row_hash_v1';
COMMENT ON FUNCTION kyc.row_hash_v1(text, uuid, bigint, kyc.hash256, text, text, timestamptz, text, oid, text, integer, kyc.hash256)
    IS 'the row hash of hash version 1 (docs/ledger-format.md); actor_principal may be NULL';

CREATE FUNCTION kyc.merkle_leaf_v1(tenant_id text, application_id uuid, head_seq bigint, head_hash kyc.hash256)
    RETURNS kyc.hash256
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'kyc_merkle_leaf_v1';
COMMENT ON FUNCTION kyc.merkle_leaf_v1(text, uuid, bigint, kyc.hash256) IS 'RFC 9162 leaf hash of one chain head';

CREATE FUNCTION kyc.merkle_root(leaf_hashes kyc.hash256[]) RETURNS kyc.hash256
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'kyc_merkle_root';
COMMENT ON FUNCTION kyc.merkle_root(kyc.hash256[]) IS 'RFC 9162 Merkle tree hash over leaf hashes in order';

CREATE FUNCTION kyc.merkle_audit_path(leaf_hashes kyc.hash256[], leaf_index bigint) RETURNS kyc.hash256[]
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'kyc_merkle_audit_path';
COMMENT ON FUNCTION kyc.merkle_audit_path(kyc.hash256[], bigint) IS 'RFC 9162 inclusion proof of one leaf (0-based)';

CREATE FUNCTION kyc.seal_digest_v1(seal_id bigint, sealed_at timestamptz, tree_size bigint, merkle_root kyc.hash256,
                                   prev_digest_hash kyc.hash256, system_identifier bigint, database_oid oid,
                                   database_name text, incarnation uuid) RETURNS kyc.hash256
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'kyc_seal_digest_v1';
COMMENT ON FUNCTION kyc.seal_digest_v1(bigint, timestamptz, bigint, kyc.hash256, kyc.hash256, bigint, oid, text, uuid)
    IS 'the digest_hash of a seal (docs/ledger-format.md)';

-- Internal: granted to nobody; the API's SECURITY DEFINER functions call it.
CREATE FUNCTION kyc.append_evidence(app uuid, kind kyc.evidence_kind, data_class kyc.data_class, payload jsonb)
    RETURNS bigint
    LANGUAGE c VOLATILE AS 'MODULE_PATHNAME', 'kyc_append_evidence';
COMMENT ON FUNCTION kyc.append_evidence(uuid, kyc.evidence_kind, kyc.data_class, jsonb) IS
    'internal: append one row to an application''s evidence chain (the session''s tenant only); returns its seq';

-- The only way a payload leaves the ledger. Grant to: kyc_admin (retention).
CREATE FUNCTION kyc.redact_evidence(app uuid, seqs bigint[], reason text, legal_basis text) RETURNS integer
    LANGUAGE c VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'kyc_redact_evidence';
COMMENT ON FUNCTION kyc.redact_evidence(uuid, bigint[], text, text) IS
    'retention: remove the payload and salt of evidence rows of a concluded application not under legal hold; hashes stay, a retention_action row records it; grant to kyc_admin';

-- Grant to: kyc_admin (the sealing job).
CREATE FUNCTION kyc.seal_ledger(now timestamptz DEFAULT pg_catalog.now()) RETURNS bigint
    LANGUAGE c VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'kyc_seal_ledger';
COMMENT ON FUNCTION kyc.seal_ledger(timestamptz) IS
    'write a seal over every chain head (NULL when nothing changed since the last seal); grant to kyc_admin';

CREATE FUNCTION kyc.verify_chain(app uuid)
    RETURNS TABLE (tenant_id text, application_id uuid, seq bigint, finding text, severity text,
                   expected text, actual text)
    LANGUAGE c VOLATILE STRICT AS 'MODULE_PATHNAME', 'kyc_verify_chain';
COMMENT ON FUNCTION kyc.verify_chain(uuid) IS
    'every finding about one application''s evidence chain, against the last seal, in one snapshot';

CREATE FUNCTION kyc.verify_ledger()
    RETURNS TABLE (tenant_id text, application_id uuid, seq bigint, finding text, severity text,
                   expected text, actual text)
    LANGUAGE c VOLATILE AS 'MODULE_PATHNAME', 'kyc_verify_ledger';
COMMENT ON FUNCTION kyc.verify_ledger() IS
    'every finding about every evidence chain and every seal, in one snapshot';

CREATE FUNCTION kyc.verify_summary(
    OUT chains bigint, OUT evidence_rows bigint, OUT errors bigint, OUT redacted bigint,
    OUT unsealed_chains bigint, OUT last_seal_id bigint, OUT last_sealed_at timestamptz, OUT verdict text)
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH f AS (SELECT * FROM kyc.verify_ledger())
    SELECT (SELECT pg_catalog.count(DISTINCT e.application_id) FROM kyc.evidence e),
           (SELECT pg_catalog.count(*) FROM kyc.evidence e),
           (SELECT pg_catalog.count(*) FROM f WHERE f.severity OPERATOR(pg_catalog.=) 'error'),
           (SELECT pg_catalog.count(*) FROM f WHERE f.finding OPERATOR(pg_catalog.=) 'redacted'),
           (SELECT pg_catalog.count(DISTINCT f.application_id) FROM f WHERE f.finding OPERATOR(pg_catalog.=) 'unsealed'),
           (SELECT pg_catalog.max(d.seal_id) FROM kyc.ledger_digest d),
           (SELECT pg_catalog.max(d.sealed_at) FROM kyc.ledger_digest d),
           CASE WHEN EXISTS (SELECT 1 FROM f WHERE f.severity OPERATOR(pg_catalog.=) 'error') THEN 'tampered or damaged'
                WHEN EXISTS (SELECT 1 FROM f WHERE f.finding OPERATOR(pg_catalog.=) 'unsealed') THEN 'verified; some rows not yet sealed'
                ELSE 'verified and sealed' END;
END;
COMMENT ON FUNCTION kyc.verify_summary() IS 'one-row summary of kyc.verify_ledger()';

-- Anchoring: the seal as JSON to keep outside the database (docs/ledger-format.md).
CREATE FUNCTION kyc.export_digest(seal_id bigint DEFAULT NULL) RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT pg_catalog.jsonb_build_object(
               'format', 'pg_kyc.digest.v1',
               'hash_version', d.hash_version,
               'seal_id', d.seal_id,
               'sealed_at_us', (EXTRACT(epoch FROM d.sealed_at) OPERATOR(pg_catalog.*) 1000000)::bigint,
               'tree_size', d.tree_size,
               'merkle_root', d.merkle_root::text,
               'prev_digest_hash', d.prev_digest_hash::text,
               'system_identifier', (CASE WHEN d.system_identifier OPERATOR(pg_catalog.<) 0
                                          THEN d.system_identifier::numeric OPERATOR(pg_catalog.+) 18446744073709551616
                                          ELSE d.system_identifier::numeric END)::text,
               'database_oid', d.database_oid::bigint,
               'database_name', d.database_name,
               'incarnation', d.incarnation,
               'digest_hash', d.digest_hash::text)
    FROM kyc.ledger_digest d
    WHERE d.seal_id OPERATOR(pg_catalog.=) coalesce(export_digest.seal_id,
                                                    (SELECT pg_catalog.max(x.seal_id) FROM kyc.ledger_digest x));
END;
COMMENT ON FUNCTION kyc.export_digest(bigint) IS 'a seal (default: the latest) as pg_kyc.digest.v1 JSON, for anchoring outside the database';
-- One application's chain as pg_kyc.chain.v1 JSON, with the proof that its head was sealed, for
-- the offline verifier (kyc_verify chain FILE). Definer, because a chain must be exported whole:
-- under the caller's row-level security an auditor would miss the SAR-restricted rows and the
-- verifier would see gaps. Rows of a class the caller may not read keep their hashes but are
-- "withheld": no payload, no salt. Grant to: kyc_auditor, kyc_admin, kyc_aml.
CREATE FUNCTION kyc.export_chain(app uuid) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    tenant   text;
    readable kyc.data_class[];
    rows     jsonb;
    seal     jsonb;
    s        record;
BEGIN
    PERFORM kyc.assert_caller('export an evidence chain', 'kyc_auditor', 'kyc_admin', 'kyc_aml');
    readable := kyc.readable_classes();
    SELECT e.tenant_id INTO tenant FROM kyc.evidence e
    WHERE e.application_id OPERATOR(pg_catalog.=) export_chain.app
      AND e.tenant_id OPERATOR(pg_catalog.=) kyc.current_tenant()
    ORDER BY e.seq LIMIT 1;
    IF tenant IS NULL THEN
        RAISE EXCEPTION 'application "%" has no evidence', export_chain.app
            USING ERRCODE = 'KY004', HINT = 'Check the application id and the setting kyc.tenant.';
    END IF;

    SELECT pg_catalog.jsonb_agg(CASE WHEN e.data_class OPERATOR(pg_catalog.=) ANY (readable) THEN r.row
                                     ELSE r.row OPERATOR(pg_catalog.||) '{"payload": null, "salt": null, "withheld": true}'::jsonb
                                END ORDER BY e.seq)
      INTO rows
      FROM kyc.evidence e
      CROSS JOIN LATERAL (SELECT pg_catalog.jsonb_build_object(
               'seq', e.seq, 'hash_version', e.hash_version, 'kind', e.kind, 'data_class', e.data_class,
               'recorded_at_us', (EXTRACT(epoch FROM e.recorded_at) OPERATOR(pg_catalog.*) 1000000)::bigint,
               'actor_role', e.actor_role, 'actor_role_oid', e.actor_role_oid::bigint, 'actor_principal', e.actor_principal,
               'payload_schema_version', e.payload_schema_version, 'payload', e.payload,
               'salt', pg_catalog.encode(e.payload_salt, 'hex'),
               'payload_digest', e.payload_digest::text, 'prev_hash', e.prev_hash::text,
               'row_hash', e.row_hash::text) AS row) r
      WHERE e.application_id OPERATOR(pg_catalog.=) export_chain.app
        AND e.tenant_id OPERATOR(pg_catalog.=) tenant;

    -- the leaves of the latest seal, and this chain's place among them
    WITH last AS (SELECT pg_catalog.max(d.seal_id) AS seal_id FROM kyc.ledger_digest d),
    heads AS (
        SELECT DISTINCT ON (h.application_id) h.tenant_id, h.application_id, h.head_seq, h.head_hash
        FROM kyc.sealed_head h, last
        WHERE h.seal_id OPERATOR(pg_catalog.<=) last.seal_id
        ORDER BY h.application_id, h.seal_id DESC
    ), ordered AS (
        SELECT h.*, pg_catalog.row_number() OVER (ORDER BY h.tenant_id COLLATE "C", h.application_id) - 1 AS idx,
               kyc.merkle_leaf_v1(h.tenant_id, h.application_id, h.head_seq, h.head_hash) AS leaf
        FROM heads h
    )
    SELECT last.seal_id,
           (SELECT o.idx FROM ordered o WHERE o.application_id OPERATOR(pg_catalog.=) export_chain.app) AS idx,
           (SELECT o.head_seq FROM ordered o WHERE o.application_id OPERATOR(pg_catalog.=) export_chain.app) AS head_seq,
           (SELECT pg_catalog.array_agg(o.leaf ORDER BY o.idx) FROM ordered o) AS leaves
      INTO s FROM last;

    IF s.idx IS NOT NULL THEN
        seal := pg_catalog.jsonb_build_object(
            'digest', kyc.export_digest(s.seal_id),
            'leaf_index', s.idx,
            'head_seq', s.head_seq,
            'audit_path', (SELECT COALESCE(pg_catalog.jsonb_agg(p::text), '[]'::jsonb)
                           FROM pg_catalog.unnest(kyc.merkle_audit_path(s.leaves, s.idx)) AS p));
    END IF;

    RETURN pg_catalog.jsonb_build_object('format', 'pg_kyc.chain.v1', 'tenant_id', tenant,
                                         'application_id', export_chain.app, 'rows', rows, 'seal', seal);
END
$fn$;
COMMENT ON FUNCTION kyc.export_chain(uuid) IS
    'one application''s evidence chain as pg_kyc.chain.v1 JSON with its seal inclusion proof, for the offline verifier';
-- The only way to read evidence payloads (no role has SELECT on kyc.evidence.payload): the rows of
-- one application the caller may read, and, when any of them is personal, fraud-sensitive or
-- SAR-restricted, an evidence_access row in the same transaction saying who read which rows and
-- why. The access row carries the most restricted class it reveals, so a read of SAR rows is
-- itself visible to AML alone. Grant to: every role that reads evidence.
CREATE FUNCTION kyc.read_evidence(app uuid, purpose text, seqs bigint[] DEFAULT NULL)
RETURNS TABLE (seq bigint, kind kyc.evidence_kind, data_class kyc.data_class, recorded_at timestamptz,
               actor_role name, payload jsonb)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    readable   kyc.data_class[];
    restricted bigint[];
    top        kyc.data_class;
BEGIN
    PERFORM kyc.assert_caller('read evidence', 'kyc_app', 'kyc_reviewer', 'kyc_fraud', 'kyc_aml', 'kyc_auditor', 'kyc_admin');
    IF read_evidence.purpose IS NULL OR pg_catalog.btrim(read_evidence.purpose) OPERATOR(pg_catalog.=) ''
       OR pg_catalog.length(read_evidence.purpose) OPERATOR(pg_catalog.>) 200 THEN
        RAISE EXCEPTION 'field "purpose" must be a non-empty text of at most 200 characters'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Say why the evidence is read, e.g. a case or ticket reference; the read is recorded.';
    END IF;
    -- a reader must not block the onboarding service's transitions
    PERFORM kyc.lock_application(read_evidence.app, shared => true);
    readable := kyc.readable_classes();

    SELECT pg_catalog.array_agg(e.seq ORDER BY e.seq), pg_catalog.max(e.data_class)
      INTO restricted, top
      FROM kyc.evidence e
     WHERE e.application_id OPERATOR(pg_catalog.=) read_evidence.app
       AND e.data_class OPERATOR(pg_catalog.=) ANY (readable)
       AND e.data_class OPERATOR(pg_catalog.=) ANY (ARRAY['pii', 'fraud_sensitive', 'sar_restricted']::kyc.data_class[])
       AND e.payload IS NOT NULL
       AND (read_evidence.seqs IS NULL OR e.seq OPERATOR(pg_catalog.=) ANY (read_evidence.seqs));
    IF restricted IS NOT NULL THEN
        PERFORM kyc.append_evidence(read_evidence.app, 'evidence_access', top,
            pg_catalog.jsonb_build_object('purpose', read_evidence.purpose, 'seqs', pg_catalog.to_jsonb(restricted)));
    END IF;

    RETURN QUERY
    SELECT e.seq, e.kind, e.data_class, e.recorded_at, e.actor_role, e.payload
      FROM kyc.evidence e
     WHERE e.application_id OPERATOR(pg_catalog.=) read_evidence.app
       AND e.data_class OPERATOR(pg_catalog.=) ANY (readable)
       AND (read_evidence.seqs IS NULL OR e.seq OPERATOR(pg_catalog.=) ANY (read_evidence.seqs))
     ORDER BY e.seq;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.read_evidence(uuid, text, bigint[]) FROM PUBLIC;
COMMENT ON FUNCTION kyc.read_evidence(uuid, text, bigint[]) IS
    'the evidence payloads of an application the caller may read, for a stated purpose; reading personal, fraud-sensitive or SAR-restricted rows appends an evidence_access row';
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
-- What the customer may be told about an application: a label, a message and a next step from
-- the approved wording, and nothing else (no state, gate, reason code or count). Every review
-- state reads "under review", so an AML or fraud hold cannot be told from any other review.
-- Grant to: kyc_cx, kyc_app.
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
-- Records a notice sent to the customer: which approved wording (key, locale, version), through
-- which channel, with what proof of delivery. The notice type must fit the application's state,
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
        RAISE EXCEPTION 'a notice of type "%" does not fit an application in state "%"', record_notice.notice_type, a.state
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    SELECT * INTO s FROM kyc.customer_status(a.id, record_notice.locale);
    RETURN kyc.append_evidence(a.id, 'notice', 'customer_safe',
        pg_catalog.jsonb_build_object('notice_type', record_notice.notice_type, 'message_key', s.message_key,
                                      'locale', s.message_locale, 'template_version', s.message_version,
                                      'label', s.label, 'message', s.message, 'next_step', s.next_step,
                                      'channel', record_notice.channel, 'delivery_proof', record_notice.delivery_proof));
END
$fn$;
REVOKE ALL ON FUNCTION kyc.record_notice(uuid, text, text, jsonb, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.record_notice(uuid, text, text, jsonb, text) IS
    'record a customer notice (approved wording, template version, channel, delivery proof) as evidence; grant to kyc_app';
-- The policy document kyc.decide() reads: the policy's settings, rules and risk factors as one
-- JSON object. Its canonical form is what the content digest covers.
CREATE FUNCTION kyc.policy_document(policy_id uuid) RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT pg_catalog.jsonb_build_object(
        'policy', pg_catalog.jsonb_build_object('tenant_id', p.tenant_id, 'product', p.product,
                                                'jurisdiction', p.jurisdiction, 'version', p.version),
        'eligibility', pg_catalog.jsonb_build_object('applicant_kinds', pg_catalog.to_jsonb(p.eligible_kinds),
                                                     'jurisdictions', pg_catalog.to_jsonb(p.eligible_jurisdictions)),
        'risk', pg_catalog.jsonb_build_object('medium', p.risk_medium, 'high', p.risk_high, 'prohibited', p.risk_prohibited,
            'factors', (SELECT COALESCE(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('factor', f.factor, 'value', f.value,
                                                                                      'weight', f.weight)
                                                        ORDER BY f.factor, f.value), '[]'::jsonb)
                        FROM kyc.policy_risk_factor f WHERE f.policy_id OPERATOR(pg_catalog.=) p.id)),
        'restricted_approval', pg_catalog.jsonb_build_object('when_tier', pg_catalog.to_jsonb(p.restrict_when_tier),
            'kind', p.restriction_kind, 'reason_code', p.restriction_reason, 'lift_condition', p.restriction_lift),
        'timeouts', pg_catalog.jsonb_build_object('abandon_after', p.abandon_after::text,
            'rfi_expire_after', p.rfi_expire_after::text, 'max_rfi_rounds', p.max_rfi_rounds,
            'by_state', (SELECT COALESCE(pg_catalog.jsonb_object_agg(t.state, t.abandon_after::text), '{}'::jsonb)
                         FROM kyc.policy_timeout t WHERE t.policy_id OPERATOR(pg_catalog.=) p.id)),
        'early_life', (SELECT COALESCE(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                                           'rule', r.rule, 'monitor_for', r.monitor_for::text, 'within', r.within::text,
                                           'threshold', r.threshold, 'restriction_kind', r.restriction_kind,
                                           'reason_code', r.reason_code, 'queue', r.queue, 'sla', r.sla::text) ORDER BY r.rule), '[]'::jsonb)
                       FROM kyc.policy_early_life_rule r WHERE r.policy_id OPERATOR(pg_catalog.=) p.id),
        'rules', (SELECT COALESCE(pg_catalog.jsonb_agg(pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
                                      'rule_no', r.rule_no, 'gate', r.gate, 'result', r.result,
                                      'reason_code', r.reason_code, 'min_confidence', r.min_confidence,
                                      'status', r.status, 'decision_reason', r.decision_reason,
                                      'queue', r.queue, 'sla', r.sla::text)) ORDER BY r.rule_no), '[]'::jsonb)
                  FROM kyc.policy_rule r WHERE r.policy_id OPERATOR(pg_catalog.=) p.id))
    FROM kyc.policy p WHERE p.id OPERATOR(pg_catalog.=) policy_document.policy_id;
END;
COMMENT ON FUNCTION kyc.policy_document(uuid) IS 'a policy''s settings, rules and risk factors as the JSON document kyc.decide() reads';

-- The published policy in force for a product and jurisdiction: the tenant's own before the
-- shipped defaults (tenant "*"), the most specific jurisdiction ("*" is any), the highest version.
-- In C (src/policy_in_force.c), with its statement planned once per backend; it runs with the
-- caller's rights, so row-level security decides which policies it sees.
CREATE FUNCTION kyc.policy_in_force(tenant text, product text, jurisdiction text) RETURNS uuid
    LANGUAGE c STABLE
    AS 'MODULE_PATHNAME', 'kyc_policy_in_force';
COMMENT ON FUNCTION kyc.policy_in_force(text, text, text) IS 'the published policy an application of this product and jurisdiction pins when it opens';

-- A new draft: a copy of a published policy (settings, rules, factors) as the next version.
-- Grant to: kyc_admin.
CREATE FUNCTION kyc.draft_policy(based_on uuid, description text) RETURNS uuid
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
        restriction_reason, restriction_lift, abandon_after, rfi_expire_after, max_rfi_rounds, author)
    SELECT t, b.product, b.jurisdiction,
           1 OPERATOR(pg_catalog.+) coalesce((SELECT pg_catalog.max(x.version) FROM kyc.policy x
                                              WHERE x.tenant_id OPERATOR(pg_catalog.=) t AND x.product OPERATOR(pg_catalog.=) b.product
                                                AND x.jurisdiction OPERATOR(pg_catalog.=) b.jurisdiction), 0),
           draft_policy.description, b.eligible_kinds, b.eligible_jurisdictions, b.risk_medium, b.risk_high,
           b.risk_prohibited, b.restrict_when_tier, b.restriction_kind, b.restriction_reason, b.restriction_lift,
           b.abandon_after, b.rfi_expire_after, b.max_rfi_rounds, actor
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

-- Publishing freezes a draft: validated, digested, and put in force; another admin than its
-- author must publish it (four eyes). Grant to: kyc_admin.
CREATE FUNCTION kyc.publish_policy(policy_id uuid) RETURNS kyc.hash256
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    actor  name := kyc.assert_caller('publish a policy', 'kyc_admin');
    p      kyc.policy;
    bad    text;
    digest kyc.hash256;
BEGIN
    SELECT * INTO p FROM kyc.policy x WHERE x.id OPERATOR(pg_catalog.=) publish_policy.policy_id FOR UPDATE;
    IF NOT FOUND OR p.tenant_id OPERATOR(pg_catalog.<>) kyc.current_tenant() THEN
        RAISE EXCEPTION 'policy "%" does not exist in this tenant', publish_policy.policy_id
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p.status OPERATOR(pg_catalog.<>) 'draft' THEN
        RAISE EXCEPTION 'version % of policy "%" is already %', p.version, p.product, p.status
            USING ERRCODE = 'object_not_in_prerequisite_state', HINT = 'Draft a new version with kyc.draft_policy().';
    END IF;
    IF p.author OPERATOR(pg_catalog.=) actor THEN
        RAISE EXCEPTION 'the author of a policy cannot publish it'
            USING ERRCODE = 'insufficient_privilege', HINT = 'Another kyc_admin must review and publish it (four eyes).';
    END IF;
    SELECT pg_catalog.format('rule %s', r.rule_no) INTO bad FROM kyc.policy_rule r
    JOIN kyc.reason_code c ON c.code OPERATOR(pg_catalog.=) r.decision_reason
    WHERE r.policy_id OPERATOR(pg_catalog.=) p.id AND r.status OPERATOR(pg_catalog.=) 'failed'
      AND c.outcome_class OPERATOR(pg_catalog.<>) 'decline'
    ORDER BY r.rule_no LIMIT 1;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'policy % fails a gate with a reason that is not a decline reason', bad
            USING ERRCODE = 'KY003', HINT = 'A failed gate declines: its reason''s outcome class must be "decline".';
    END IF;
    digest := pg_catalog.sha256(pg_catalog.convert_to(kyc.canonical_json(kyc.policy_document(p.id)), 'UTF8'))::kyc.hash256;
    UPDATE kyc.policy x SET status = 'published', publisher = actor, published_at = pg_catalog.now(), content_digest = digest,
                            document = kyc.policy_document(p.id)
    WHERE x.id OPERATOR(pg_catalog.=) p.id;
    RETURN digest;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.publish_policy(uuid) FROM PUBLIC;
COMMENT ON FUNCTION kyc.publish_policy(uuid) IS
    'validate, digest and publish a draft policy; its author may not publish it; grant to kyc_admin';

-- Grant to: kyc_admin.
CREATE FUNCTION kyc.retire_policy(policy_id uuid) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    PERFORM kyc.assert_caller('retire a policy', 'kyc_admin');
    UPDATE kyc.policy x SET status = 'retired', retired_at = pg_catalog.now()
    WHERE x.id OPERATOR(pg_catalog.=) retire_policy.policy_id AND x.status OPERATOR(pg_catalog.=) 'published'
      AND x.tenant_id OPERATOR(pg_catalog.=) kyc.current_tenant();
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the policy is not a published policy of this tenant'
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.retire_policy(uuid) FROM PUBLIC;
COMMENT ON FUNCTION kyc.retire_policy(uuid) IS 'take a published policy out of force (applications that pinned it keep it); grant to kyc_admin';

-- Published policies and their rules never change; only their retirement is recorded.
CREATE FUNCTION kyc.policy_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF (OLD).status OPERATOR(pg_catalog.=) 'draft' THEN
        IF (OLD).tenant_id OPERATOR(pg_catalog.<>) (SELECT kyc.session_tenant())
           AND NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) kyc.caller()::regrole) THEN
            RAISE EXCEPTION 'the policy belongs to another tenant' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN CASE WHEN TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP OPERATOR(pg_catalog.=) 'UPDATE' AND (OLD).status OPERATOR(pg_catalog.=) 'published'
       AND (NEW).status OPERATOR(pg_catalog.=) 'retired'
       AND (pg_catalog.to_jsonb(OLD) OPERATOR(pg_catalog.-) 'status' OPERATOR(pg_catalog.-) 'retired_at')
           OPERATOR(pg_catalog.=) (pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.-) 'status' OPERATOR(pg_catalog.-) 'retired_at') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'a published policy is immutable'
        USING ERRCODE = 'insufficient_privilege', HINT = 'Draft a new version with kyc.draft_policy().';
END
$fn$;
COMMENT ON FUNCTION kyc.policy_guard() IS 'trigger: a published policy never changes, but for its retirement';

CREATE FUNCTION kyc.policy_part_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    pids uuid[] := ARRAY[CASE WHEN TG_OP OPERATOR(pg_catalog.<>) 'INSERT' THEN (OLD).policy_id END,
                         CASE WHEN TG_OP OPERATOR(pg_catalog.<>) 'DELETE' THEN (NEW).policy_id END];
BEGIN
    -- administrators edit only their own tenant's drafts
    IF EXISTS (SELECT 1 FROM kyc.policy p WHERE p.id OPERATOR(pg_catalog.=) ANY (pids)
                                            AND p.tenant_id OPERATOR(pg_catalog.<>) (SELECT kyc.session_tenant()))
       AND NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) kyc.caller()::regrole) THEN
        RAISE EXCEPTION 'the policy belongs to another tenant'
            USING ERRCODE = 'insufficient_privilege', HINT = 'Draft your own version with kyc.draft_policy().';
    END IF;
    IF EXISTS (SELECT 1 FROM kyc.policy p WHERE p.id OPERATOR(pg_catalog.=) ANY (pids)
                                            AND p.status OPERATOR(pg_catalog.<>) 'draft') THEN
        RAISE EXCEPTION 'the rules and risk factors of a published policy are immutable'
            USING ERRCODE = 'insufficient_privilege', HINT = 'Draft a new version with kyc.draft_policy().';
    END IF;
    RETURN CASE WHEN TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN OLD ELSE NEW END;
END
$fn$;
COMMENT ON FUNCTION kyc.policy_part_guard() IS 'trigger: the rules and risk factors of a published policy never change';
CREATE FUNCTION kyc.decide(inputs jsonb, policy jsonb) RETURNS jsonb
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'kyc_decide';
COMMENT ON FUNCTION kyc.decide(jsonb, jsonb) IS
    'the decision core (C): gate statuses, risk tier and outcome from recorded inputs and a policy document; pure';

-- Everything kyc.decide() reads about one application, now: recorded in the decision so that
-- kyc.replay() can recompute it. In C (src/evaluate.c), which evaluation calls, with its query
-- planned once per backend. Internal.
CREATE FUNCTION kyc.decision_inputs(app uuid, as_of timestamptz) RETURNS jsonb
    LANGUAGE c STABLE
    AS 'MODULE_PATHNAME', 'kyc_decision_inputs';
COMMENT ON FUNCTION kyc.decision_inputs(uuid, timestamptz) IS 'internal: the inputs of a decision about an application';

-- Moves an application toward the state a decision asks for, along catalog edges: through
-- consent_captured from the start, and on to active once funding cleared. In C (src/evaluate.c).
-- Internal.
CREATE FUNCTION kyc.move_toward(app uuid, target kyc.state, reason_code text, note text) RETURNS kyc.state
    LANGUAGE c VOLATILE
    AS 'MODULE_PATHNAME', 'kyc_move_toward';
COMMENT ON FUNCTION kyc.move_toward(uuid, kyc.state, text, text) IS
    'internal: move an application toward a decided state along catalog edges (an opened account is not moved back into review)';

-- Evaluates an application under its pinned policy: every gate from the live signals, one
-- outcome, a kyc.decision row with its exact inputs, evidence, the state move, a restriction for
-- a restricted approval, a review task for a hold. In C (src/evaluate.c). Grant to: kyc_app,
-- kyc_reviewer, kyc_fraud, kyc_aml.
CREATE FUNCTION kyc.evaluate(app uuid, as_of timestamptz DEFAULT pg_catalog.now(),
    OUT decision_id uuid, OUT outcome kyc.outcome, OUT state kyc.state, OUT risk_tier kyc.risk_tier)
    LANGUAGE c VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'kyc_evaluate';
REVOKE ALL ON FUNCTION kyc.evaluate(uuid, timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION kyc.evaluate(uuid, timestamptz) IS
    'decide an application under its pinned policy, record the decision and its evidence, move its state; grant to kyc_app and reviewer roles';

-- Recomputes a recorded decision from its recorded inputs and pinned policy. Grant to:
-- kyc_auditor, kyc_admin, kyc_app, reviewer roles.
CREATE FUNCTION kyc.replay(decision_id uuid, OUT matches boolean, OUT policy_unchanged boolean,
                           OUT differences text[], OUT recorded jsonb, OUT recomputed jsonb)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    d   kyc.decision;
    doc jsonb;
BEGIN
    SELECT * INTO d FROM kyc.decision x WHERE x.id OPERATOR(pg_catalog.=) replay.decision_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'decision "%" does not exist', replay.decision_id
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Check the id and the setting kyc.tenant.';
    END IF;
    SELECT p.document INTO doc FROM kyc.policy p WHERE p.id OPERATOR(pg_catalog.=) d.policy_id;
    policy_unchanged := pg_catalog.sha256(pg_catalog.convert_to(kyc.canonical_json(doc), 'UTF8'))::kyc.hash256
                        OPERATOR(pg_catalog.=) d.policy_digest;
    recorded := d.result;
    recomputed := kyc.decide(d.inputs, doc);
    matches := recorded OPERATOR(pg_catalog.=) recomputed;
    -- the paths that differ: top-level members, and each gate's members
    differences := ARRAY(
        SELECT k FROM (
            SELECT t.k FROM (SELECT pg_catalog.jsonb_object_keys(recorded) AS k
                             UNION SELECT pg_catalog.jsonb_object_keys(recomputed)) t
            WHERE t.k OPERATOR(pg_catalog.<>) 'gates'
              AND (recorded OPERATOR(pg_catalog.->) t.k) IS DISTINCT FROM (recomputed OPERATOR(pg_catalog.->) t.k)
            UNION ALL
            SELECT 'gates.' OPERATOR(pg_catalog.||) g.k OPERATOR(pg_catalog.||) '.' OPERATOR(pg_catalog.||) m.k
            FROM pg_catalog.jsonb_object_keys(recorded OPERATOR(pg_catalog.->) 'gates') AS g (k),
                 LATERAL pg_catalog.jsonb_object_keys(recorded OPERATOR(pg_catalog.#>) ARRAY['gates', g.k]) AS m (k)
            WHERE (recorded OPERATOR(pg_catalog.#>) ARRAY['gates', g.k, m.k])
                  IS DISTINCT FROM (recomputed OPERATOR(pg_catalog.#>) ARRAY['gates', g.k, m.k])) x (k)
        ORDER BY 1);
END
$fn$;
COMMENT ON FUNCTION kyc.replay(uuid) IS 'recompute a recorded decision from its recorded inputs and policy; says whether it matches and which paths differ';

-- Runs a (draft) policy over the latest recorded inputs of every application of the tenant with
-- that product and reports how outcomes would change. Grant to: kyc_admin.
CREATE FUNCTION kyc.backtest(policy_id uuid)
RETURNS TABLE (application_id uuid, external_ref text, recorded_outcome kyc.outcome, recorded_state kyc.state,
               backtest_outcome kyc.outcome, backtest_state kyc.state, changed boolean)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT d.application_id, a.external_ref, d.outcome, (d.result OPERATOR(pg_catalog.->>) 'target_state')::kyc.state,
           (r OPERATOR(pg_catalog.->>) 'outcome')::kyc.outcome, (r OPERATOR(pg_catalog.->>) 'target_state')::kyc.state,
           (d.result OPERATOR(pg_catalog.->>) 'outcome') IS DISTINCT FROM (r OPERATOR(pg_catalog.->>) 'outcome')
           OR (d.result OPERATOR(pg_catalog.->>) 'target_state') IS DISTINCT FROM (r OPERATOR(pg_catalog.->>) 'target_state')
    FROM (SELECT DISTINCT ON (x.application_id) x.* FROM kyc.decision x
          ORDER BY x.application_id, x.decided_at DESC) d
    JOIN kyc.application a ON a.id OPERATOR(pg_catalog.=) d.application_id
    JOIN kyc.policy p ON p.id OPERATOR(pg_catalog.=) backtest.policy_id AND p.product OPERATOR(pg_catalog.=) a.product
    CROSS JOIN LATERAL kyc.decide(d.inputs, coalesce(p.document, kyc.policy_document(backtest.policy_id))) AS r
    ORDER BY a.external_ref;
END;
COMMENT ON FUNCTION kyc.backtest(uuid) IS
    'what a (draft) policy would decide on every application''s latest recorded inputs, against what was decided';
-- Review queues (docs/queues.md). Lock order everywhere: the application row, then its tasks,
-- then its evidence chain; claim_task never waits for a lock at all.

-- Opens the live task of an application's gate in a queue, or returns the one already open.
-- Internal.
CREATE FUNCTION kyc.open_review_task(app uuid, gate kyc.gate, queue text, reason_codes text[], sla interval,
                                     origin text, decision_id uuid, as_of timestamptz)
RETURNS uuid
LANGUAGE plpgsql VOLATILE
AS $fn$
#variable_conflict use_column
DECLARE
    id uuid;
BEGIN
    INSERT INTO kyc.review_task AS t (tenant_id, application_id, decision_id, origin, queue, gate, reason_codes, sla_due_at)
    SELECT a.tenant_id, a.id, open_review_task.decision_id, open_review_task.origin, open_review_task.queue,
           open_review_task.gate, open_review_task.reason_codes, open_review_task.as_of OPERATOR(pg_catalog.+) open_review_task.sla
    FROM kyc.application a WHERE a.id OPERATOR(pg_catalog.=) open_review_task.app
    ON CONFLICT (application_id, gate)
        WHERE status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[])
        DO NOTHING
    RETURNING t.id INTO id;
    IF id IS NULL THEN
        SELECT t.id INTO id FROM kyc.review_task t
        WHERE t.application_id OPERATOR(pg_catalog.=) open_review_task.app AND t.gate OPERATOR(pg_catalog.=) open_review_task.gate
          AND t.status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[]);
    END IF;
    RETURN id;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.open_review_task(uuid, kyc.gate, text, text[], interval, text, uuid, timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION kyc.open_review_task(uuid, kyc.gate, text, text[], interval, text, uuid, timestamptz) IS
    'internal: open the live review task of an application''s gate (one per gate), or return the open one';

-- Cancels live tasks whose gate no longer waits for a person: the gate was settled by newer
-- signals, or the application concluded. Early-life tasks of an opened account stay. Internal.
CREATE FUNCTION kyc.cancel_settled_tasks(app uuid, why text) RETURNS integer
LANGUAGE plpgsql VOLATILE
AS $fn$
#variable_conflict use_column
DECLARE
    n integer;
BEGIN
    WITH gone AS (
        UPDATE kyc.review_task t
           SET status = 'cancelled', assignee = NULL, resolution_note = cancel_settled_tasks.why,
               resolved_at = pg_catalog.now()
          FROM kyc.application a
         WHERE a.id OPERATOR(pg_catalog.=) cancel_settled_tasks.app AND t.application_id OPERATOR(pg_catalog.=) a.id
           AND t.status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[])
           AND (a.state OPERATOR(pg_catalog.=) ANY (ARRAY['declined', 'abandoned', 'closed']::kyc.state[])
                OR (t.origin OPERATOR(pg_catalog.<>) 'early_life'
                    AND NOT EXISTS (SELECT 1 FROM kyc.application_gate g
                                    WHERE g.application_id OPERATOR(pg_catalog.=) a.id AND g.gate OPERATOR(pg_catalog.=) t.gate
                                      AND g.status OPERATOR(pg_catalog.=) 'review'::kyc.gate_status)))
        RETURNING t.application_id, t.id, t.gate, t.queue)
    SELECT pg_catalog.count(kyc.append_evidence(g.application_id, 'reviewer_action', kyc.gate_class(g.gate),
               pg_catalog.jsonb_build_object('action', 'cancel', 'task_id', g.id, 'queue', g.queue, 'gate', g.gate,
                                             'note', cancel_settled_tasks.why)))
    INTO n FROM gone g;
    UPDATE kyc.information_request r SET status = 'cancelled', closed_at = pg_catalog.now()
    FROM kyc.application a
    WHERE a.id OPERATOR(pg_catalog.=) cancel_settled_tasks.app AND r.application_id OPERATOR(pg_catalog.=) a.id
      AND r.status OPERATOR(pg_catalog.=) 'open'::kyc.rfi_status
      AND a.state OPERATOR(pg_catalog.=) ANY (ARRAY['declined', 'abandoned', 'closed']::kyc.state[]);
    RETURN n;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.cancel_settled_tasks(uuid, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.cancel_settled_tasks(uuid, text) IS
    'internal: cancel the live review tasks (and open RFIs) an application no longer needs, with evidence';

-- Hands the caller the next task of a queue: the highest priority, then the earliest due. A
-- task is skipped, never waited for, while another session holds it or its application, so two
-- reviewers never get the same task. An override waiting for its second reviewer goes to anyone
-- but its proposer. NULL when the queue has nothing for the caller. Grant to: kyc_reviewer,
-- kyc_fraud, kyc_aml (kyc.review_queue.worker_roles decides per queue).
CREATE FUNCTION kyc.claim_task(queue text) RETURNS kyc.review_task
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    tenant text := kyc.current_tenant();
    q      kyc.review_queue;
    actor  name;
    t      kyc.review_task;
BEGIN
    SELECT * INTO q FROM kyc.review_queue x WHERE x.queue OPERATOR(pg_catalog.=) claim_task.queue;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'review queue "%" does not exist', claim_task.queue
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Queues are listed in kyc.review_queue.';
    END IF;
    actor := kyc.assert_caller(pg_catalog.format('claim a task of queue "%s"', q.queue), VARIADIC q.worker_roles);

    SELECT x.* INTO t
    FROM kyc.review_task x JOIN kyc.application a ON a.id OPERATOR(pg_catalog.=) x.application_id
    WHERE x.tenant_id OPERATOR(pg_catalog.=) tenant AND x.queue OPERATOR(pg_catalog.=) q.queue
      AND (x.status OPERATOR(pg_catalog.=) 'open'::kyc.task_status
           OR (x.status OPERATOR(pg_catalog.=) 'awaiting_second_review'::kyc.task_status
               AND x.assignee IS NULL AND x.proposed_by OPERATOR(pg_catalog.<>) actor))
    ORDER BY x.priority DESC, x.sla_due_at, x.created_at
    LIMIT 1
    FOR NO KEY UPDATE OF a SKIP LOCKED
    FOR UPDATE OF x SKIP LOCKED;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;

    UPDATE kyc.review_task x
       SET status = CASE WHEN x.status OPERATOR(pg_catalog.=) 'open'::kyc.task_status THEN 'claimed'::kyc.task_status ELSE x.status END,
           assignee = actor, claimed_at = pg_catalog.now()
     WHERE x.id OPERATOR(pg_catalog.=) t.id
    RETURNING x.* INTO t;
    PERFORM kyc.append_evidence(t.application_id, 'reviewer_action', kyc.gate_class(t.gate),
        pg_catalog.jsonb_build_object('action', 'claim', 'task_id', t.id, 'queue', t.queue, 'gate', t.gate,
                                      'second_review', t.status OPERATOR(pg_catalog.=) 'awaiting_second_review'::kyc.task_status));
    RETURN t;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.claim_task(text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.claim_task(text) IS
    'hand the caller the next task of a review queue (FOR UPDATE SKIP LOCKED: never the same task to two reviewers); NULL when none';

-- Puts a claimed task back in its queue. Grant to: kyc_reviewer, kyc_fraud, kyc_aml.
CREATE FUNCTION kyc.release_task(task uuid, note text DEFAULT NULL) RETURNS kyc.task_status
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    actor name := kyc.assert_caller('release a review task', 'kyc_reviewer', 'kyc_fraud', 'kyc_aml');
    t     kyc.review_task := kyc.lock_task(release_task.task, 'release');
BEGIN
    IF t.assignee IS DISTINCT FROM actor THEN
        RAISE EXCEPTION 'the review task is not claimed by you'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = pg_catalog.format('Its assignee is %s.', coalesce(pg_catalog.quote_ident(t.assignee), 'nobody'));
    END IF;
    UPDATE kyc.review_task x
       SET status = CASE WHEN x.status OPERATOR(pg_catalog.=) 'claimed'::kyc.task_status THEN 'open'::kyc.task_status ELSE x.status END,
           assignee = NULL, claimed_at = NULL
     WHERE x.id OPERATOR(pg_catalog.=) t.id
    RETURNING x.status INTO t.status;
    PERFORM kyc.append_evidence(t.application_id, 'reviewer_action', kyc.gate_class(t.gate),
        pg_catalog.jsonb_build_object('action', 'release', 'task_id', t.id, 'queue', t.queue, 'gate', t.gate,
                                      'note', release_task.note));
    RETURN t.status;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.release_task(uuid, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.release_task(uuid, text) IS 'put a task the caller claimed back in its queue; grant to reviewer roles';

-- Locks a live task of the session's tenant after its application (the lock order), checks the
-- caller works its queue, and returns it. Internal.
CREATE FUNCTION kyc.lock_task(task uuid, action text) RETURNS kyc.review_task
LANGUAGE plpgsql VOLATILE
AS $fn$
#variable_conflict use_column
DECLARE
    tenant text := kyc.current_tenant();
    app    uuid;
    q      kyc.review_queue;
    t      kyc.review_task;
BEGIN
    SELECT x.application_id INTO app FROM kyc.review_task x
    WHERE x.id OPERATOR(pg_catalog.=) lock_task.task AND x.tenant_id OPERATOR(pg_catalog.=) tenant;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'review task "%" does not exist', lock_task.task
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Check the id and the setting kyc.tenant.';
    END IF;
    PERFORM kyc.lock_application(app);
    SELECT * INTO t FROM kyc.review_task x WHERE x.id OPERATOR(pg_catalog.=) lock_task.task FOR UPDATE;
    SELECT * INTO q FROM kyc.review_queue x WHERE x.queue OPERATOR(pg_catalog.=) t.queue;
    PERFORM kyc.assert_caller(pg_catalog.format('%s a task of queue "%s"', lock_task.action, q.queue), VARIADIC q.worker_roles);
    IF t.status OPERATOR(pg_catalog.=) ANY (ARRAY['resolved', 'cancelled']::kyc.task_status[]) THEN
        RAISE EXCEPTION 'the review task is already %', t.status
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    RETURN t;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.lock_task(uuid, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.lock_task(uuid, text) IS
    'internal: lock a live review task of the session''s tenant (after its application) for a caller who works its queue';

-- Whether clearing or waiving an application's gate overrides a hold that needs four eyes: any
-- AML hold, and any gate whose latest live signal recommends a decline. Internal.
CREATE FUNCTION kyc.is_override(app uuid, gate kyc.gate, as_of timestamptz) RETURNS boolean
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT is_override.gate OPERATOR(pg_catalog.=) 'aml'::kyc.gate
        OR coalesce((SELECT s.result OPERATOR(pg_catalog.=) 'fail'::kyc.signal_result FROM kyc.signal s
                     WHERE s.application_id OPERATOR(pg_catalog.=) is_override.app AND s.gate OPERATOR(pg_catalog.=) is_override.gate
                       AND (s.expires_at IS NULL OR s.expires_at OPERATOR(pg_catalog.>) is_override.as_of)
                     ORDER BY s.received_at DESC, s.evidence_seq DESC LIMIT 1), false);
END;
COMMENT ON FUNCTION kyc.is_override(uuid, kyc.gate, timestamptz) IS
    'internal: whether clearing or waiving the gate overrides an AML hold or a decline recommendation (four eyes)';
-- A reviewer's decision on a task (docs/queues.md): validated against the reason catalog and the
-- gate, recorded as evidence, applied to the gate, and the application re-evaluated.
-- Clearing or waiving an AML hold or a decline recommendation is an override: the first
-- reviewer proposes it, a second, different reviewer confirms it. An early-life task concerns an
-- opened account: a reviewer clears it, which lifts the alert's restriction, or declines it, which
-- closes the account. Any other task (a returned funding, say) is a gate decision as before
-- opening. Grant to: kyc_reviewer, kyc_fraud, kyc_aml.
CREATE FUNCTION kyc.resolve_task(task uuid, outcome kyc.review_outcome, reason_code text, note text DEFAULT NULL,
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
    IF early AND resolve_task.outcome OPERATOR(pg_catalog.<>) ALL (ARRAY['clear', 'decline']::kyc.review_outcome[]) THEN
        RAISE EXCEPTION 'cannot % gate "%" of an opened account', resolve_task.outcome, t.gate
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'On an opened account a reviewer clears (lifting the alert''s restriction) or declines (closing the account).';
    END IF;

    -- an override waits for a second reviewer, who confirms it by resolving the same way
    override := resolve_task.outcome OPERATOR(pg_catalog.=) ANY (ARRAY['clear', 'waive']::kyc.review_outcome[])
                AND NOT early AND kyc.is_override(a.id, t.gate, pg_catalog.now());
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

-- Opens the next RFI round of a task's gate, up to the policy's maximum. Internal.
CREATE FUNCTION kyc.request_information_internal(a kyc.application, t kyc.review_task, reason_code text, actor name)
RETURNS uuid
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    p     kyc.policy;
    round integer;
    id    uuid;
    due   timestamptz;
BEGIN
    SELECT * INTO p FROM kyc.policy x WHERE x.id OPERATOR(pg_catalog.=) (a).policy_id;
    round := 1 OPERATOR(pg_catalog.+) (SELECT pg_catalog.count(*) FROM kyc.information_request r
                                       WHERE r.application_id OPERATOR(pg_catalog.=) (a).id AND r.gate OPERATOR(pg_catalog.=) (t).gate)::integer;
    IF round OPERATOR(pg_catalog.>) p.max_rfi_rounds THEN
        RAISE EXCEPTION 'the policy allows at most % requests for information on gate "%"', p.max_rfi_rounds, (t).gate
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = pg_catalog.format('Policy %s v%s, max_rfi_rounds; the applicant has answered %s.', p.product, p.version,
                                             round OPERATOR(pg_catalog.-) 1),
                  HINT = 'Decide the gate: clear, waive or decline. An endless evidence loop harms the applicant.';
    END IF;
    due := pg_catalog.now() OPERATOR(pg_catalog.+) p.rfi_expire_after;
    INSERT INTO kyc.information_request AS x (tenant_id, application_id, task_id, gate, round, reason_code, requested_by,
                                              requested_at, due_at)
    VALUES ((a).tenant_id, (a).id, (t).id, (t).gate, round, request_information_internal.reason_code,
            request_information_internal.actor, pg_catalog.now(), due)
    RETURNING x.id INTO id;
    PERFORM kyc.append_evidence((a).id, 'information_request', 'customer_safe',
        pg_catalog.jsonb_build_object('action', 'request', 'request_id', id, 'round', round, 'max_rounds', p.max_rfi_rounds,
                                      'message_key', (SELECT c.customer_message_key FROM kyc.reason_code c
                                                      WHERE c.code OPERATOR(pg_catalog.=) request_information_internal.reason_code),
                                      'due_at', due));
    RETURN id;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.request_information_internal(kyc.application, kyc.review_task, text, name) FROM PUBLIC;
COMMENT ON FUNCTION kyc.request_information_internal(kyc.application, kyc.review_task, text, name) IS
    'internal: open the next request for information of a task''s gate, up to the policy''s max_rfi_rounds';

-- The applicant's answer to the open RFI: recorded as evidence (of the class of what was asked),
-- the gate goes back to its queue as a new task, and the application is re-evaluated.
-- Grant to: kyc_app.
CREATE FUNCTION kyc.provide_information(app uuid, response jsonb,
    OUT request_id uuid, OUT task_id uuid, OUT state kyc.state)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    actor name := kyc.assert_caller('provide requested information', 'kyc_app');
    a     kyc.application;
    rfi   kyc.information_request;
    prior kyc.review_task;
    cls   kyc.data_class;
BEGIN
    IF provide_information.response IS NULL OR pg_catalog.jsonb_typeof(provide_information.response) OPERATOR(pg_catalog.<>) 'object'
       OR provide_information.response OPERATOR(pg_catalog.=) '{}'::jsonb THEN
        RAISE EXCEPTION 'field "response" must be a non-empty JSON object'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Pass what the applicant provided, for example {"document_ref": "doc_456"}.';
    END IF;
    IF pg_catalog.octet_length(provide_information.response::text) OPERATOR(pg_catalog.>) 65536 THEN
        RAISE EXCEPTION 'field "response" is larger than 64 kB'
            USING ERRCODE = 'program_limit_exceeded', HINT = 'Store documents elsewhere and pass references to them.';
    END IF;
    a := kyc.lock_open_application(provide_information.app, 'answer a request for information of');
    SELECT * INTO rfi FROM kyc.information_request r
    WHERE r.application_id OPERATOR(pg_catalog.=) a.id AND r.status OPERATOR(pg_catalog.=) 'open'::kyc.rfi_status
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'application "%" has no open request for information', a.external_ref
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Requests are opened by a reviewer (kyc.resolve_task with request_information); signals answer the policy''s own requests.';
    END IF;
    SELECT * INTO prior FROM kyc.review_task x WHERE x.id OPERATOR(pg_catalog.=) rfi.task_id;
    SELECT c.data_class INTO cls FROM kyc.reason_code c WHERE c.code OPERATOR(pg_catalog.=) rfi.reason_code;

    UPDATE kyc.information_request r SET status = 'answered', responded_at = pg_catalog.now(), closed_at = pg_catalog.now()
    WHERE r.id OPERATOR(pg_catalog.=) rfi.id;
    PERFORM kyc.append_evidence(a.id, 'information_request', greatest(cls, 'pii'::kyc.data_class),
        pg_catalog.jsonb_build_object('action', 'response', 'request_id', rfi.id, 'round', rfi.round,
                                      'response', provide_information.response));
    PERFORM kyc.record_gate(a.id, rfi.gate, 'review', rfi.reason_code,
                            pg_catalog.format('information provided (round %s)', rfi.round), actor, 'manual');
    task_id := kyc.open_review_task(a.id, rfi.gate, prior.queue, ARRAY[rfi.reason_code],
                                    prior.sla_due_at OPERATOR(pg_catalog.-) prior.created_at,
                                    'information_response', NULL, pg_catalog.now());
    request_id := rfi.id;
    SELECT e.state INTO state FROM kyc.evaluate(a.id) e;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.provide_information(uuid, jsonb) FROM PUBLIC;
COMMENT ON FUNCTION kyc.provide_information(uuid, jsonb) IS
    'the applicant''s answer to the open request for information: evidence, a new review task for the gate, re-evaluation; grant to kyc_app';
-- Funding, activation, restrictions and exit after opening (docs/activation.md). Every step is
-- an evidence row; the state trigger holds the invariants (no active account with an unresolved
-- critical gate or without cleared funding; approved_restricted only with a restriction).

-- Records a funding event of an opened account. Cleared funding passes the funding gate; a
-- return puts it in review in deposit operations' queue. Activation is a separate step
-- (kyc.activate). In C (src/activation.c). Grant to: kyc_app.
CREATE FUNCTION kyc.record_funding(app uuid, amount numeric, currency text, source text, reference text,
                                   status kyc.funding_status DEFAULT 'cleared')
RETURNS uuid
    LANGUAGE c VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'kyc_record_funding';
REVOKE ALL ON FUNCTION kyc.record_funding(uuid, numeric, text, text, text, kyc.funding_status) FROM PUBLIC;
COMMENT ON FUNCTION kyc.record_funding(uuid, numeric, text, text, text, kyc.funding_status) IS
    'record a funding event of an opened account (cleared passes the funding gate, returned routes to deposit ops); grant to kyc_app';

-- Activates an opened, funded account. In C (src/activation.c). Grant to: kyc_app.
CREATE FUNCTION kyc.activate(app uuid) RETURNS kyc.state
    LANGUAGE c VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'kyc_activate';
REVOKE ALL ON FUNCTION kyc.activate(uuid) FROM PUBLIC;
COMMENT ON FUNCTION kyc.activate(uuid) IS 'activate an opened account whose funding cleared; grant to kyc_app';

-- Lifts a restriction; lifting the last one of a restricted account opens it fully (active when
-- funded, else opened_not_funded). Internal: kyc.lift_restriction and the review path call it.
CREATE FUNCTION kyc.lift_restriction_internal(restriction uuid, actor name, note text) RETURNS kyc.state
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    r kyc.restriction;
    a kyc.application;
BEGIN
    SELECT * INTO r FROM kyc.restriction x WHERE x.id OPERATOR(pg_catalog.=) lift_restriction_internal.restriction;
    a := kyc.lock_open_application(r.application_id, 'lift a restriction of');
    SELECT * INTO r FROM kyc.restriction x WHERE x.id OPERATOR(pg_catalog.=) r.id FOR UPDATE;
    IF r.lifted_at IS NOT NULL THEN
        RAISE EXCEPTION 'the restriction was already lifted' USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    UPDATE kyc.restriction x SET lifted_at = pg_catalog.now(), lifted_by = lift_restriction_internal.actor,
                                 lift_note = lift_restriction_internal.note
    WHERE x.id OPERATOR(pg_catalog.=) r.id;
    PERFORM kyc.append_evidence(a.id, 'restriction', 'internal',
        pg_catalog.jsonb_build_object('action', 'lift', 'restriction_id', r.id, 'kind', r.kind,
                                      'lift_condition', r.lift_condition, 'note', lift_restriction_internal.note));
    IF a.state OPERATOR(pg_catalog.=) 'approved_restricted'
       AND NOT EXISTS (SELECT 1 FROM kyc.restriction x WHERE x.application_id OPERATOR(pg_catalog.=) a.id AND x.lifted_at IS NULL) THEN
        UPDATE kyc.application x
           SET state = CASE WHEN EXISTS (SELECT 1 FROM kyc.application_gate g
                                          WHERE g.application_id OPERATOR(pg_catalog.=) a.id
                                            AND g.gate OPERATOR(pg_catalog.=) 'funding'::kyc.gate
                                            AND g.status OPERATOR(pg_catalog.=) 'passed'::kyc.gate_status)
                            THEN 'active'::kyc.state ELSE 'opened_not_funded'::kyc.state END,
               state_note = 'last restriction lifted'
         WHERE x.id OPERATOR(pg_catalog.=) a.id
        RETURNING x.state INTO a.state;
    END IF;
    RETURN a.state;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.lift_restriction_internal(uuid, name, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.lift_restriction_internal(uuid, name, text) IS
    'internal: lift a restriction with evidence; the last one lifted opens a restricted account fully';

-- Lifts a restriction once its condition is met. Grant to: kyc_reviewer, kyc_fraud, kyc_aml.
CREATE FUNCTION kyc.lift_restriction(restriction uuid, note text) RETURNS kyc.state
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    actor name := kyc.assert_caller('lift a restriction', 'kyc_reviewer', 'kyc_fraud', 'kyc_aml');
BEGIN
    IF NOT EXISTS (SELECT 1 FROM kyc.restriction x WHERE x.id OPERATOR(pg_catalog.=) lift_restriction.restriction
                                                     AND x.tenant_id OPERATOR(pg_catalog.=) kyc.current_tenant()) THEN
        RAISE EXCEPTION 'restriction "%" does not exist', lift_restriction.restriction
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Check the id and the setting kyc.tenant.';
    END IF;
    IF lift_restriction.note IS NULL OR pg_catalog.btrim(lift_restriction.note) OPERATOR(pg_catalog.=) '' THEN
        RAISE EXCEPTION 'field "note" must say how the lift condition was met' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN kyc.lift_restriction_internal(lift_restriction.restriction, actor, lift_restriction.note);
END
$fn$;
REVOKE ALL ON FUNCTION kyc.lift_restriction(uuid, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.lift_restriction(uuid, text) IS
    'lift a restriction whose condition is met (the last one opens a restricted account fully); grant to reviewer roles';

-- Closes an opened account (exit after opening). Internal: kyc.close_account and the review path.
CREATE FUNCTION kyc.close_account_internal(app uuid, reason_code text, note text, actor name) RETURNS kyc.state
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    a   kyc.application := kyc.lock_open_application(close_account_internal.app, 'close');
    cls kyc.data_class := (SELECT c.data_class FROM kyc.reason_code c WHERE c.code OPERATOR(pg_catalog.=) close_account_internal.reason_code);
BEGIN
    IF a.state OPERATOR(pg_catalog.<>) ALL (ARRAY['opened_not_funded', 'approved_restricted', 'active']::kyc.state[]) THEN
        RAISE EXCEPTION 'cannot close an application in state "%"', a.state
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Only an opened account is closed; an application still in onboarding is declined or abandoned.';
    END IF;
    -- the state trigger checks the reason is an exit reason
    UPDATE kyc.application x SET state = 'closed', state_reason = close_account_internal.reason_code,
                                 state_note = close_account_internal.note
    WHERE x.id OPERATOR(pg_catalog.=) a.id;
    PERFORM kyc.append_evidence(a.id, 'account_closure', greatest(coalesce(cls, 'internal'), 'internal'::kyc.data_class),
        pg_catalog.jsonb_build_object('reason_code', close_account_internal.reason_code, 'note', close_account_internal.note,
            'closed_by', close_account_internal.actor,
            'funds_to_return', (SELECT pg_catalog.jsonb_object_agg(s.currency, s.total::text)
                                FROM (SELECT f.currency, pg_catalog.sum(CASE f.status WHEN 'cleared' THEN f.amount
                                                                                     WHEN 'returned' THEN OPERATOR(pg_catalog.-) f.amount
                                                                                     ELSE 0 END) AS total
                                      FROM kyc.funding f WHERE f.application_id OPERATOR(pg_catalog.=) a.id
                                      GROUP BY f.currency) s)));
    RETURN 'closed';
END
$fn$;
REVOKE ALL ON FUNCTION kyc.close_account_internal(uuid, text, text, name) FROM PUBLIC;
COMMENT ON FUNCTION kyc.close_account_internal(uuid, text, text, name) IS
    'internal: close an opened account with an exit reason, recording the funds to return';

-- Exit after opening: the account is closed with an exit reason (EXIT.*), the funds to return are
-- recorded. Grant to: kyc_app, kyc_reviewer, kyc_fraud, kyc_aml.
CREATE FUNCTION kyc.close_account(app uuid, reason_code text, note text DEFAULT NULL) RETURNS kyc.state
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
    RETURN kyc.close_account_internal(close_account.app, close_account.reason_code, close_account.note, actor);
END
$fn$;
REVOKE ALL ON FUNCTION kyc.close_account(uuid, text, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.close_account(uuid, text, text) IS
    'exit after opening: close an opened account with an exit reason; grant to kyc_app and reviewer roles';

-- Activity of an opened account, for early-life monitoring. Grant to: kyc_app.
CREATE FUNCTION kyc.record_account_event(app uuid, kind kyc.account_event_kind, amount numeric DEFAULT NULL,
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
-- Retention configuration and legal holds (docs/operations.md). The retention job redacts
-- through kyc.redact_evidence, the ledger's only redaction path.

-- Sets how long the session tenant keeps evidence payloads of a data class after an application
-- concluded, and on what legal basis. Grant to: kyc_admin.
CREATE FUNCTION kyc.set_retention(data_class kyc.data_class, keep_for interval, legal_basis text) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    actor  name := kyc.assert_caller('configure retention', 'kyc_admin');
    tenant text := kyc.current_tenant();
BEGIN
    IF set_retention.data_class IS NULL THEN
        RAISE EXCEPTION 'field "data_class" must not be null' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF set_retention.keep_for IS NULL OR set_retention.keep_for OPERATOR(pg_catalog.<) '1 year'::interval THEN
        RAISE EXCEPTION 'field "keep_for" must be at least 1 year'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Record-keeping rules (BSA: 5 years after closure) set the floor; no rule at all keeps payloads forever.';
    END IF;
    IF set_retention.legal_basis IS NULL OR pg_catalog.btrim(set_retention.legal_basis) OPERATOR(pg_catalog.=) '' THEN
        RAISE EXCEPTION 'field "legal_basis" must not be empty' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    INSERT INTO kyc.retention_rule AS r (tenant_id, data_class, keep_for, legal_basis, set_by)
    VALUES (tenant, set_retention.data_class, set_retention.keep_for, set_retention.legal_basis, actor)
    ON CONFLICT (tenant_id, data_class) DO UPDATE
        SET keep_for = excluded.keep_for, legal_basis = excluded.legal_basis, set_by = excluded.set_by, set_at = pg_catalog.now();
END
$fn$;
REVOKE ALL ON FUNCTION kyc.set_retention(kyc.data_class, interval, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.set_retention(kyc.data_class, interval, text) IS
    'how long the tenant keeps evidence payloads of a data class after an application concluded; grant to kyc_admin';

-- Places a legal hold: retention leaves the application's evidence alone until it is released.
-- A hold placed by AML is SAR-restricted evidence (tipping-off). Grant to: kyc_admin, kyc_aml.
CREATE FUNCTION kyc.place_legal_hold(app uuid, reason text) RETURNS uuid
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    actor name := kyc.assert_caller('place a legal hold', 'kyc_admin', 'kyc_aml');
    a     kyc.application;
    id    uuid;
BEGIN
    IF place_legal_hold.reason IS NULL OR pg_catalog.btrim(place_legal_hold.reason) OPERATOR(pg_catalog.=) '' THEN
        RAISE EXCEPTION 'field "reason" must not be empty' USING ERRCODE = 'invalid_parameter_value',
              HINT = 'Name the matter, for example a litigation or examination reference.';
    END IF;
    a := kyc.lock_application(place_legal_hold.app);
    INSERT INTO kyc.legal_hold AS h (tenant_id, application_id, reason, placed_by)
    VALUES (a.tenant_id, a.id, place_legal_hold.reason, actor)
    RETURNING h.id INTO id;
    PERFORM kyc.append_evidence(a.id, 'retention_action', kyc.legal_hold_class(),
        pg_catalog.jsonb_build_object('action', 'legal_hold', 'hold_id', id, 'reason', place_legal_hold.reason));
    RETURN id;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.place_legal_hold(uuid, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.place_legal_hold(uuid, text) IS 'keep an application''s evidence out of retention until released; grant to kyc_admin, kyc_aml';

-- Releases a legal hold. Grant to: kyc_admin, kyc_aml.
CREATE FUNCTION kyc.release_legal_hold(hold uuid, note text) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    actor name := kyc.assert_caller('release a legal hold', 'kyc_admin', 'kyc_aml');
    h     kyc.legal_hold;
BEGIN
    SELECT * INTO h FROM kyc.legal_hold x
    WHERE x.id OPERATOR(pg_catalog.=) release_legal_hold.hold AND x.tenant_id OPERATOR(pg_catalog.=) kyc.current_tenant();
    IF NOT FOUND OR h.released_at IS NOT NULL THEN
        RAISE EXCEPTION 'the legal hold does not exist or was already released'
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Active holds are listed in kyc.legal_hold (released_at IS NULL).';
    END IF;
    IF release_legal_hold.note IS NULL OR pg_catalog.btrim(release_legal_hold.note) OPERATOR(pg_catalog.=) '' THEN
        RAISE EXCEPTION 'field "note" must say why the hold ends' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM kyc.lock_application(h.application_id);
    UPDATE kyc.legal_hold x SET released_at = pg_catalog.now() WHERE x.id OPERATOR(pg_catalog.=) h.id;
    PERFORM kyc.append_evidence(h.application_id, 'retention_action', kyc.legal_hold_class(),
        pg_catalog.jsonb_build_object('action', 'release_legal_hold', 'hold_id', h.id, 'note', release_legal_hold.note));
END
$fn$;
REVOKE ALL ON FUNCTION kyc.release_legal_hold(uuid, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.release_legal_hold(uuid, text) IS 'release a legal hold with a note; grant to kyc_admin, kyc_aml';

-- The data class of a hold's evidence: SAR-restricted when AML acts (a hold may reveal a SAR). Internal.
CREATE FUNCTION kyc.legal_hold_class() RETURNS kyc.data_class
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT CASE WHEN pg_catalog.pg_has_role(kyc.caller(), 'kyc_aml', 'USAGE')
                THEN 'sar_restricted'::kyc.data_class ELSE 'internal'::kyc.data_class END;
END;
COMMENT ON FUNCTION kyc.legal_hold_class() IS 'internal: sar_restricted when the caller acts for AML, else internal';
-- The job runner (docs/operations.md): every job is a plain function taking now, run as a member
-- of kyc_jobs (the login pg_cron runs it as), over every tenant granted to that login, one
-- bounded batch per tenant in its own subtransaction, and recorded in kyc.job_run. A second run
-- of the same job while one holds its advisory lock records itself as skipped and does nothing.

-- The tenants a job run works on: those granted to the caller (every granted tenant for a
-- superuser). Internal.
CREATE FUNCTION kyc.job_tenants() RETURNS SETOF text
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT t.tenant_id FROM (SELECT DISTINCT g.tenant_id FROM kyc.tenant_grant g) t
    WHERE (SELECT x.rolsuper FROM pg_catalog.pg_roles x WHERE x.oid OPERATOR(pg_catalog.=) kyc.caller()::regrole)
       OR kyc.tenant_granted(t.tenant_id, kyc.caller()::regrole)
    ORDER BY 1;
END;
COMMENT ON FUNCTION kyc.job_tenants() IS 'internal: the tenants a job run by the caller works on';

CREATE FUNCTION kyc.run_job(job text, now timestamptz, batch integer) RETURNS kyc.job_run
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

-- The jobs as users call them (and pg_cron does): each returns its kyc.job_run row.
-- Grant to: kyc_jobs.
CREATE FUNCTION kyc.sla_sweep(now timestamptz DEFAULT pg_catalog.now(), batch integer DEFAULT NULL) RETURNS kyc.job_run
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    RETURN kyc.run_job('sla_sweep', now, batch);
COMMENT ON FUNCTION kyc.sla_sweep(timestamptz, integer) IS
    'job: escalate live review tasks past their SLA due time as of now (once per task); grant to kyc_jobs';
CREATE FUNCTION kyc.signal_expiry(now timestamptz DEFAULT pg_catalog.now(), batch integer DEFAULT NULL) RETURNS kyc.job_run
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    RETURN kyc.run_job('signal_expiry', now, batch);
COMMENT ON FUNCTION kyc.signal_expiry(timestamptz, integer) IS
    'job: re-evaluate, as of now, applications with signals expired since their last decision; grant to kyc_jobs';
CREATE FUNCTION kyc.abandonment_sweep(now timestamptz DEFAULT pg_catalog.now(), batch integer DEFAULT NULL) RETURNS kyc.job_run
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    RETURN kyc.run_job('abandonment', now, batch);
COMMENT ON FUNCTION kyc.abandonment_sweep(timestamptz, integer) IS
    'job: abandon applications whose RFI expired or that waited on the applicant past the policy''s timeout; grant to kyc_jobs';
CREATE FUNCTION kyc.early_life_monitor(now timestamptz DEFAULT pg_catalog.now(), batch integer DEFAULT NULL) RETURNS kyc.job_run
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    RETURN kyc.run_job('early_life', now, batch);
COMMENT ON FUNCTION kyc.early_life_monitor(timestamptz, integer) IS
    'job: restrict and route to fraud review newly opened accounts whose activity trips an early-life rule; grant to kyc_jobs';
CREATE FUNCTION kyc.retention_sweep(now timestamptz DEFAULT pg_catalog.now(), batch integer DEFAULT NULL) RETURNS kyc.job_run
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    RETURN kyc.run_job('retention', now, batch);
COMMENT ON FUNCTION kyc.retention_sweep(timestamptz, integer) IS
    'job: redact evidence payloads past their retention (kyc.retention_rule), never under legal hold; grant to kyc_jobs';
CREATE FUNCTION kyc.seal_job(now timestamptz DEFAULT pg_catalog.now(), batch integer DEFAULT NULL) RETURNS kyc.job_run
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    RETURN kyc.run_job('seal', now, batch);
COMMENT ON FUNCTION kyc.seal_job(timestamptz, integer) IS 'job: seal the ledger (kyc.seal_ledger); grant to kyc_jobs';
CREATE FUNCTION kyc.cleanup_job_runs(now timestamptz DEFAULT pg_catalog.now(), batch integer DEFAULT NULL) RETURNS kyc.job_run
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    RETURN kyc.run_job('cleanup', now, batch);
COMMENT ON FUNCTION kyc.cleanup_job_runs(timestamptz, integer) IS
    'job: delete job-run records older than 90 days, here and in pg_cron''s run details of kyc_ jobs; grant to kyc_jobs';

-- Job health: the last run and the last success of every job; stale when the last success is
-- older than twice the job's interval (pg_cron can stop silently, and does nothing on a standby).
CREATE VIEW kyc.job_health WITH (security_invoker = true) AS
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
            ELSE 'ok' END AS health
FROM kyc.job_definition d
LEFT JOIN LATERAL (SELECT r.* FROM kyc.job_run r WHERE r.job OPERATOR(pg_catalog.=) d.job
                   AND r.status OPERATOR(pg_catalog.<>) 'skipped'
                   ORDER BY r.started_at DESC LIMIT 1) l ON true
LEFT JOIN LATERAL (SELECT r.started_at FROM kyc.job_run r WHERE r.job OPERATOR(pg_catalog.=) d.job
                   AND r.status OPERATOR(pg_catalog.=) 'succeeded'
                   ORDER BY r.started_at DESC LIMIT 1) s ON true;
COMMENT ON VIEW kyc.job_health IS 'per job: last run, last success, and whether it is stale, failing or behind';
-- What each job does in one tenant (kyc.tenant is set by kyc.run_job): at most one batch, as of
-- the run's now, returning how many items it handled. Applications another session is working on
-- right now are skipped (SKIP LOCKED), never waited for; the next run takes them. Internal.

-- Takes the application's row lock without waiting; false when another session holds it.
CREATE FUNCTION kyc.try_lock_application(app uuid) RETURNS boolean
LANGUAGE plpgsql VOLATILE
AS $fn$
#variable_conflict use_column
BEGIN
    PERFORM 1 FROM kyc.application a WHERE a.id OPERATOR(pg_catalog.=) try_lock_application.app
    FOR NO KEY UPDATE SKIP LOCKED;
    RETURN FOUND;
END
$fn$;
COMMENT ON FUNCTION kyc.try_lock_application(uuid) IS 'internal: lock an application row unless another session holds it';

-- SLA: every live task past its due time is escalated once: priority up by 30 (at most 100).
CREATE FUNCTION kyc.job_sla_sweep(now timestamptz, batch integer) RETURNS integer
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
    END LOOP;
    RETURN n;
END
$fn$;
COMMENT ON FUNCTION kyc.job_sla_sweep(timestamptz, integer) IS 'internal: the SLA sweep in the session tenant';

-- Expiry: an application whose signal expired after its last decision is decided again as of
-- now (an expired signal stops counting). Signals that expired before the last complete run
-- (less a day) were handled then: the scan starts there.
CREATE FUNCTION kyc.job_signal_expiry(now timestamptz, batch integer) RETURNS integer
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
        PERFORM kyc.evaluate(app, job_signal_expiry.now);
        n := n OPERATOR(pg_catalog.+) 1;
    END LOOP;
    RETURN n;
END
$fn$;
COMMENT ON FUNCTION kyc.job_signal_expiry(timestamptz, integer) IS 'internal: signal expiry re-evaluation in the session tenant';

-- Abandonment: an open RFI past its due time expires and abandons its application; an
-- application waiting on the applicant (not on the bank: no review state, no live review task)
-- past its policy's timeout for that state is abandoned. Counted as friction (kyc.abandonment_by_step), never as success.
CREATE FUNCTION kyc.job_abandonment(now timestamptz, batch integer) RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    tenant text := kyc.current_tenant();
    c      record;
    n      integer := 0;
BEGIN
    FOR c IN SELECT r.id, r.application_id, r.round, r.due_at FROM kyc.information_request r
             WHERE r.tenant_id OPERATOR(pg_catalog.=) tenant AND r.status OPERATOR(pg_catalog.=) 'open'::kyc.rfi_status
               AND r.due_at OPERATOR(pg_catalog.<=) job_abandonment.now
             ORDER BY r.due_at LIMIT job_abandonment.batch
    LOOP
        CONTINUE WHEN NOT kyc.try_lock_application(c.application_id);
        UPDATE kyc.information_request r SET status = 'expired', closed_at = pg_catalog.now()
        WHERE r.id OPERATOR(pg_catalog.=) c.id AND r.status OPERATOR(pg_catalog.=) 'open'::kyc.rfi_status;
        CONTINUE WHEN NOT FOUND;
        PERFORM kyc.append_evidence(c.application_id, 'information_request', 'customer_safe',
            pg_catalog.jsonb_build_object('action', 'expire', 'request_id', c.id, 'round', c.round, 'due_at', c.due_at,
                                          'as_of', job_abandonment.now));
        UPDATE kyc.application a SET state = 'abandoned', state_reason = 'ABANDON.RFI_EXPIRED',
                                     state_note = pg_catalog.format('request for information (round %s) not answered by %s', c.round, c.due_at)
        WHERE a.id OPERATOR(pg_catalog.=) c.application_id
          AND a.state OPERATOR(pg_catalog.<>) ALL (ARRAY['declined', 'abandoned', 'closed', 'approved_restricted',
                                                       'opened_not_funded', 'active']::kyc.state[]);
        n := n OPERATOR(pg_catalog.+) 1;
    END LOOP;

    FOR c IN SELECT a.id, a.state, a.state_changed_at, w.timeout
             FROM kyc.application a
             JOIN kyc.policy p ON p.id OPERATOR(pg_catalog.=) a.policy_id
             LEFT JOIN kyc.policy_timeout pt ON pt.policy_id OPERATOR(pg_catalog.=) a.policy_id AND pt.state OPERATOR(pg_catalog.=) a.state
             CROSS JOIN LATERAL (SELECT CASE WHEN a.state OPERATOR(pg_catalog.=) 'information_requested' THEN p.rfi_expire_after
                                             ELSE coalesce(pt.abandon_after, p.abandon_after) END AS timeout) w
             WHERE a.tenant_id OPERATOR(pg_catalog.=) tenant
               AND a.state OPERATOR(pg_catalog.=) ANY (ARRAY['application_started', 'consent_captured', 'identity_proofing_pending',
                                                            'cip_verification_pending', 'information_requested']::kyc.state[])
               AND a.state_changed_at OPERATOR(pg_catalog.+) w.timeout OPERATOR(pg_catalog.<=) job_abandonment.now
               -- a pending state with live review work waits on the bank, not the applicant
               AND NOT EXISTS (SELECT 1 FROM kyc.review_task t WHERE t.application_id OPERATOR(pg_catalog.=) a.id
                                 AND t.status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[]))
             ORDER BY a.state_changed_at LIMIT job_abandonment.batch OPERATOR(pg_catalog.-) n
    LOOP
        CONTINUE WHEN NOT kyc.try_lock_application(c.id);
        UPDATE kyc.application a
           SET state = 'abandoned',
               state_reason = CASE WHEN c.state OPERATOR(pg_catalog.=) 'information_requested' THEN 'ABANDON.RFI_EXPIRED'
                                   ELSE 'ABANDON.TIMEOUT' END,
               state_note = pg_catalog.format('no progress in state %s for %s (policy timeout)', c.state, c.timeout)
         WHERE a.id OPERATOR(pg_catalog.=) c.id AND a.state OPERATOR(pg_catalog.=) c.state
           AND a.state_changed_at OPERATOR(pg_catalog.=) c.state_changed_at;
        IF FOUND THEN
            n := n OPERATOR(pg_catalog.+) 1;
        END IF;
    END LOOP;
    RETURN n;
END
$fn$;
COMMENT ON FUNCTION kyc.job_abandonment(timestamptz, integer) IS 'internal: abandonment in the session tenant';

-- What an early-life rule observes on an account as of now. Internal.
CREATE FUNCTION kyc.early_life_observed(app uuid, rule kyc.early_life_rule_kind, within interval, opened_at timestamptz,
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
            (SELECT pg_catalog.round(coalesce(pg_catalog.sum(e.amount), 0) OPERATOR(pg_catalog./) f.total, 4)
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

-- Early life: an account opened within its policy's monitoring period (plus a week, so a late run
-- still sees the period's end) whose activity reaches a rule's threshold is restricted, moved to
-- approved_restricted, and sent to the rule's queue; once per account and rule.
CREATE FUNCTION kyc.job_early_life(now timestamptz, batch integer) RETURNS integer
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
    END LOOP;
    RETURN n;
END
$fn$;
COMMENT ON FUNCTION kyc.job_early_life(timestamptz, integer) IS 'internal: early-life monitoring in the session tenant';

-- Retention: for each data class with a rule, payloads of concluded applications older (since
-- conclusion) than the rule keeps them are redacted through kyc.redact_evidence, which itself
-- refuses applications under legal hold or not concluded.
CREATE FUNCTION kyc.job_retention(now timestamptz, batch integer) RETURNS integer
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
    END LOOP;
    RETURN n;
END
$fn$;
COMMENT ON FUNCTION kyc.job_retention(timestamptz, integer) IS 'internal: retention in the session tenant';

-- Job records older than 90 days go, here and in pg_cron's run details of the kyc_ jobs (which
-- otherwise grow forever). Internal.
CREATE FUNCTION kyc.job_cleanup(now timestamptz, batch integer) RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    n integer;
    m integer := 0;
BEGIN
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
-- Registering the jobs with pg_cron (docs/operations.md). pg_cron is not a requirement of the
-- extension: it lives in one database (cron.database_name), perhaps another one. These functions
-- run as the caller, so that pg_cron records the caller as the jobs' user: call them as the
-- login that runs the jobs (a member of kyc_jobs with USAGE on schema cron).

-- The lines that schedule every job from the cron database. Internal.
CREATE FUNCTION kyc.cron_schedule_lines() RETURNS text
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT pg_catalog.string_agg(pg_catalog.format('SELECT cron.schedule_in_database(%L, %L, %L, %L);',
                                                   'kyc_' OPERATOR(pg_catalog.||) d.job, d.schedule, d.command,
                                                   pg_catalog.current_database()), E'\n' ORDER BY d.job)
    FROM kyc.job_definition d;
END;
COMMENT ON FUNCTION kyc.cron_schedule_lines() IS 'internal: the cron.schedule_in_database calls that register the jobs from the cron database';

-- Raises the error that says where pg_cron is and what to run there. A definer, because only
-- superusers may read cron.database_name. Internal.
CREATE FUNCTION kyc.cron_missing(action text, lines text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    cron_db text := pg_catalog.current_setting('cron.database_name', true);
BEGIN
    IF cron_db IS NULL THEN
        RAISE EXCEPTION 'cannot % jobs: pg_cron is not loaded', cron_missing.action
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Add pg_cron to shared_preload_libraries, set cron.database_name, restart, and run CREATE EXTENSION pg_cron in that database.';
    END IF;
    RAISE EXCEPTION 'cannot % jobs: pg_cron is not installed in database "%"', cron_missing.action, pg_catalog.current_database()
        USING ERRCODE = 'object_not_in_prerequisite_state',
              DETAIL = pg_catalog.format('pg_cron runs in database "%s" (cron.database_name).', cron_db),
              HINT = pg_catalog.format(E'Connect to database "%s" as %s and run:\n%s', cron_db,
                                       pg_catalog.quote_ident(kyc.caller()), cron_missing.lines);
END
$fn$;
COMMENT ON FUNCTION kyc.cron_missing(text, text) IS 'internal: the error when pg_cron is not here, with what to run where it is';

-- Registers every job of kyc.job_definition as kyc_<job>: idempotent (each is unscheduled by
-- name, then scheduled), and kyc_ jobs no longer defined are removed; no other job is touched.
-- Grant to: kyc_jobs.
CREATE FUNCTION kyc.schedule_jobs() RETURNS TABLE (job text, cron_job text, schedule text, jobid bigint)
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

-- Removes the caller's kyc_ jobs from pg_cron and returns how many. Grant to: kyc_jobs.
CREATE FUNCTION kyc.unschedule_jobs() RETURNS integer
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
    EXECUTE 'SELECT pg_catalog.count(cron.unschedule(j.jobid))::integer FROM cron.job j'
            ' WHERE j.jobname OPERATOR(pg_catalog.~~) ''kyc\_%'' AND j.username OPERATOR(pg_catalog.=) CURRENT_USER'
        INTO n;
    RETURN n;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.unschedule_jobs() FROM PUBLIC;
COMMENT ON FUNCTION kyc.unschedule_jobs() IS 'remove the caller''s kyc_ jobs from pg_cron; grant to kyc_jobs';
-- Guards on review work, whoever writes (docs/queues.md).

-- A task's priority only rises; a resolved or cancelled task never changes; tasks are not deleted.
CREATE FUNCTION kyc.review_task_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
BEGIN
    IF TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN
        RAISE EXCEPTION 'review tasks are never deleted'
            USING ERRCODE = 'insufficient_privilege', HINT = 'A task that is no longer needed is cancelled.';
    END IF;
    IF (OLD).status OPERATOR(pg_catalog.=) ANY (ARRAY['resolved', 'cancelled']::kyc.task_status[]) THEN
        RAISE EXCEPTION 'a % review task cannot change', (OLD).status
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF (NEW).priority OPERATOR(pg_catalog.<) (OLD).priority THEN
        RAISE EXCEPTION 'the priority of a review task can only rise'
            USING ERRCODE = 'check_violation',
                  DETAIL = pg_catalog.format('From %s to %s.', (OLD).priority, (NEW).priority);
    END IF;
    IF ROW((NEW).id, (NEW).tenant_id, (NEW).application_id, (NEW).decision_id, (NEW).origin, (NEW).queue, (NEW).gate,
           (NEW).reason_codes, (NEW).sla_due_at, (NEW).created_at)
       IS DISTINCT FROM
       ROW((OLD).id, (OLD).tenant_id, (OLD).application_id, (OLD).decision_id, (OLD).origin, (OLD).queue, (OLD).gate,
           (OLD).reason_codes, (OLD).sla_due_at, (OLD).created_at) THEN
        RAISE EXCEPTION 'only the status, assignment, priority, escalation and resolution of a review task change'
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    RETURN NEW;
END
$fn$;
COMMENT ON FUNCTION kyc.review_task_guard() IS 'trigger: priority only rises, resolved and cancelled tasks never change, no deletes';

-- An application that concludes (declined, abandoned, closed) leaves no live work behind.
CREATE FUNCTION kyc.application_concluded() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
BEGIN
    PERFORM kyc.cancel_settled_tasks((NEW).id, pg_catalog.format('the application was %s', (NEW).state));
    RETURN NULL;
END
$fn$;
COMMENT ON FUNCTION kyc.application_concluded() IS 'trigger: cancel the live tasks and open RFIs of a concluded application';
-- Views for the people who run the queues and watch the funnel.

-- Queue health per tenant and queue, as of now: live work, overdue and escalated tasks, the
-- oldest due time. Each role sees the queues of the gates it may read.
CREATE VIEW kyc.queue_health WITH (security_invoker = true) AS
SELECT t.tenant_id, t.queue,
       pg_catalog.count(*) FILTER (WHERE t.status OPERATOR(pg_catalog.=) 'open'::kyc.task_status) AS open,
       pg_catalog.count(*) FILTER (WHERE t.status OPERATOR(pg_catalog.=) 'claimed'::kyc.task_status) AS claimed,
       pg_catalog.count(*) FILTER (WHERE t.status OPERATOR(pg_catalog.=) 'awaiting_second_review'::kyc.task_status) AS awaiting_second_review,
       pg_catalog.count(*) FILTER (WHERE t.sla_due_at OPERATOR(pg_catalog.<) pg_catalog.now()) AS overdue,
       pg_catalog.count(*) FILTER (WHERE t.escalated_at IS NOT NULL) AS escalated,
       pg_catalog.min(t.sla_due_at) AS oldest_due_at
FROM kyc.review_task t
WHERE t.status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[])
GROUP BY t.tenant_id, t.queue;
COMMENT ON VIEW kyc.queue_health IS 'live review work per queue: open, claimed, awaiting a second reviewer, overdue, escalated';

-- Abandonment by the step it happened in: friction to study, never counted as success (seed 004 §7).
CREATE VIEW kyc.abandonment_by_step WITH (security_invoker = true) AS
SELECT h.tenant_id, h.from_state AS abandoned_in, h.reason_code, pg_catalog.count(*) AS applications
FROM kyc.state_history h
WHERE h.to_state OPERATOR(pg_catalog.=) 'abandoned'::kyc.state
GROUP BY h.tenant_id, h.from_state, h.reason_code;
COMMENT ON VIEW kyc.abandonment_by_step IS 'abandoned applications by the state they were abandoned in and why (friction, not success)';
-- A tenant's own customer wording (docs/signals.md#customer-wording): an administrator drafts a
-- new version of a message key's text for a locale, a second administrator approves it, and
-- from then on customer_status and notices use it for that tenant. The shipped wording (tenant
-- "*") stays for every other tenant. Keys are the shipped ones: reasons map to keys, and a key is
-- what keeps an AML hold indistinguishable from any other review.

-- Drafts the next version of a message for the session's tenant; returns its version.
-- Grant to: kyc_admin.
CREATE FUNCTION kyc.draft_customer_message(message_key text, locale text, label text, message text, next_step text)
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
    IF NOT EXISTS (SELECT 1 FROM kyc.customer_message m
                   WHERE m.tenant_id OPERATOR(pg_catalog.=) '*' AND m.message_key OPERATOR(pg_catalog.=) draft_customer_message.message_key) THEN
        RAISE EXCEPTION 'message key "%" does not exist', draft_customer_message.message_key
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'A tenant rewords the shipped keys (SELECT DISTINCT message_key FROM kyc.customer_message); it does not add keys.';
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

-- Puts a drafted version in force; only another administrator than its drafter may.
-- Grant to: kyc_admin.
CREATE FUNCTION kyc.approve_customer_message(message_key text, locale text, version integer) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    actor  name := kyc.assert_caller('approve customer wording', 'kyc_admin');
    tenant text := kyc.current_tenant();
    m      kyc.customer_message;
BEGIN
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
    'put a drafted customer message in force for the tenant (four eyes: not its drafter); grant to kyc_admin';

-- Approved wording never changes and is never deleted; a draft changes only by its approval.
CREATE FUNCTION kyc.customer_message_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF TG_OP OPERATOR(pg_catalog.=) 'UPDATE' AND (OLD).approved_by IS NULL AND (NEW).approved_by IS NOT NULL
       AND (pg_catalog.to_jsonb(OLD) OPERATOR(pg_catalog.-) 'approved_by' OPERATOR(pg_catalog.-) 'approved_at')
           OPERATOR(pg_catalog.=) (pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.-) 'approved_by' OPERATOR(pg_catalog.-) 'approved_at') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'customer wording is immutable once written'
        USING ERRCODE = 'insufficient_privilege', HINT = 'Draft a new version with kyc.draft_customer_message().';
END
$fn$;
COMMENT ON FUNCTION kyc.customer_message_guard() IS 'trigger: customer wording changes only by approving a draft';
-- Named so they fire first among BEFORE and AFTER row triggers (name order).
CREATE TRIGGER a10_kyc_guard
    BEFORE INSERT OR UPDATE ON kyc.application
    FOR EACH ROW EXECUTE FUNCTION kyc.application_guard();

CREATE TRIGGER a10_kyc_record_open
    AFTER INSERT ON kyc.application
    FOR EACH ROW EXECUTE FUNCTION kyc.application_record();

CREATE TRIGGER a10_kyc_record_transition
    AFTER UPDATE OF state ON kyc.application
    FOR EACH ROW
    WHEN (OLD.state OPERATOR(pg_catalog.<>) NEW.state)
    EXECUTE FUNCTION kyc.application_record();
CREATE TRIGGER a10_kyc_append_only
    BEFORE UPDATE OR DELETE ON kyc.evidence
    FOR EACH ROW EXECUTE FUNCTION kyc.evidence_guard();

CREATE TRIGGER a10_kyc_no_truncate
    BEFORE TRUNCATE ON kyc.evidence
    FOR EACH STATEMENT EXECUTE FUNCTION kyc.evidence_guard();

CREATE TRIGGER a10_kyc_append_only
    BEFORE UPDATE OR DELETE ON kyc.signal
    FOR EACH ROW EXECUTE FUNCTION kyc.evidence_guard();

CREATE TRIGGER a10_kyc_no_truncate
    BEFORE TRUNCATE ON kyc.signal
    FOR EACH STATEMENT EXECUTE FUNCTION kyc.evidence_guard();
CREATE TRIGGER a10_kyc_immutable
    BEFORE UPDATE OR DELETE ON kyc.policy
    FOR EACH ROW EXECUTE FUNCTION kyc.policy_guard();
CREATE TRIGGER a10_kyc_immutable
    BEFORE INSERT OR UPDATE OR DELETE ON kyc.policy_rule
    FOR EACH ROW EXECUTE FUNCTION kyc.policy_part_guard();
CREATE TRIGGER a10_kyc_immutable
    BEFORE INSERT OR UPDATE OR DELETE ON kyc.policy_risk_factor
    FOR EACH ROW EXECUTE FUNCTION kyc.policy_part_guard();

-- decisions are evidence: append-only
CREATE TRIGGER a10_kyc_append_only
    BEFORE UPDATE OR DELETE ON kyc.decision
    FOR EACH ROW EXECUTE FUNCTION kyc.evidence_guard();
CREATE TRIGGER a10_kyc_no_truncate
    BEFORE TRUNCATE ON kyc.decision
    FOR EACH STATEMENT EXECUTE FUNCTION kyc.evidence_guard();
CREATE TRIGGER a10_kyc_immutable
    BEFORE INSERT OR UPDATE OR DELETE ON kyc.policy_timeout
    FOR EACH ROW EXECUTE FUNCTION kyc.policy_part_guard();
CREATE TRIGGER a10_kyc_immutable
    BEFORE INSERT OR UPDATE OR DELETE ON kyc.policy_early_life_rule
    FOR EACH ROW EXECUTE FUNCTION kyc.policy_part_guard();
CREATE TRIGGER a10_kyc_immutable
    BEFORE UPDATE OR DELETE ON kyc.customer_message
    FOR EACH ROW EXECUTE FUNCTION kyc.customer_message_guard();
CREATE TRIGGER a10_kyc_guard
    BEFORE UPDATE OR DELETE ON kyc.review_task
    FOR EACH ROW EXECUTE FUNCTION kyc.review_task_guard();

-- after a10_kyc_record_transition, so the state_change row comes first in the chain
CREATE TRIGGER a20_kyc_concluded
    AFTER UPDATE OF state ON kyc.application
    FOR EACH ROW
    WHEN (OLD.state OPERATOR(pg_catalog.<>) NEW.state
          AND NEW.state OPERATOR(pg_catalog.=) ANY (ARRAY['declined', 'abandoned', 'closed']::kyc.state[]))
    EXECUTE FUNCTION kyc.application_concluded();

-- funding, account activity and early-life alerts are records of fact: append-only
CREATE TRIGGER a10_kyc_append_only
    BEFORE UPDATE OR DELETE ON kyc.funding
    FOR EACH ROW EXECUTE FUNCTION kyc.evidence_guard();
CREATE TRIGGER a10_kyc_append_only
    BEFORE UPDATE OR DELETE ON kyc.account_event
    FOR EACH ROW EXECUTE FUNCTION kyc.evidence_guard();
CREATE TRIGGER a10_kyc_append_only
    BEFORE UPDATE OR DELETE ON kyc.early_life_alert
    FOR EACH ROW EXECUTE FUNCTION kyc.evidence_guard();
CREATE TRIGGER a10_kyc_no_truncate
    BEFORE TRUNCATE ON kyc.funding
    FOR EACH STATEMENT EXECUTE FUNCTION kyc.evidence_guard();
CREATE TRIGGER a10_kyc_no_truncate
    BEFORE TRUNCATE ON kyc.account_event
    FOR EACH STATEMENT EXECUTE FUNCTION kyc.evidence_guard();
CREATE TRIGGER a10_kyc_no_truncate
    BEFORE TRUNCATE ON kyc.early_life_alert
    FOR EACH STATEMENT EXECUTE FUNCTION kyc.evidence_guard();
-- Row-level security, FORCE'd so that the owner is subject to it too. Tenant isolation is a
-- RESTRICTIVE policy (ANDed with everything else) on kyc.session_tenant(): the kyc.tenant setting
-- when the session's role was granted that tenant, else NULL, which matches no row. The
-- (SELECT ...) makes it an initPlan, evaluated once per query. Who may
-- write is decided by table privileges (only the owner has any) and the SECURITY DEFINER API.
DO $rls$
DECLARE
    t text;
BEGIN
    -- every table, whichever policies it gets below (no policy at all would mean no rows)
    FOR t IN SELECT c.relname FROM pg_catalog.pg_class c
             WHERE c.relnamespace OPERATOR(pg_catalog.=) 'kyc'::pg_catalog.regnamespace AND c.relkind OPERATOR(pg_catalog.=) 'r'
    LOOP
        EXECUTE pg_catalog.format('ALTER TABLE kyc.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE pg_catalog.format('ALTER TABLE kyc.%I FORCE ROW LEVEL SECURITY', t);
    END LOOP;

    FOREACH t IN ARRAY ARRAY['application', 'application_gate', 'restriction', 'evidence', 'legal_hold', 'signal',
                             'decision', 'review_task', 'information_request', 'funding', 'account_event',
                             'early_life_alert', 'retention_rule']
    LOOP
        EXECUTE pg_catalog.format(
            'CREATE POLICY tenant_isolation ON kyc.%I AS RESTRICTIVE'
            ' USING (tenant_id OPERATOR(pg_catalog.=) (SELECT kyc.session_tenant()))'
            ' WITH CHECK (tenant_id OPERATOR(pg_catalog.=) (SELECT kyc.session_tenant()))', t);
        EXECUTE pg_catalog.format('CREATE POLICY tenant_rows ON kyc.%I USING (true) WITH CHECK (true)', t);
    END LOOP;

    -- Catalogs are shared reference data, and seals cover every tenant: readable by the roles
    -- granted SELECT, written only by the owner.
    FOREACH t IN ARRAY ARRAY['tenant_grant', 'gate_definition', 'state_definition', 'state_transition', 'reason_code',
                             'ledger_identity', 'ledger_digest', 'sealed_head', 'review_queue', 'job_definition', 'job_run']
    LOOP
        EXECUTE pg_catalog.format('CREATE POLICY catalog_rows ON kyc.%I USING (true) WITH CHECK (true)', t);
    END LOOP;

    -- Data classes (docs/security.md): a role sees only the classes it may read, whatever other
    -- policy says (RESTRICTIVE). Rows of the AML and fraud gates reveal as much as their evidence.
    CREATE POLICY data_class ON kyc.evidence AS RESTRICTIVE
        USING (data_class OPERATOR(pg_catalog.=) ANY ((SELECT kyc.readable_classes())::kyc.data_class[]));
    CREATE POLICY data_class ON kyc.decision AS RESTRICTIVE
        USING (data_class OPERATOR(pg_catalog.=) ANY ((SELECT kyc.readable_classes())::kyc.data_class[]));
    CREATE POLICY data_class ON kyc.signal AS RESTRICTIVE
        USING (kyc.gate_class(gate) OPERATOR(pg_catalog.=) ANY ((SELECT kyc.readable_classes())::kyc.data_class[]));
    CREATE POLICY data_class ON kyc.review_task AS RESTRICTIVE
        USING (kyc.gate_class(gate) OPERATOR(pg_catalog.=) ANY ((SELECT kyc.readable_classes())::kyc.data_class[]));
    CREATE POLICY data_class ON kyc.information_request AS RESTRICTIVE
        USING (kyc.gate_class(gate) OPERATOR(pg_catalog.=) ANY ((SELECT kyc.readable_classes())::kyc.data_class[]));
    -- early-life alerts are fraud indicators
    CREATE POLICY data_class ON kyc.early_life_alert AS RESTRICTIVE
        USING ('fraud_sensitive'::kyc.data_class OPERATOR(pg_catalog.=) ANY ((SELECT kyc.readable_classes())::kyc.data_class[]));
    CREATE POLICY data_class ON kyc.application_gate AS RESTRICTIVE
        USING (kyc.gate_class(gate) OPERATOR(pg_catalog.=) ANY ((SELECT kyc.readable_classes())::kyc.data_class[]));

    -- policies: the tenant's own and the shipped defaults (tenant "*"), which it may read, not write
    CREATE POLICY tenant_isolation ON kyc.policy AS RESTRICTIVE
        USING (tenant_id OPERATOR(pg_catalog.=) ANY (ARRAY[(SELECT kyc.session_tenant()), '*']))
        WITH CHECK (tenant_id OPERATOR(pg_catalog.=) (SELECT kyc.session_tenant()));
    CREATE POLICY policy_rows ON kyc.policy USING (true) WITH CHECK (true);

    -- customer wording: the shipped texts and the tenant's own, drafts included
    CREATE POLICY tenant_isolation ON kyc.customer_message AS RESTRICTIVE
        USING (tenant_id OPERATOR(pg_catalog.=) ANY (ARRAY[(SELECT kyc.session_tenant()), '*']))
        WITH CHECK (tenant_id OPERATOR(pg_catalog.=) (SELECT kyc.session_tenant()));
    CREATE POLICY wording_rows ON kyc.customer_message USING (true) WITH CHECK (true);

    -- A policy's rules and risk factors are as confidential as the policy (a bank's fraud rules
    -- are not another bank's business): visible when the policy is, which the subquery inherits
    -- from kyc.policy's own row-level security; written only into the session tenant's policies.
    -- Without this an administrator could add rules to another tenant's draft (the foreign key
    -- check does not see row-level security).
    FOREACH t IN ARRAY ARRAY['policy_rule', 'policy_risk_factor', 'policy_timeout', 'policy_early_life_rule']
    LOOP
        EXECUTE pg_catalog.format(
            'CREATE POLICY policy_parts ON kyc.%I'
            ' USING (EXISTS (SELECT 1 FROM kyc.policy p WHERE p.id OPERATOR(pg_catalog.=) policy_id))'
            ' WITH CHECK (EXISTS (SELECT 1 FROM kyc.policy p WHERE p.id OPERATOR(pg_catalog.=) policy_id'
            ' AND p.tenant_id OPERATOR(pg_catalog.=) (SELECT kyc.session_tenant())))', t);
    END LOOP;
END
$rls$;
-- Nothing is granted to PUBLIC. Group roles get the schema, read access to the catalogs and their
-- own tenant's rows, and EXECUTE on the API functions they need. docs/security.md has the matrix.
REVOKE ALL ON SCHEMA kyc FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA kyc FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA kyc FROM PUBLIC;

GRANT USAGE ON SCHEMA kyc TO kyc_app, kyc_reviewer, kyc_fraud, kyc_aml, kyc_cx, kyc_auditor, kyc_admin, kyc_jobs;

GRANT SELECT ON kyc.gate_definition, kyc.state_definition, kyc.state_transition, kyc.reason_code,
                kyc.customer_message, kyc.policy, kyc.policy_rule, kyc.policy_risk_factor, kyc.policy_timeout,
                kyc.policy_early_life_rule, kyc.review_queue
    TO kyc_app, kyc_reviewer, kyc_fraud, kyc_aml, kyc_auditor, kyc_admin;
GRANT SELECT ON kyc.application, kyc.application_gate, kyc.restriction, kyc.state_history,
                kyc.chain_head, kyc.legal_hold, kyc.signal, kyc.decision, kyc.review_task,
                kyc.information_request, kyc.funding, kyc.account_event, kyc.early_life_alert,
                kyc.abandonment_by_step, kyc.queue_health
    TO kyc_app, kyc_reviewer, kyc_fraud, kyc_aml, kyc_auditor, kyc_admin;
-- Evidence without its payload and salt: payloads are read through kyc.read_evidence, which
-- records the read of restricted ones.
GRANT SELECT (tenant_id, application_id, seq, hash_version, kind, data_class, recorded_at, actor_role,
              actor_role_oid, actor_principal, payload_schema_version, payload_digest, prev_hash, row_hash)
    ON kyc.evidence TO kyc_app, kyc_reviewer, kyc_fraud, kyc_aml, kyc_auditor, kyc_admin;
GRANT EXECUTE ON FUNCTION kyc.read_evidence(uuid, text, bigint[])
    TO kyc_app, kyc_reviewer, kyc_fraud, kyc_aml, kyc_auditor, kyc_admin;
GRANT SELECT ON kyc.ledger_identity, kyc.ledger_digest, kyc.sealed_head, kyc.tenant_grant TO kyc_auditor, kyc_admin;

GRANT EXECUTE ON FUNCTION kyc.current_tenant(), kyc.session_tenant(), kyc.caller(), kyc.readable_classes(),
                          kyc.gate_class(kyc.gate)
    TO kyc_app, kyc_reviewer, kyc_fraud, kyc_aml, kyc_cx, kyc_auditor, kyc_admin;
GRANT EXECUTE ON FUNCTION kyc.application_id(text), kyc.next_states(uuid), kyc.state_diagram(text),
                          kyc.state_diagram_nodes(), kyc.state_diagram_is_mesh(text)
    TO kyc_app, kyc_reviewer, kyc_fraud, kyc_aml, kyc_auditor, kyc_admin;
GRANT EXECUTE ON FUNCTION kyc.open_application(text, kyc.applicant_kind, text, text, kyc.channel, text),
                          kyc.submit_signal(uuid, jsonb), kyc.capture_consent(uuid, text, text, jsonb),
                          kyc.withdraw_consent(uuid, jsonb), kyc.record_notice(uuid, text, text, jsonb, text)
    TO kyc_app;
GRANT EXECUTE ON FUNCTION kyc.customer_status(uuid, text), kyc.customer_status_by_ref(text, text) TO kyc_cx, kyc_app;
GRANT EXECUTE ON FUNCTION kyc.evaluate(uuid, timestamptz) TO kyc_app, kyc_reviewer, kyc_fraud, kyc_aml;
GRANT EXECUTE ON FUNCTION kyc.replay(uuid), kyc.decide(jsonb, jsonb), kyc.policy_document(uuid),
                          kyc.policy_in_force(text, text, text), kyc.canonical_json(jsonb)
    TO kyc_app, kyc_reviewer, kyc_fraud, kyc_aml, kyc_auditor, kyc_admin;
-- administrators write the rules, risk factors and settings of their drafts; triggers keep
-- published policies immutable and other tenants' drafts out of reach
GRANT INSERT, UPDATE, DELETE ON kyc.policy_rule, kyc.policy_risk_factor, kyc.policy_timeout,
                               kyc.policy_early_life_rule TO kyc_admin;
GRANT UPDATE (description, eligible_kinds, eligible_jurisdictions, risk_medium, risk_high, risk_prohibited,
              restrict_when_tier, restriction_kind, restriction_reason, restriction_lift, abandon_after,
              rfi_expire_after, max_rfi_rounds) ON kyc.policy TO kyc_admin;
GRANT EXECUTE ON FUNCTION kyc.draft_policy(uuid, text), kyc.publish_policy(uuid), kyc.retire_policy(uuid)
    TO kyc_admin;
GRANT EXECUTE ON FUNCTION kyc.draft_customer_message(text, text, text, text, text),
                          kyc.approve_customer_message(text, text, integer)
    TO kyc_admin;
GRANT EXECUTE ON FUNCTION kyc.backtest(uuid) TO kyc_admin, kyc_auditor, kyc_aml;
GRANT EXECUTE ON FUNCTION kyc.transition(uuid, kyc.state, text, text),
                          kyc.set_gate(uuid, kyc.gate, kyc.gate_status, text, text),
                          kyc.impose_restriction(uuid, kyc.restriction_kind, text, text)
    TO kyc_app, kyc_reviewer, kyc_fraud, kyc_aml;
GRANT EXECUTE ON FUNCTION kyc.canonical_json(jsonb), kyc.payload_digest_v1(bytea, jsonb),
                          kyc.row_hash_v1(text, uuid, bigint, kyc.hash256, text, text, timestamptz, text, oid, text, integer, kyc.hash256),
                          kyc.merkle_leaf_v1(text, uuid, bigint, kyc.hash256), kyc.merkle_root(kyc.hash256[]),
                          kyc.merkle_audit_path(kyc.hash256[], bigint),
                          kyc.seal_digest_v1(bigint, timestamptz, bigint, kyc.hash256, kyc.hash256, bigint, oid, text, uuid),
                          kyc.verify_chain(uuid), kyc.verify_ledger(), kyc.verify_summary(),
                          kyc.export_digest(bigint), kyc.export_chain(uuid)
    TO kyc_auditor, kyc_admin;
-- AML may export the chains it investigates; its export is the only one that carries SAR rows.
GRANT EXECUTE ON FUNCTION kyc.export_chain(uuid) TO kyc_aml;
GRANT EXECUTE ON FUNCTION kyc.redact_evidence(uuid, bigint[], text, text), kyc.seal_ledger(timestamptz)
    TO kyc_admin;

-- kyc.hash256's type support functions are pure and reveal nothing: everyone who can read a hash
-- may compare it.
GRANT EXECUTE ON FUNCTION kyc.hash256_in(cstring), kyc.hash256_out(kyc.hash256), kyc.hash256_recv(internal),
                          kyc.hash256_send(kyc.hash256), kyc.hash256_cmp(kyc.hash256, kyc.hash256),
                          kyc.hash256_eq(kyc.hash256, kyc.hash256), kyc.hash256_ne(kyc.hash256, kyc.hash256),
                          kyc.hash256_lt(kyc.hash256, kyc.hash256), kyc.hash256_le(kyc.hash256, kyc.hash256),
                          kyc.hash256_gt(kyc.hash256, kyc.hash256), kyc.hash256_ge(kyc.hash256, kyc.hash256),
                          kyc.hash256_hash(kyc.hash256), kyc.hash256_hash_extended(kyc.hash256, bigint),
                          kyc.hash256(bytea), kyc.bytea(kyc.hash256)
    TO PUBLIC;

-- Review work: reviewers claim, release and resolve (kyc.review_queue.worker_roles per queue);
-- the service records what the applicant and the core banking system report.
GRANT EXECUTE ON FUNCTION kyc.claim_task(text), kyc.release_task(uuid, text),
                          kyc.resolve_task(uuid, kyc.review_outcome, text, text),
                          kyc.lift_restriction(uuid, text)
    TO kyc_reviewer, kyc_fraud, kyc_aml;
GRANT EXECUTE ON FUNCTION kyc.provide_information(uuid, jsonb),
                          kyc.record_funding(uuid, numeric, text, text, text, kyc.funding_status),
                          kyc.activate(uuid),
                          kyc.record_account_event(uuid, kyc.account_event_kind, numeric, text, timestamptz)
    TO kyc_app;
GRANT EXECUTE ON FUNCTION kyc.close_account(uuid, text, text) TO kyc_app, kyc_reviewer, kyc_fraud, kyc_aml;

-- Retention and legal holds: compliance administrators; AML places and releases SAR holds.
GRANT SELECT ON kyc.retention_rule TO kyc_admin, kyc_auditor, kyc_jobs;
GRANT EXECUTE ON FUNCTION kyc.set_retention(kyc.data_class, interval, text) TO kyc_admin;
GRANT EXECUTE ON FUNCTION kyc.place_legal_hold(uuid, text), kyc.release_legal_hold(uuid, text) TO kyc_admin, kyc_aml;

-- Jobs: kyc_jobs runs them (the login pg_cron runs them as); administrators tune their
-- schedules and batch sizes and, with auditors, watch their health.
GRANT EXECUTE ON FUNCTION kyc.current_tenant(), kyc.session_tenant(), kyc.caller() TO kyc_jobs;
GRANT EXECUTE ON FUNCTION kyc.sla_sweep(timestamptz, integer), kyc.signal_expiry(timestamptz, integer),
                          kyc.abandonment_sweep(timestamptz, integer), kyc.early_life_monitor(timestamptz, integer),
                          kyc.retention_sweep(timestamptz, integer), kyc.seal_job(timestamptz, integer),
                          kyc.cleanup_job_runs(timestamptz, integer),
                          kyc.schedule_jobs(), kyc.unschedule_jobs(), kyc.assert_caller(text, name[]),
                          kyc.cron_schedule_lines(), kyc.cron_missing(text, text)
    TO kyc_jobs;
GRANT SELECT ON kyc.job_definition, kyc.job_run, kyc.job_health TO kyc_jobs, kyc_admin, kyc_auditor;
GRANT UPDATE (schedule, expected_every, batch_size) ON kyc.job_definition TO kyc_admin;
-- The gate map of the domain source (seed 004 §3.1): each gate has one owner.
INSERT INTO kyc.gate_definition
    (gate, owner, critical, business_only, waivable, pending_state, decider_roles, description)
VALUES
    ('consent', 'privacy_legal', true, false, false, 'application_started', '{kyc_app}',
     'may this data be collected, processed, shared and kept for this purpose'),
    ('eligibility', 'product', true, false, false, 'consent_captured', '{kyc_reviewer}',
     'does the applicant qualify for the product, region, age, account and business type'),
    ('identity_proofing', 'identity_platform', true, false, true, 'identity_proofing_pending', '{kyc_reviewer}',
     'is the applicant bound to a real natural person (documents, liveness, media, device)'),
    ('cip', 'kyc_cip', true, false, true, 'cip_verification_pending', '{kyc_reviewer}',
     'can the bank form a reasonable belief of the customer''s true identity (CIP); a proofing pass is not a CIP pass'),
    ('cdd', 'bsa_aml', true, false, true, 'cdd_review_pending', '{kyc_reviewer,kyc_aml}',
     'are nature and purpose understood and a risk profile established'),
    ('kyb_ubo', 'kyb_ops', true, true, true, 'kyb_review_pending', '{kyc_reviewer}',
     'business applicants: the entity exists, the applicant has authority, owners and controllers are identified'),
    ('fraud', 'fraud_risk', true, false, true, 'fraud_review_pending', '{kyc_fraud}',
     'synthetic identity, device farm, stolen identity or mule risk'),
    ('aml', 'bsa_aml', true, false, true, 'aml_review_pending', '{kyc_aml}',
     'sanctions, PEP and AML referral; SAR-sensitive, never disclosed to the customer'),
    ('funding', 'deposit_ops', false, false, false, 'opened_not_funded', '{kyc_app}',
     'may the account be funded and activated (funding source, return risk)'),
    ('communication', 'cx', false, false, true, NULL, '{kyc_app}',
     'what the customer is told: approved template, reason-owned wording, delivery proof');
-- What each state means (seed 004 §2.1): the distinctions the UI must never blur.
INSERT INTO kyc.state_definition (state, phase, description)
SELECT s::kyc.state, p, d
FROM (VALUES
    ('application_started', 'start', 'the applicant began; no relationship exists yet'),
    ('consent_captured', 'start', 'consent and disclosures for a specific purpose were captured'),
    ('identity_proofing_pending', 'in_progress', 'identity proofing is not complete (not an AML hold)'),
    ('cip_verification_pending', 'in_progress', 'identifying information awaits verification (not a fraud finding)'),
    ('cdd_review_pending', 'in_progress', 'nature and purpose, expected activity or risk profile need completing'),
    ('kyb_review_pending', 'in_progress', 'entity, authority or beneficial ownership under review'),
    ('fraud_review_pending', 'in_progress', 'fraud signals await a reviewer (not a SAR decision)'),
    ('aml_review_pending', 'in_progress', 'AML/CDD/SAR-sensitive review; never shown as such to the customer'),
    ('information_requested', 'in_progress', 'waiting for the applicant to provide information'),
    ('approved_restricted', 'opened', 'account may exist with funding, outflow, transfer or channel limits'),
    ('opened_not_funded', 'opened', 'account created, not yet funded or activated'),
    ('active', 'opened', 'account usable under policy; early-life monitoring continues'),
    ('declined', 'terminal', 'not opened; the reason is owned by the gate that failed'),
    ('abandoned', 'terminal', 'the applicant left or timed out; counted as friction, not success'),
    ('closed', 'terminal', 'exit after opening')
) AS v (s, p, d);
-- Allowed moves. Everything else, and anything out of declined, abandoned or closed, is refused.
INSERT INTO kyc.state_transition (from_state, to_state, description)
SELECT f::kyc.state, t::kyc.state, d
FROM (VALUES
    ('application_started', 'consent_captured', 'consent and purpose captured'),
    ('application_started', 'declined', 'ineligible before consent (failed gate)'),
    ('application_started', 'abandoned', 'applicant left or timed out'),

    ('consent_captured', 'application_started', 'consent withdrawn'),
    ('consent_captured', 'identity_proofing_pending', 'proofing under way'),
    ('consent_captured', 'cip_verification_pending', 'CIP verification under way'),
    ('consent_captured', 'cdd_review_pending', 'CDD profile needs review'),
    ('consent_captured', 'kyb_review_pending', 'entity, authority or UBO under review'),
    ('consent_captured', 'fraud_review_pending', 'fraud signals need review'),
    ('consent_captured', 'aml_review_pending', 'AML referral'),
    ('consent_captured', 'information_requested', 'information requested from the applicant'),
    ('consent_captured', 'approved_restricted', 'all critical gates cleared, opened with limits'),
    ('consent_captured', 'opened_not_funded', 'all critical gates cleared, account opened'),
    ('consent_captured', 'declined', 'a gate failed with a decline reason'),
    ('consent_captured', 'abandoned', 'applicant left or timed out')
) AS e (f, t, d);

-- Between the in-progress states any move is legitimate: gates clear, reopen (an expired signal)
-- and escalate in any order. Each may also open the account, decline, be abandoned, or go back to
-- application_started when consent is withdrawn.
INSERT INTO kyc.state_transition (from_state, to_state, description)
SELECT f::kyc.state, t::kyc.state,
       CASE
           WHEN t OPERATOR(pg_catalog.=) 'application_started' THEN 'consent withdrawn'
           WHEN t OPERATOR(pg_catalog.=) 'information_requested' THEN 'information requested from the applicant'
           WHEN t OPERATOR(pg_catalog.=) 'approved_restricted' THEN 'all critical gates cleared, opened with limits'
           WHEN t OPERATOR(pg_catalog.=) 'opened_not_funded' THEN 'all critical gates cleared, account opened'
           WHEN t OPERATOR(pg_catalog.=) 'declined' THEN 'a gate failed with a decline reason'
           WHEN t OPERATOR(pg_catalog.=) 'abandoned' THEN 'applicant left, or a timeout expired'
           WHEN f OPERATOR(pg_catalog.=) 'information_requested' THEN 'applicant responded; the next gate is open'
           ELSE 'the next open gate'
       END
FROM pg_catalog.unnest(ARRAY['identity_proofing_pending', 'cip_verification_pending', 'cdd_review_pending',
                             'kyb_review_pending', 'fraud_review_pending', 'aml_review_pending',
                             'information_requested']) AS f
CROSS JOIN pg_catalog.unnest(ARRAY['application_started', 'identity_proofing_pending', 'cip_verification_pending',
                                   'cdd_review_pending', 'kyb_review_pending', 'fraud_review_pending',
                                   'aml_review_pending', 'information_requested', 'approved_restricted',
                                   'opened_not_funded', 'declined', 'abandoned']) AS t
WHERE f OPERATOR(pg_catalog.<>) t;

INSERT INTO kyc.state_transition (from_state, to_state, description)
SELECT f::kyc.state, t::kyc.state, d
FROM (VALUES
    ('opened_not_funded', 'active', 'funding cleared, account activated'),
    ('opened_not_funded', 'approved_restricted', 'limits imposed before activation'),
    ('opened_not_funded', 'closed', 'exit after opening'),
    ('approved_restricted', 'active', 'restrictions lifted, funding cleared'),
    ('approved_restricted', 'opened_not_funded', 'restrictions lifted before funding'),
    ('approved_restricted', 'closed', 'exit after opening'),
    ('active', 'approved_restricted', 'early-life monitoring imposed limits'),
    ('active', 'closed', 'exit after opening')
) AS e (f, t, d);
-- The controlled reason taxonomy (seed 004 §3, §7, §9): every reason belongs to one gate and its
-- owner. Customers see only customer_message_key, and AML or fraud reasons use the same keys as
-- any other review or decline, so they cannot be told apart.
INSERT INTO kyc.reason_code (code, gate, owner, data_class, outcome_class, customer_message_key, description)
SELECT c, g::kyc.gate, o::kyc.owner, dc::kyc.data_class, oc::kyc.outcome, k, d
FROM (VALUES
    ('CONSENT.NOT_GIVEN', 'consent', 'privacy_legal', 'customer_safe', 'decline', 'consent_required',
     'the applicant declined the required disclosures'),
    ('CONSENT.WITHDRAWN', 'consent', 'privacy_legal', 'customer_safe', 'request_information', 'consent_required',
     'consent was withdrawn during onboarding'),
    ('CONSENT.DISCLOSURE_OUTDATED', 'consent', 'privacy_legal', 'customer_safe', 'request_information', 'consent_required',
     'consent was given to a disclosure version no longer in force'),

    ('ELIG.PRODUCT_NOT_AVAILABLE', 'eligibility', 'product', 'customer_safe', 'decline', 'product_not_available',
     'the product is not offered in the applicant''s jurisdiction or channel'),
    ('ELIG.UNDERAGE', 'eligibility', 'product', 'pii', 'decline', 'product_not_available',
     'the applicant is below the product''s minimum age'),
    ('ELIG.BUSINESS_TYPE_NOT_SUPPORTED', 'eligibility', 'product', 'customer_safe', 'decline', 'product_not_available',
     'the business type is outside the product''s policy'),

    ('IDV.DOCUMENT_GLARE', 'identity_proofing', 'identity_platform', 'pii', 'request_information', 'additional_information_needed',
     'the document image could not be read'),
    ('IDV.ADDRESS_MISMATCH', 'identity_proofing', 'identity_platform', 'pii', 'request_information', 'additional_information_needed',
     'the document address differs from the application'),
    ('IDV.LIVENESS_FAILED', 'identity_proofing', 'identity_platform', 'pii', 'hold_for_review', 'under_review',
     'the liveness check did not pass; alternate proofing path needed'),
    ('IDV.DOCUMENT_EXPIRED', 'identity_proofing', 'identity_platform', 'pii', 'request_information', 'additional_information_needed',
     'the identity document has expired'),
    ('IDV.LOW_CONFIDENCE', 'identity_proofing', 'identity_platform', 'pii', 'hold_for_review', 'under_review',
     'proofing passed with low confidence or was inconclusive; a person looks'),
    ('IDV.PROOFING_NOT_COMPLETED', 'identity_proofing', 'identity_platform', 'customer_safe', 'decline', 'verification_not_completed',
     'proofing could not be completed through any available path'),

    ('CIP.NAME_DOB_MISMATCH', 'cip', 'kyc_cip', 'pii', 'hold_for_review', 'under_review',
     'name and date of birth do not match the non-documentary sources'),
    ('CIP.SSN_UNVERIFIED', 'cip', 'kyc_cip', 'pii', 'request_information', 'additional_information_needed',
     'the taxpayer id could not be verified'),
    ('CIP.UNABLE_TO_VERIFY', 'cip', 'kyc_cip', 'customer_safe', 'decline', 'unable_to_open_account',
     'no reasonable belief of the customer''s identity could be formed'),

    ('CDD.PURPOSE_MISSING', 'cdd', 'bsa_aml', 'internal', 'request_information', 'additional_information_needed',
     'nature and purpose of the relationship are missing'),
    ('CDD.HIGH_RISK_PROFILE', 'cdd', 'bsa_aml', 'internal', 'approve_restricted', 'account_opened_with_limits',
     'high-risk CDD profile: opened with limits and enhanced monitoring'),
    ('CDD.EDD_REQUIRED', 'cdd', 'bsa_aml', 'internal', 'hold_for_review', 'under_review',
     'enhanced due diligence required'),
    ('CDD.PROHIBITED_PROFILE', 'cdd', 'bsa_aml', 'internal', 'decline', 'unable_to_open_account',
     'the risk profile is prohibited by policy'),

    ('KYB.REGISTRY_MISMATCH', 'kyb_ubo', 'kyb_ops', 'internal', 'hold_for_review', 'under_review',
     'the entity does not match the state registry'),
    ('KYB.UBO_INCOMPLETE', 'kyb_ubo', 'kyb_ops', 'pii', 'request_information', 'additional_information_needed',
     'beneficial owners or control person are missing'),
    ('KYB.AUTHORITY_UNVERIFIED', 'kyb_ubo', 'kyb_ops', 'internal', 'hold_for_review', 'under_review',
     'the applicant''s authority to act for the entity is not established'),
    ('KYB.ENTITY_NOT_FOUND', 'kyb_ubo', 'kyb_ops', 'customer_safe', 'decline', 'unable_to_open_account',
     'the entity could not be shown to exist'),

    ('FRAUD.SYNTHETIC_IDENTITY', 'fraud', 'fraud_risk', 'fraud_sensitive', 'hold_for_review', 'under_review',
     'synthetic identity indicators'),
    ('FRAUD.DEVICE_RISK', 'fraud', 'fraud_risk', 'fraud_sensitive', 'hold_for_review', 'under_review',
     'device, network or velocity risk'),
    ('FRAUD.CONFIRMED', 'fraud', 'fraud_risk', 'fraud_sensitive', 'decline', 'unable_to_open_account',
     'fraud confirmed by review'),
    ('FRAUD.EARLY_LIFE_ACTIVITY', 'fraud', 'fraud_risk', 'fraud_sensitive', 'approve_restricted', 'account_opened_with_limits',
     'early-life activity (returned funding, rapid outflow, device churn) needs limits'),

    ('AML.SANCTIONS_POTENTIAL_MATCH', 'aml', 'bsa_aml', 'sar_restricted', 'hold_for_review', 'under_review',
     'potential sanctions list match'),
    ('AML.PEP_MATCH', 'aml', 'bsa_aml', 'sar_restricted', 'hold_for_review', 'under_review',
     'politically exposed person match'),
    ('AML.REFERRAL', 'aml', 'bsa_aml', 'sar_restricted', 'hold_for_review', 'under_review',
     'AML red flags referred for analyst review'),
    ('AML.SANCTIONS_CONFIRMED', 'aml', 'bsa_aml', 'sar_restricted', 'decline', 'unable_to_open_account',
     'confirmed sanctions match'),

    ('FUND.RETURNED', 'funding', 'deposit_ops', 'internal', 'hold_for_review', 'under_review',
     'the initial funding was returned'),
    ('FUND.HIGH_RISK_SOURCE', 'funding', 'deposit_ops', 'internal', 'approve_restricted', 'account_opened_with_limits',
     'the funding source carries return risk: deposit hold'),
    ('FUND.CLEARED', 'funding', 'deposit_ops', 'customer_safe', 'approve', 'account_active',
     'initial funding cleared'),
    ('FUND.NOT_RECEIVED', 'funding', 'deposit_ops', 'customer_safe', 'request_information', 'funding_needed',
     'no initial funding yet'),

    ('COMM.NOTICE_UNDELIVERABLE', 'communication', 'cx', 'customer_safe', 'request_information', 'contact_details_needed',
     'a notice could not be delivered'),

    -- a reviewer's clearance or waiver of a gate in review (kyc.resolve_task)
    ('IDV.CLEARED_BY_REVIEW', 'identity_proofing', 'identity_platform', 'internal', 'approve', 'verification_in_progress',
     'a reviewer verified the identity on an alternate path'),
    ('CIP.CLEARED_BY_REVIEW', 'cip', 'kyc_cip', 'internal', 'approve', 'verification_in_progress',
     'a reviewer formed a reasonable belief of the customer''s identity'),
    ('CDD.CLEARED_BY_REVIEW', 'cdd', 'bsa_aml', 'internal', 'approve', 'verification_in_progress',
     'a reviewer accepted the customer''s risk profile'),
    ('KYB.CLEARED_BY_REVIEW', 'kyb_ubo', 'kyb_ops', 'internal', 'approve', 'verification_in_progress',
     'a reviewer verified entity, authority and beneficial owners'),
    ('FRAUD.CLEARED_BY_REVIEW', 'fraud', 'fraud_risk', 'fraud_sensitive', 'approve', 'verification_in_progress',
     'a fraud analyst found the signals benign'),
    ('AML.CLEARED_BY_REVIEW', 'aml', 'bsa_aml', 'sar_restricted', 'approve', 'verification_in_progress',
     'an AML analyst dispositioned the referral as a false positive'),
    ('FUND.VERIFIED_BY_REVIEW', 'funding', 'deposit_ops', 'internal', 'approve', 'account_active',
     'deposit operations verified the funding'),

    ('EXIT.CUSTOMER_REQUEST', NULL, 'cx', 'customer_safe', 'exit', 'account_closed',
     'the customer asked to close the account'),
    ('EXIT.VERIFICATION_NOT_COMPLETED', NULL, 'kyc_cip', 'customer_safe', 'exit', 'account_closed',
     'required verification was not completed after opening'),
    ('EXIT.RISK_POLICY', NULL, 'bsa_aml', 'sar_restricted', 'exit', 'account_closed',
     'closed under the risk policy after opening (SAR-sensitive handling)'),

    ('ABANDON.CUSTOMER_LEFT', NULL, 'cx', 'customer_safe', 'abandon', 'application_expired',
     'the applicant stopped before finishing'),
    ('ABANDON.RFI_EXPIRED', NULL, 'cx', 'customer_safe', 'abandon', 'application_expired',
     'requested information did not arrive before the deadline'),
    ('ABANDON.TIMEOUT', NULL, 'cx', 'customer_safe', 'abandon', 'application_expired',
     'the application was inactive past the policy''s timeout')
) AS r (c, g, o, dc, oc, k, d);
-- Approved customer wording, version 1, en-US and es-US. Every review reads the same, whichever
-- team reviews: a customer can never tell an AML or fraud hold from any other review.
INSERT INTO kyc.customer_message (message_key, locale, version, label, message, next_step, drafted_by, approved_by, approved_at)
SELECT k, l, 1, lb, m, n, 'pg_kyc', 'legal_cx_2026_11', pg_catalog.now()
FROM (VALUES
    ('application_received', 'en-US', 'Application received', 'We have your application.', 'Continue with the next step in the app.'),
    ('consent_required', 'en-US', 'Consent needed', 'We need your agreement to the account disclosures before we can continue.', 'Review and accept the disclosures.'),
    ('verification_in_progress', 'en-US', 'Verifying your details', 'We are verifying the details you gave us.', 'No action needed; we will let you know if we need anything.'),
    ('under_review', 'en-US', 'Under review', 'Your application is being reviewed. This usually takes up to two business days.', 'No action needed; we will contact you.'),
    ('additional_information_needed', 'en-US', 'Information needed', 'We need a little more information to finish your application.', 'Open the app to see what to send us.'),
    ('funding_needed', 'en-US', 'Fund your account', 'Your account is open. Add money to start using it.', 'Make your first deposit.'),
    ('contact_details_needed', 'en-US', 'Check your contact details', 'We could not reach you with your application update.', 'Confirm your email and phone number.'),
    ('account_opened_with_limits', 'en-US', 'Account open with limits', 'Your account is open. Some features are limited for now.', 'See the app for what is available and when limits lift.'),
    ('account_open', 'en-US', 'Account open', 'Your account is open.', 'Fund your account to start using it.'),
    ('account_active', 'en-US', 'Account active', 'Your account is ready to use.', 'Start banking.'),
    ('product_not_available', 'en-US', 'Product not available', 'We are not able to offer this account to you.', 'See other accounts you may be eligible for.'),
    ('unable_to_open_account', 'en-US', 'Application not approved', 'We are unable to open an account for you at this time.', 'A letter with more information is on its way.'),
    ('verification_not_completed', 'en-US', 'Verification not completed', 'We could not complete the verification of your identity.', 'Visit a branch or call us to verify another way.'),
    ('application_expired', 'en-US', 'Application expired', 'Your application expired before it was finished.', 'Start a new application whenever you are ready.'),
    ('account_closed', 'en-US', 'Account closed', 'Your account is closed.', 'Contact us with any questions.'),

    ('application_received', 'es-US', 'Solicitud recibida', 'Recibimos su solicitud.', 'Continúe con el siguiente paso en la aplicación.'),
    ('consent_required', 'es-US', 'Se necesita su consentimiento', 'Necesitamos que acepte las divulgaciones de la cuenta para continuar.', 'Revise y acepte las divulgaciones.'),
    ('verification_in_progress', 'es-US', 'Verificando sus datos', 'Estamos verificando los datos que nos dio.', 'No necesita hacer nada; le avisaremos si necesitamos algo.'),
    ('under_review', 'es-US', 'En revisión', 'Su solicitud está en revisión. Esto suele tardar hasta dos días hábiles.', 'No necesita hacer nada; nos comunicaremos con usted.'),
    ('additional_information_needed', 'es-US', 'Se necesita información', 'Necesitamos un poco más de información para terminar su solicitud.', 'Abra la aplicación para ver qué enviarnos.'),
    ('funding_needed', 'es-US', 'Deposite fondos', 'Su cuenta está abierta. Agregue dinero para empezar a usarla.', 'Haga su primer depósito.'),
    ('contact_details_needed', 'es-US', 'Revise sus datos de contacto', 'No pudimos comunicarle la actualización de su solicitud.', 'Confirme su correo y teléfono.'),
    ('account_opened_with_limits', 'es-US', 'Cuenta abierta con límites', 'Su cuenta está abierta. Algunas funciones están limitadas por ahora.', 'Vea en la aplicación qué está disponible y cuándo se levantan los límites.'),
    ('account_open', 'es-US', 'Cuenta abierta', 'Su cuenta está abierta.', 'Deposite fondos para empezar a usarla.'),
    ('account_active', 'es-US', 'Cuenta activa', 'Su cuenta está lista para usar.', 'Empiece a usar su cuenta.'),
    ('product_not_available', 'es-US', 'Producto no disponible', 'No podemos ofrecerle esta cuenta.', 'Vea otras cuentas para las que podría calificar.'),
    ('unable_to_open_account', 'es-US', 'Solicitud no aprobada', 'No podemos abrirle una cuenta en este momento.', 'Recibirá una carta con más información.'),
    ('verification_not_completed', 'es-US', 'Verificación no completada', 'No pudimos completar la verificación de su identidad.', 'Visite una sucursal o llámenos para verificarla de otra forma.'),
    ('application_expired', 'es-US', 'Solicitud vencida', 'Su solicitud venció antes de terminarse.', 'Empiece una nueva solicitud cuando quiera.'),
    ('account_closed', 'es-US', 'Cuenta cerrada', 'Su cuenta está cerrada.', 'Comuníquese con nosotros si tiene preguntas.')
) AS m (k, l, lb, m, n);
-- This database's ledger incarnation: drawn once, named by every seal.
INSERT INTO kyc.ledger_identity (incarnation) VALUES (pg_catalog.gen_random_uuid());
-- The review queues of the shipped policies, one per responsibility line (seed 004 §3.1).
INSERT INTO kyc.review_queue (queue, owner, worker_roles, description)
VALUES
    ('kyc_ops', 'kyc_cip', '{kyc_reviewer}', 'KYC operations: identity proofing and CIP exceptions'),
    ('kyb_ops', 'kyb_ops', '{kyc_reviewer}', 'KYB operations: entity, authority, beneficial owners'),
    ('fraud_ops', 'fraud_risk', '{kyc_fraud}', 'fraud investigations, including early-life alerts'),
    ('aml_ops', 'bsa_aml', '{kyc_aml}', 'BSA/AML: CDD escalations, screening referrals (SAR-sensitive)'),
    ('deposit_ops', 'deposit_ops', '{kyc_reviewer}', 'deposit operations: returned or questionable funding');
-- The shipped default policies (tenant "*"): digital checking for individuals and small-business
-- checking, both for any jurisdiction and eligible in the US only. A bank drafts its own versions from them (kyc.draft_policy) and
-- publishes them (four eyes); its own policy then takes precedence. docs/decisioning.md explains them.
INSERT INTO kyc.policy (id, tenant_id, product, jurisdiction, version, description, eligible_kinds,
                        eligible_jurisdictions, risk_medium, risk_high, risk_prohibited, restrict_when_tier,
                        restriction_kind, restriction_reason, restriction_lift, author)
VALUES
    ('00000000-0000-4000-8000-00000000dc01', '*', 'digital_checking', '*', 1,
     'digital checking for individuals, US: proofing, CIP, CDD, fraud and AML screening; high risk opens with a funding limit',
     '{individual}', '{US}', 30, 60, 100, '{high}', 'funding_limit', 'CDD.HIGH_RISK_PROFILE',
     '90 days of activity consistent with the stated purpose, then a compliance review', 'pg_kyc'),
    ('00000000-0000-4000-8000-0000000005b1', '*', 'small_business_checking', '*', 1,
     'small-business checking, US: entity, authority and beneficial owners (KYB/UBO) on top of the individual gates',
     '{business}', '{US}', 30, 60, 100, '{high}', 'no_outbound_transfers', 'CDD.HIGH_RISK_PROFILE',
     'beneficial ownership verified and 60 days of expected activity', 'pg_kyc');

-- Rules common to both: the first matching rule wins. A proofing pass settles identity_proofing
-- only; CIP needs its own signal. Failures of proofing go to a person (an alternate path), never
-- straight to a decline; only a high-confidence confirmed finding declines.
INSERT INTO kyc.policy_rule (policy_id, rule_no, gate, result, reason_code, min_confidence, status, decision_reason, queue, sla)
SELECT p.id, r.n, r.g::kyc.gate, r.res::kyc.signal_result, r.rc, r.mc::kyc.confidence, r.st::kyc.gate_status, r.dr, r.q, r.sla::interval
FROM kyc.policy p
CROSS JOIN (VALUES
    (10, 'identity_proofing', 'pass', NULL, 'medium', 'passed', NULL, NULL, NULL),
    (11, 'identity_proofing', 'pass', NULL, NULL, 'review', 'IDV.LOW_CONFIDENCE', 'kyc_ops', '1 day'),
    (12, 'identity_proofing', 'inconclusive', 'IDV.DOCUMENT_GLARE', NULL, 'info_needed', 'IDV.DOCUMENT_GLARE', NULL, NULL),
    (13, 'identity_proofing', 'inconclusive', 'IDV.ADDRESS_MISMATCH', NULL, 'info_needed', 'IDV.ADDRESS_MISMATCH', NULL, NULL),
    (14, 'identity_proofing', 'inconclusive', 'IDV.DOCUMENT_EXPIRED', NULL, 'info_needed', 'IDV.DOCUMENT_EXPIRED', NULL, NULL),
    (15, 'identity_proofing', 'fail', 'IDV.LIVENESS_FAILED', NULL, 'review', 'IDV.LIVENESS_FAILED', 'kyc_ops', '1 day'),
    (16, 'identity_proofing', 'inconclusive', NULL, NULL, 'review', 'IDV.LOW_CONFIDENCE', 'kyc_ops', '1 day'),
    (17, 'identity_proofing', 'fail', NULL, NULL, 'review', 'IDV.LIVENESS_FAILED', 'kyc_ops', '1 day'),
    (20, 'cip', 'pass', NULL, 'medium', 'passed', NULL, NULL, NULL),
    (21, 'cip', 'inconclusive', 'CIP.SSN_UNVERIFIED', NULL, 'info_needed', 'CIP.SSN_UNVERIFIED', NULL, NULL),
    (22, 'cip', 'fail', 'CIP.UNABLE_TO_VERIFY', 'high', 'failed', 'CIP.UNABLE_TO_VERIFY', NULL, NULL),
    (23, 'cip', 'fail', NULL, NULL, 'review', 'CIP.NAME_DOB_MISMATCH', 'kyc_ops', '2 days'),
    (24, 'cip', 'inconclusive', NULL, NULL, 'review', 'CIP.NAME_DOB_MISMATCH', 'kyc_ops', '2 days'),
    (30, 'cdd', 'pass', NULL, NULL, 'passed', NULL, NULL, NULL),
    (31, 'cdd', 'inconclusive', 'CDD.PURPOSE_MISSING', NULL, 'info_needed', 'CDD.PURPOSE_MISSING', NULL, NULL),
    (32, 'cdd', 'refer', NULL, NULL, 'review', 'CDD.EDD_REQUIRED', 'aml_ops', '3 days'),
    (40, 'fraud', 'pass', NULL, 'medium', 'passed', NULL, NULL, NULL),
    (41, 'fraud', 'fail', 'FRAUD.CONFIRMED', 'high', 'failed', 'FRAUD.CONFIRMED', NULL, NULL),
    (42, 'fraud', 'refer', 'FRAUD.DEVICE_RISK', NULL, 'review', 'FRAUD.DEVICE_RISK', 'fraud_ops', '1 day'),
    (43, 'fraud', 'refer', NULL, NULL, 'review', 'FRAUD.SYNTHETIC_IDENTITY', 'fraud_ops', '1 day'),
    (44, 'fraud', 'fail', NULL, NULL, 'review', 'FRAUD.SYNTHETIC_IDENTITY', 'fraud_ops', '1 day'),
    (45, 'fraud', 'pass', NULL, NULL, 'review', 'FRAUD.DEVICE_RISK', 'fraud_ops', '1 day'),
    (50, 'aml', 'pass', NULL, NULL, 'passed', NULL, NULL, NULL),
    (51, 'aml', 'fail', 'AML.SANCTIONS_CONFIRMED', 'high', 'failed', 'AML.SANCTIONS_CONFIRMED', NULL, NULL),
    (52, 'aml', 'refer', 'AML.SANCTIONS_POTENTIAL_MATCH', NULL, 'review', 'AML.SANCTIONS_POTENTIAL_MATCH', 'aml_ops', '1 day'),
    (53, 'aml', 'refer', 'AML.PEP_MATCH', NULL, 'review', 'AML.PEP_MATCH', 'aml_ops', '2 days'),
    (54, 'aml', 'refer', NULL, NULL, 'review', 'AML.REFERRAL', 'aml_ops', '2 days'),
    (55, 'aml', 'fail', NULL, NULL, 'review', 'AML.REFERRAL', 'aml_ops', '1 day'),
    (60, 'funding', 'pass', NULL, NULL, 'passed', NULL, NULL, NULL),
    (61, 'funding', 'fail', 'FUND.RETURNED', NULL, 'review', 'FUND.RETURNED', 'deposit_ops', '1 day'),
    (62, 'eligibility', 'fail', 'ELIG.UNDERAGE', 'high', 'failed', 'ELIG.UNDERAGE', NULL, NULL)
) AS r (n, g, res, rc, mc, st, dr, q, sla);

-- KYB/UBO rules of the small-business policy
INSERT INTO kyc.policy_rule (policy_id, rule_no, gate, result, reason_code, min_confidence, status, decision_reason, queue, sla)
SELECT '00000000-0000-4000-8000-0000000005b1', r.n, 'kyb_ubo', r.res::kyc.signal_result, r.rc, r.mc::kyc.confidence,
       r.st::kyc.gate_status, r.dr, r.q, r.sla::interval
FROM (VALUES
    (70, 'pass', NULL, 'medium', 'passed', NULL, NULL, NULL),
    (71, 'inconclusive', 'KYB.UBO_INCOMPLETE', NULL, 'info_needed', 'KYB.UBO_INCOMPLETE', NULL, NULL),
    (72, 'refer', 'KYB.REGISTRY_MISMATCH', NULL, 'review', 'KYB.REGISTRY_MISMATCH', 'kyb_ops', '2 days'),
    (73, 'refer', 'KYB.AUTHORITY_UNVERIFIED', NULL, 'review', 'KYB.AUTHORITY_UNVERIFIED', 'kyb_ops', '2 days'),
    (74, 'fail', 'KYB.ENTITY_NOT_FOUND', 'high', 'failed', 'KYB.ENTITY_NOT_FOUND', NULL, NULL),
    (75, 'fail', NULL, NULL, 'review', 'KYB.REGISTRY_MISMATCH', 'kyb_ops', '2 days'),
    (76, 'refer', NULL, NULL, 'review', 'KYB.REGISTRY_MISMATCH', 'kyb_ops', '2 days')
) AS r (n, res, rc, mc, st, dr, q, sla);

-- CDD risk: weighted factors; the tier decides a restricted approval (high) or a decline (prohibited)
INSERT INTO kyc.policy_risk_factor (policy_id, factor, value, weight)
SELECT p.id, f.factor, f.value, f.weight
FROM kyc.policy p
CROSS JOIN (VALUES
    ('channel', 'partner', 20),
    ('segment', 'cash_intensive', 35),
    ('segment', 'high_risk_geography', 40),
    ('cdd_reason', 'CDD.HIGH_RISK_PROFILE', 60),
    ('cdd_reason', 'CDD.PROHIBITED_PROFILE', 100)
) AS f (factor, value, weight);

-- Timeouts while the bank waits on the applicant (review states wait on the bank: never abandoned).
INSERT INTO kyc.policy_timeout (policy_id, state, abandon_after)
SELECT p.id, t.s::kyc.state, t.i::interval
FROM kyc.policy p
CROSS JOIN (VALUES ('application_started', '7 days'), ('consent_captured', '14 days'),
                   ('identity_proofing_pending', '14 days'), ('cip_verification_pending', '14 days')) AS t (s, i);

-- Early-life monitoring of the first 90 days: any returned funding, outbound transfers of 80% of
-- the cleared funding within 48 hours of it, or three distinct new devices within 7 days restrict
-- the account and send it to fraud operations.
INSERT INTO kyc.policy_early_life_rule (policy_id, rule, monitor_for, within, threshold, restriction_kind, reason_code, queue, sla)
SELECT p.id, r.rule::kyc.early_life_rule_kind, '90 days', r.within::interval, r.threshold, r.kind::kyc.restriction_kind,
       'FRAUD.EARLY_LIFE_ACTIVITY', 'fraud_ops', '1 day'
FROM kyc.policy p
CROSS JOIN (VALUES ('funding_returned', '90 days', 1, 'deposit_hold'),
                   ('rapid_outflow', '48 hours', 0.8, 'no_outbound_transfers'),
                   ('device_churn', '7 days', 3, 'channel_limit')) AS r (rule, within, threshold, kind);

-- Published by the release, not by the author (four eyes applies to shipped policies too).
UPDATE kyc.policy p
   SET status = 'published', publisher = 'pg_kyc_release', published_at = pg_catalog.now(),
       content_digest = pg_catalog.sha256(pg_catalog.convert_to(kyc.canonical_json(kyc.policy_document(p.id)), 'UTF8'))::kyc.hash256,
       document = kyc.policy_document(p.id)
 WHERE p.tenant_id OPERATOR(pg_catalog.=) '*';

-- The jobs kyc.schedule_jobs() registers (docs/operations.md). Schedules are cron expressions in
-- pg_cron's time zone (GMT unless cron.timezone is set); no business time is encoded in them:
-- each run processes whatever is due as of its own now, so a late or repeated run is harmless.
INSERT INTO kyc.job_definition (job, command, schedule, expected_every, batch_size, description)
VALUES
    ('sla_sweep', 'SELECT kyc.sla_sweep()', '*/5 * * * *', '5 minutes', 1000,
     'escalate review tasks past their SLA due time: priority raised, once per task'),
    ('signal_expiry', 'SELECT kyc.signal_expiry()', '*/15 * * * *', '15 minutes', 200,
     're-evaluate applications whose signals expired since their last decision'),
    ('abandonment', 'SELECT kyc.abandonment_sweep()', '7 * * * *', '1 hour', 500,
     'abandon applications waiting on the applicant past the policy''s timeout, and expired RFIs'),
    ('early_life', 'SELECT kyc.early_life_monitor()', '*/10 * * * *', '10 minutes', 500,
     'restrict and route newly opened accounts whose activity trips an early-life rule'),
    ('retention', 'SELECT kyc.retention_sweep()', '17 2 * * *', '1 day', 200,
     'redact evidence payloads past their retention (by data class, from conclusion), never under legal hold'),
    ('seal', 'SELECT kyc.seal_job()', '*/30 * * * *', '30 minutes', 1,
     'seal the ledger: a Merkle root over every chain head'),
    ('cleanup', 'SELECT kyc.cleanup_job_runs()', '37 3 * * *', '1 day', 10000,
     'delete job-run records (kyc.job_run and pg_cron''s run details of kyc_ jobs) older than 90 days');
-- The tables and views belong to kyc_owner, a NOLOGIN role that no one is granted: no login owns
-- them, so no login can ALTER them (drop a trigger, turn off FORCE ROW LEVEL SECURITY) without
-- being a superuser, and forced row-level security holds for their owner too. Functions stay the
-- installing superuser's: the SECURITY DEFINER API must read every tenant's rows (sealing,
-- verification, export) and superusers bypass row-level security. Last, after the data is loaded.
-- Foreign key checks run as the referenced table's owner, which must reach the schema.
GRANT USAGE ON SCHEMA kyc TO kyc_owner;
DO $owner$
DECLARE
    t text;
BEGIN
    FOR t IN SELECT c.relname FROM pg_catalog.pg_class c
             WHERE c.relnamespace OPERATOR(pg_catalog.=) 'kyc'::pg_catalog.regnamespace
               AND c.relkind OPERATOR(pg_catalog.=) ANY (ARRAY['r', 'v']::"char"[])
    LOOP
        EXECUTE pg_catalog.format('ALTER TABLE kyc.%I OWNER TO kyc_owner', t);
    END LOOP;
END
$owner$;
-- pg_dump: the tables of an extension are not dumped unless the extension says so. Every table
-- that holds the bank's data is; of the catalogs shipped with the extension, only the rows the
-- bank added (its own policies and wording). Restore with triggers disabled (docs/operations.md:
-- the rows are history, not new events). kyc.ledger_identity is not dumped: a restored database
-- draws a new incarnation, and its seals say so. (One call per statement: each call updates the
-- extension's catalog row.)
SELECT pg_catalog.pg_extension_config_dump('kyc.tenant_grant', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.application', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.application_gate', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.restriction', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.evidence', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.legal_hold', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.signal', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.decision', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.review_task', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.information_request', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.funding', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.account_event', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.early_life_alert', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.retention_rule', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.job_run', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.ledger_digest', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.sealed_head', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.policy', 'WHERE tenant_id OPERATOR(pg_catalog.<>) ''*''');
SELECT pg_catalog.pg_extension_config_dump('kyc.policy_rule',
    'WHERE policy_id OPERATOR(pg_catalog.<>) ALL (''{00000000-0000-4000-8000-00000000dc01,00000000-0000-4000-8000-0000000005b1}''::uuid[])');
SELECT pg_catalog.pg_extension_config_dump('kyc.policy_risk_factor',
    'WHERE policy_id OPERATOR(pg_catalog.<>) ALL (''{00000000-0000-4000-8000-00000000dc01,00000000-0000-4000-8000-0000000005b1}''::uuid[])');
SELECT pg_catalog.pg_extension_config_dump('kyc.policy_timeout',
    'WHERE policy_id OPERATOR(pg_catalog.<>) ALL (''{00000000-0000-4000-8000-00000000dc01,00000000-0000-4000-8000-0000000005b1}''::uuid[])');
SELECT pg_catalog.pg_extension_config_dump('kyc.policy_early_life_rule',
    'WHERE policy_id OPERATOR(pg_catalog.<>) ALL (''{00000000-0000-4000-8000-00000000dc01,00000000-0000-4000-8000-0000000005b1}''::uuid[])');
SELECT pg_catalog.pg_extension_config_dump('kyc.customer_message', 'WHERE tenant_id OPERATOR(pg_catalog.<>) ''*''');
