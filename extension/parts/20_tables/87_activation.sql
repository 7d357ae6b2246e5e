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
