-- One application's chain as pg_kyc.chain.v1 JSON, with the proof that its head was sealed, for
-- the offline verifier (kyc_verify chain FILE). Definer, because a chain must be exported whole:
-- under the caller's row-level security an auditor would miss the SAR-restricted rows and the
-- verifier would see gaps. Rows of a class the caller may not read keep their hashes but are
-- "withheld": no payload, no salt. An export is a read through another door: when it carries
-- personal, fraud-sensitive or SAR-restricted payloads it first appends an evidence_access row, as
-- kyc.read_evidence does, which the export then contains. Grant to: kyc_auditor, kyc_admin, kyc_aml.
CREATE FUNCTION kyc.export_chain(app uuid) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    tenant   text;
    readable kyc.data_class[];
    revealed bigint[];
    top      kyc.data_class;
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

    -- the export is evidence of what it reveals (86_read_evidence.sql)
    PERFORM kyc.lock_application(export_chain.app, shared => true);
    SELECT pg_catalog.array_agg(e.seq ORDER BY e.seq), pg_catalog.max(e.data_class)
      INTO revealed, top
      FROM kyc.evidence e
     WHERE e.application_id OPERATOR(pg_catalog.=) export_chain.app AND e.tenant_id OPERATOR(pg_catalog.=) tenant
       AND e.data_class OPERATOR(pg_catalog.=) ANY (readable)
       AND e.data_class OPERATOR(pg_catalog.=) ANY (ARRAY['pii', 'fraud_sensitive', 'sar_restricted']::kyc.data_class[])
       AND e.payload IS NOT NULL;
    IF revealed IS NOT NULL THEN
        PERFORM kyc.append_evidence(export_chain.app, 'evidence_access', top,
            pg_catalog.jsonb_build_object('purpose', 'chain export (kyc.export_chain)', 'seqs', pg_catalog.to_jsonb(revealed)));
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
