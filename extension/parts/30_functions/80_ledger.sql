-- The evidence ledger's functions. docs/ledger.md explains them; docs/ledger-format.md the bytes.

CREATE FUNCTION kyc.canonical_json(payload jsonb) RETURNS text
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'kyc_canonical_json';
COMMENT ON FUNCTION kyc.canonical_json(jsonb) IS
    'pg_kyc''s canonical JSON serialisation v1: the bytes a payload digest covers';

CREATE FUNCTION kyc.payload_digest_v1(salt bytea, payload jsonb) RETURNS kyc.hash256
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'kyc_payload_digest_v1';
COMMENT ON FUNCTION kyc.payload_digest_v1(bytea, jsonb) IS 'H("kyc.payload.v1" || salt || canonical payload)';

CREATE FUNCTION kyc.row_hash_v1(tenant_id text, application_id uuid, seq bigint, prev_hash kyc.hash256,
                                kind text, data_class text, recorded_at timestamptz, actor_role text,
                                actor_role_oid oid, actor_principal text, payload_schema_version integer,
                                payload_digest kyc.hash256) RETURNS kyc.hash256
    LANGUAGE c IMMUTABLE PARALLEL SAFE AS 'MODULE_PATHNAME', 'kyc_row_hash_v1';
COMMENT ON FUNCTION kyc.row_hash_v1(text, uuid, bigint, kyc.hash256, text, text, timestamptz, text, oid, text, integer, kyc.hash256)
    IS 'the row hash of hash version 1 (docs/ledger-format.md); actor_principal may be NULL';

CREATE FUNCTION kyc.merkle_leaf_v1(tenant_id text, application_id uuid, head_seq bigint, head_hash kyc.hash256)
    RETURNS kyc.hash256
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'kyc_merkle_leaf_v1';
COMMENT ON FUNCTION kyc.merkle_leaf_v1(text, uuid, bigint, kyc.hash256) IS 'RFC 9162 leaf hash of one chain head';

CREATE FUNCTION kyc.merkle_root(leaf_hashes kyc.hash256[]) RETURNS kyc.hash256
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'kyc_merkle_root';
COMMENT ON FUNCTION kyc.merkle_root(kyc.hash256[]) IS 'RFC 9162 Merkle tree hash over leaf hashes in order';

CREATE FUNCTION kyc.merkle_audit_path(leaf_hashes kyc.hash256[], leaf_index bigint) RETURNS kyc.hash256[]
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'kyc_merkle_audit_path';
COMMENT ON FUNCTION kyc.merkle_audit_path(kyc.hash256[], bigint) IS 'RFC 9162 inclusion proof of one leaf (0-based)';

CREATE FUNCTION kyc.seal_digest_v1(seal_id bigint, sealed_at timestamptz, tree_size bigint, merkle_root kyc.hash256,
                                   prev_digest_hash kyc.hash256, system_identifier bigint, database_oid oid,
                                   database_name text, incarnation uuid) RETURNS kyc.hash256
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'kyc_seal_digest_v1';
COMMENT ON FUNCTION kyc.seal_digest_v1(bigint, timestamptz, bigint, kyc.hash256, kyc.hash256, bigint, oid, text, uuid)
    IS 'the digest_hash of a seal (docs/ledger-format.md)';

-- Internal: granted to nobody; the API's SECURITY DEFINER functions call it.
CREATE FUNCTION kyc.append_evidence(app uuid, kind kyc.evidence_kind, data_class kyc.data_class, payload jsonb)
    RETURNS bigint
    LANGUAGE c VOLATILE AS 'MODULE_PATHNAME', 'kyc_append_evidence';
COMMENT ON FUNCTION kyc.append_evidence(uuid, kyc.evidence_kind, kyc.data_class, jsonb) IS
    'internal: append one row to an application''s evidence chain (the session''s tenant only); returns its seq';

-- The only way a payload leaves the ledger. Grant to: kyc_admin (retention).
CREATE FUNCTION kyc.redact_evidence(app uuid, seqs bigint[], reason text, legal_basis text) RETURNS integer
    LANGUAGE c VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'kyc_redact_evidence';
COMMENT ON FUNCTION kyc.redact_evidence(uuid, bigint[], text, text) IS
    'retention: remove the payload and salt of evidence rows of a concluded application not under legal hold whose retention rule has run out; hashes stay, a retention_action row records it; grant to kyc_admin';

-- The retention job's redaction, as of the job's own now (docs/operations.md). Internal.
CREATE FUNCTION kyc.redact_evidence_as_of(app uuid, seqs bigint[], reason text, legal_basis text, as_of timestamptz)
    RETURNS integer
    LANGUAGE c VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'kyc_redact_evidence_as_of';
