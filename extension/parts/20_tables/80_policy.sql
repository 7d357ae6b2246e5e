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
    consent_purpose        text                 NOT NULL DEFAULT 'account_opening',
    disclosure_version     text                 NOT NULL DEFAULT 'disclosures-2026-10',
    UNIQUE (tenant_id, product, jurisdiction, version),
    CONSTRAINT policy_tenant_set CHECK (tenant_id OPERATOR(pg_catalog.<>) ''),
    CONSTRAINT policy_thresholds CHECK
        (risk_medium OPERATOR(pg_catalog.<=) risk_high AND risk_high OPERATOR(pg_catalog.<=) risk_prohibited),
    CONSTRAINT policy_published_complete CHECK
        (status OPERATOR(pg_catalog.=) 'draft'::kyc.policy_status
         OR (publisher IS NOT NULL AND published_at IS NOT NULL AND content_digest IS NOT NULL AND document IS NOT NULL)),
    CONSTRAINT policy_four_eyes CHECK (publisher IS NULL OR publisher OPERATOR(pg_catalog.<>) author),
    CONSTRAINT policy_consent_purpose CHECK (consent_purpose OPERATOR(pg_catalog.~) '^[a-z][a-z0-9_]{0,62}$'),
    CONSTRAINT policy_disclosure_version CHECK (pg_catalog.btrim(disclosure_version) OPERATOR(pg_catalog.<>) '')
);
COMMENT ON COLUMN kyc.policy.consent_purpose IS 'the purpose tag a consent must name to pass the consent gate of this product';
COMMENT ON COLUMN kyc.policy.disclosure_version IS 'the disclosure version in force for this product: consent to another version does not pass the consent gate';
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
