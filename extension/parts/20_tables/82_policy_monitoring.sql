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
