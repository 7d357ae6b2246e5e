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
