-- Gates follow live evidence, and every review has an owner (docs/decisioning.md). Added after
-- the tables they refer to (queues, reasons, tasks), in the order the 0.3.0 update adds them.

-- What a gate's owner does with a signal no policy rule maps, or with a recommended decline: the
-- catalog's defaults, recorded in every decision's inputs so that replay stays exact.
ALTER TABLE kyc.gate_definition
    ADD COLUMN review_queue text REFERENCES kyc.review_queue (queue),
    ADD COLUMN review_sla interval,
    ADD COLUMN confirm_sla interval,
    ADD COLUMN review_reason text,
    ADD COLUMN auto_decline boolean NOT NULL DEFAULT false,
    ADD COLUMN review_rank integer,
    ADD CONSTRAINT gate_definition_review_reason FOREIGN KEY (review_reason, gate) REFERENCES kyc.reason_code (code, gate),
    ADD CONSTRAINT gate_definition_review_complete CHECK
        ((review_queue IS NULL) OPERATOR(pg_catalog.=) (review_sla IS NULL)
         AND (review_queue IS NULL) OPERATOR(pg_catalog.=) (confirm_sla IS NULL)
         AND (review_queue IS NULL) OPERATOR(pg_catalog.=) (review_reason IS NULL));
COMMENT ON COLUMN kyc.gate_definition.review_queue IS
    'the queue of the gate''s owner: where a review goes that no policy rule routes (an unmapped signal, a recommended decline, the RFI bound)';
COMMENT ON COLUMN kyc.gate_definition.review_sla IS 'SLA of such a review when neither the rule nor the policy names one';
COMMENT ON COLUMN kyc.gate_definition.confirm_sla IS 'SLA of the review that confirms a recommended decline (short: the customer waits)';
COMMENT ON COLUMN kyc.gate_definition.review_reason IS 'reason of a review for a signal no policy rule maps (a vendor error, an unexpected result)';
COMMENT ON COLUMN kyc.gate_definition.review_rank IS
    'which review decides a hold when several gates are in review: the highest (the most sensitive queue); NULL: never';
COMMENT ON COLUMN kyc.gate_definition.auto_decline IS
    'whether a failed gate declines without a person (facts of eligibility); elsewhere only a policy rule marked auto_decline does';

-- A gate a signal passed holds only while that evidence lives: the state trigger compares.
ALTER TABLE kyc.application_gate ADD COLUMN valid_until timestamptz;
COMMENT ON COLUMN kyc.application_gate.valid_until IS
    'when the earliest signal behind a status set by evaluation expires (NULL: it does not); an opening needs it in the future';

-- A policy's default review SLA, and rules that may decline without a person.
ALTER TABLE kyc.policy ADD COLUMN review_sla interval;
COMMENT ON COLUMN kyc.policy.review_sla IS
    'SLA of a review no rule names one for (an unmapped signal, the RFI bound); NULL: the gate''s catalog SLA';
ALTER TABLE kyc.policy_rule ADD COLUMN auto_decline boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT policy_rule_auto_decline CHECK
        (NOT auto_decline OR status OPERATOR(pg_catalog.=) 'failed'::kyc.gate_status);
COMMENT ON COLUMN kyc.policy_rule.auto_decline IS
    'a failed status that declines at once; otherwise a failed rule only recommends the decline to the gate owner''s queue';

-- The restriction that adverse evidence on an opened account imposed, with the task that reviews it.
ALTER TABLE kyc.restriction ADD COLUMN task_id uuid REFERENCES kyc.review_task (id);
COMMENT ON COLUMN kyc.restriction.task_id IS
    'the review task whose resolution lifts it (adverse evidence after opening); NULL otherwise';

-- Backends keep a copy of the gate and state catalogs (src/catalog_cache.c): any change to them
-- makes every backend read them again.
CREATE FUNCTION kyc.catalog_changed() RETURNS trigger
    LANGUAGE c
    AS 'MODULE_PATHNAME', 'kyc_catalog_changed';
REVOKE ALL ON FUNCTION kyc.catalog_changed() FROM PUBLIC;
COMMENT ON FUNCTION kyc.catalog_changed() IS 'trigger: every backend reads the gate and state catalogs again';
CREATE TRIGGER gate_definition_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kyc.gate_definition
    FOR EACH STATEMENT EXECUTE FUNCTION kyc.catalog_changed();
CREATE TRIGGER state_definition_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kyc.state_definition
    FOR EACH STATEMENT EXECUTE FUNCTION kyc.catalog_changed();
