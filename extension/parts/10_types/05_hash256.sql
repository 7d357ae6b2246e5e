-- kyc.hash256: a SHA-256 value, 32 bytes, shown as 64 lower-case hex digits.
CREATE TYPE kyc.hash256;

CREATE FUNCTION kyc.hash256_in(cstring) RETURNS kyc.hash256
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'kyc_hash256_in';
CREATE FUNCTION kyc.hash256_out(kyc.hash256) RETURNS cstring
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'kyc_hash256_out';
CREATE FUNCTION kyc.hash256_recv(internal) RETURNS kyc.hash256
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'kyc_hash256_recv';
CREATE FUNCTION kyc.hash256_send(kyc.hash256) RETURNS bytea
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'kyc_hash256_send';

CREATE TYPE kyc.hash256 (
    INPUT = kyc.hash256_in,
    OUTPUT = kyc.hash256_out,
    RECEIVE = kyc.hash256_recv,
    SEND = kyc.hash256_send,
    INTERNALLENGTH = 32,
    ALIGNMENT = char,
    STORAGE = plain
);
COMMENT ON TYPE kyc.hash256 IS 'a SHA-256 value: 32 bytes, text form 64 hex digits';

CREATE FUNCTION kyc.hash256_cmp(kyc.hash256, kyc.hash256) RETURNS integer
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'kyc_hash256_cmp';
CREATE FUNCTION kyc.hash256_eq(kyc.hash256, kyc.hash256) RETURNS boolean
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'kyc_hash256_eq';
CREATE FUNCTION kyc.hash256_ne(kyc.hash256, kyc.hash256) RETURNS boolean
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'kyc_hash256_ne';
CREATE FUNCTION kyc.hash256_lt(kyc.hash256, kyc.hash256) RETURNS boolean
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'kyc_hash256_lt';
CREATE FUNCTION kyc.hash256_le(kyc.hash256, kyc.hash256) RETURNS boolean
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'kyc_hash256_le';
CREATE FUNCTION kyc.hash256_gt(kyc.hash256, kyc.hash256) RETURNS boolean
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'kyc_hash256_gt';
CREATE FUNCTION kyc.hash256_ge(kyc.hash256, kyc.hash256) RETURNS boolean
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'kyc_hash256_ge';
CREATE FUNCTION kyc.hash256_hash(kyc.hash256) RETURNS integer
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'kyc_hash256_hash';
CREATE FUNCTION kyc.hash256_hash_extended(kyc.hash256, bigint) RETURNS bigint
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'kyc_hash256_hash_extended';

-- The comparison operators live in pg_catalog, like the built-in types' ones, so that "=" and "<"
-- work on kyc.hash256 whatever the search_path; they match only (kyc.hash256, kyc.hash256).
CREATE OPERATOR pg_catalog.= (LEFTARG = kyc.hash256, RIGHTARG = kyc.hash256, FUNCTION = kyc.hash256_eq,
    COMMUTATOR = OPERATOR(pg_catalog.=), NEGATOR = OPERATOR(pg_catalog.<>), RESTRICT = eqsel, JOIN = eqjoinsel,
    HASHES, MERGES);
CREATE OPERATOR pg_catalog.<> (LEFTARG = kyc.hash256, RIGHTARG = kyc.hash256, FUNCTION = kyc.hash256_ne,
    COMMUTATOR = OPERATOR(pg_catalog.<>), NEGATOR = OPERATOR(pg_catalog.=), RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR pg_catalog.< (LEFTARG = kyc.hash256, RIGHTARG = kyc.hash256, FUNCTION = kyc.hash256_lt,
    COMMUTATOR = OPERATOR(pg_catalog.>), NEGATOR = OPERATOR(pg_catalog.>=), RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR pg_catalog.<= (LEFTARG = kyc.hash256, RIGHTARG = kyc.hash256, FUNCTION = kyc.hash256_le,
    COMMUTATOR = OPERATOR(pg_catalog.>=), NEGATOR = OPERATOR(pg_catalog.>), RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR pg_catalog.> (LEFTARG = kyc.hash256, RIGHTARG = kyc.hash256, FUNCTION = kyc.hash256_gt,
    COMMUTATOR = OPERATOR(pg_catalog.<), NEGATOR = OPERATOR(pg_catalog.<=), RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR pg_catalog.>= (LEFTARG = kyc.hash256, RIGHTARG = kyc.hash256, FUNCTION = kyc.hash256_ge,
    COMMUTATOR = OPERATOR(pg_catalog.<=), NEGATOR = OPERATOR(pg_catalog.<), RESTRICT = scalargesel, JOIN = scalargejoinsel);

CREATE OPERATOR CLASS kyc.hash256_ops DEFAULT FOR TYPE kyc.hash256 USING btree AS
    OPERATOR 1 pg_catalog.<, OPERATOR 2 pg_catalog.<=, OPERATOR 3 pg_catalog.=, OPERATOR 4 pg_catalog.>=, OPERATOR 5 pg_catalog.>,
    FUNCTION 1 kyc.hash256_cmp(kyc.hash256, kyc.hash256);
CREATE OPERATOR CLASS kyc.hash256_hash_ops DEFAULT FOR TYPE kyc.hash256 USING hash AS
    OPERATOR 1 pg_catalog.=,
    FUNCTION 1 kyc.hash256_hash(kyc.hash256),
    FUNCTION 2 kyc.hash256_hash_extended(kyc.hash256, bigint);

CREATE FUNCTION kyc.hash256(bytea) RETURNS kyc.hash256
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'kyc_hash256_from_bytea';
CREATE FUNCTION kyc.bytea(kyc.hash256) RETURNS bytea
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'kyc_hash256_to_bytea';
CREATE CAST (bytea AS kyc.hash256) WITH FUNCTION kyc.hash256(bytea);
CREATE CAST (kyc.hash256 AS bytea) WITH FUNCTION kyc.bytea(kyc.hash256);
