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
    INSERT INTO kyc.legal_hold AS h (tenant_id, application_id, reason, placed_by, data_class)
    VALUES (a.tenant_id, a.id, place_legal_hold.reason, actor, kyc.legal_hold_class())
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
    -- a hold of a class the caller may not read (AML's, for an administrator) is as unknown to it
    -- as one that does not exist: it can neither see nor release it
    SELECT * INTO h FROM kyc.legal_hold x
    WHERE x.id OPERATOR(pg_catalog.=) release_legal_hold.hold AND x.tenant_id OPERATOR(pg_catalog.=) kyc.current_tenant()
      AND x.data_class OPERATOR(pg_catalog.=) ANY (kyc.readable_classes());
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
