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