REVOKE ALL ON FUNCTION kyc.redact_evidence_as_of(uuid, bigint[], text, text, timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION kyc.redact_evidence_as_of(uuid, bigint[], text, text, timestamptz) IS
    'internal: kyc.redact_evidence as of the retention job''s now';

-- Grant to: kyc_admin (the sealing job).
CREATE FUNCTION kyc.seal_ledger(now timestamptz DEFAULT pg_catalog.now()) RETURNS bigint
    LANGUAGE c VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'kyc_seal_ledger';
COMMENT ON FUNCTION kyc.seal_ledger(timestamptz) IS
    'write a seal over every chain head (NULL when nothing changed since the last seal); grant to kyc_admin';

-- Verification reads every row and every seal whatever row-level security would admit (definer:
-- the seal's heads of every tenant recompute its root), and reports to a caller who is not a
-- superuser only the findings of its own tenant's chains, and the ledger-wide findings about
-- seals without their counts; no tenant, no findings (docs/security.md#threat-model).
CREATE FUNCTION kyc.verify_chain(app uuid)
    RETURNS TABLE (tenant_id text, application_id uuid, seq bigint, finding text, severity text,
                   expected text, actual text)
    LANGUAGE c VOLATILE STRICT SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'kyc_verify_chain';
COMMENT ON FUNCTION kyc.verify_chain(uuid) IS
    'every finding about one application''s evidence chain, against the last seal, in one snapshot';

CREATE FUNCTION kyc.verify_ledger()
    RETURNS TABLE (tenant_id text, application_id uuid, seq bigint, finding text, severity text,
                   expected text, actual text)
    LANGUAGE c VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'kyc_verify_ledger';
COMMENT ON FUNCTION kyc.verify_ledger() IS
    'every finding about every evidence chain and every seal, in one snapshot';

CREATE FUNCTION kyc.verify_summary(
    OUT chains bigint, OUT evidence_rows bigint, OUT errors bigint, OUT redacted bigint,
    OUT unsealed_chains bigint, OUT last_seal_id bigint, OUT last_sealed_at timestamptz, OUT verdict text)
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    -- an API call: fails closed without a granted tenant, but for a superuser (the whole ledger)
    SELECT CASE WHEN (SELECT x.rolsuper FROM pg_catalog.pg_roles x WHERE x.oid OPERATOR(pg_catalog.=) kyc.caller()::regrole)
                THEN NULL ELSE kyc.current_tenant() END;
    WITH f AS (SELECT * FROM kyc.verify_ledger())
    SELECT (SELECT pg_catalog.count(DISTINCT e.application_id) FROM kyc.evidence e),
           (SELECT pg_catalog.count(*) FROM kyc.evidence e),
           (SELECT pg_catalog.count(*) FROM f WHERE f.severity OPERATOR(pg_catalog.=) 'error'),
           (SELECT pg_catalog.count(*) FROM f WHERE f.finding OPERATOR(pg_catalog.=) 'redacted'),
           (SELECT pg_catalog.count(DISTINCT f.application_id) FROM f WHERE f.finding OPERATOR(pg_catalog.=) 'unsealed'),
           (SELECT pg_catalog.max(d.seal_id) FROM kyc.ledger_digest d),
           (SELECT pg_catalog.max(d.sealed_at) FROM kyc.ledger_digest d),
           CASE WHEN EXISTS (SELECT 1 FROM f WHERE f.severity OPERATOR(pg_catalog.=) 'error') THEN 'tampered or damaged'
                WHEN NOT EXISTS (SELECT 1 FROM kyc.evidence e) THEN 'no chains to verify'
                WHEN EXISTS (SELECT 1 FROM f WHERE f.finding OPERATOR(pg_catalog.=) 'unsealed') THEN 'verified; some rows not yet sealed'
                ELSE 'verified and sealed' END;
END;
COMMENT ON FUNCTION kyc.verify_summary() IS
    'one-row summary of kyc.verify_ledger() over the session tenant''s chains (every chain for a superuser); "no chains to verify" when there are none';

-- Anchoring: the seal as JSON to keep outside the database (docs/ledger-format.md).
CREATE FUNCTION kyc.export_digest(seal_id bigint DEFAULT NULL) RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT pg_catalog.jsonb_build_object(
               'format', 'pg_kyc.digest.v1',
               'hash_version', d.hash_version,
               'seal_id', d.seal_id,
               'sealed_at_us', (EXTRACT(epoch FROM d.sealed_at) OPERATOR(pg_catalog.*) 1000000)::bigint,
               'tree_size', d.tree_size,
               'merkle_root', d.merkle_root::text,
               'prev_digest_hash', d.prev_digest_hash::text,
               'system_identifier', (CASE WHEN d.system_identifier OPERATOR(pg_catalog.<) 0
                                          THEN d.system_identifier::numeric OPERATOR(pg_catalog.+) 18446744073709551616
                                          ELSE d.system_identifier::numeric END)::text,
               'database_oid', d.database_oid::bigint,
               'database_name', d.database_name,
               'incarnation', d.incarnation,
               'digest_hash', d.digest_hash::text)
    FROM kyc.ledger_digest d
    WHERE d.seal_id OPERATOR(pg_catalog.=) coalesce(export_digest.seal_id,
                                                    (SELECT pg_catalog.max(x.seal_id) FROM kyc.ledger_digest x));
END;
COMMENT ON FUNCTION kyc.export_digest(bigint) IS 'a seal (default: the latest) as pg_kyc.digest.v1 JSON, for anchoring outside the database';
