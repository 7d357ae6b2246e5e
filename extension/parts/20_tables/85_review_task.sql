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
        (origin OPERATOR(pg_catalog.=) ANY (ARRAY['evaluation', 'information_response', 'early_life', 'adverse_evidence'])),
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
    'evaluation (a gate in review), information_response (the applicant answered an RFI), early_life (monitoring of an opened account), adverse_evidence (a signal against an opened account)';
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
