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
