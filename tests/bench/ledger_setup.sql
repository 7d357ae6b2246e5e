-- Set-up for the ledger benchmarks (tests/bench/ledger.sh): the baselines measured in the same run.
CREATE EXTENSION IF NOT EXISTS pg_kyc;
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;

-- the applications the clients append to (each client its own range: no lock contention)
CREATE TABLE bench.apps (n int PRIMARY KEY, id uuid NOT NULL);
SET kyc.tenant = 'bench';
INSERT INTO bench.apps
SELECT i, kyc.open_application('bench-' || i, 'individual', 'digital_checking', 'US') FROM generate_series(1, :apps) i;

-- baseline 1: the same row, plain INSERT into the same columns and primary key; no trigger, no
-- hashing, no row-level security
CREATE TABLE bench.evidence_plain (LIKE kyc.evidence INCLUDING DEFAULTS, PRIMARY KEY (application_id, seq));

-- baseline 2: a straightforward PL/pgSQL hash chain: head row locked FOR UPDATE, sha256() over the
-- fields as text and jsonb::text
CREATE TABLE bench.chain_head (application_id uuid PRIMARY KEY, head_seq bigint NOT NULL, head_hash bytea NOT NULL);
INSERT INTO bench.chain_head SELECT id, 0, decode(repeat('00', 32), 'hex') FROM bench.apps;
CREATE TABLE bench.evidence_plpgsql (LIKE kyc.evidence INCLUDING DEFAULTS, PRIMARY KEY (application_id, seq));

CREATE FUNCTION bench.plpgsql_append(app uuid, kind kyc.evidence_kind, cls kyc.data_class, payload jsonb)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    h      bench.chain_head;
    salt   bytea := sha256(random()::text::bytea);
    digest bytea;
    rh     bytea;
    now_   timestamptz := clock_timestamp();
BEGIN
    SELECT * INTO h FROM bench.chain_head WHERE application_id = app FOR UPDATE;
    digest := sha256('kyc.payload.v1'::bytea || salt || convert_to(payload::text, 'UTF8'));
    rh := sha256(convert_to(concat_ws('|', 'bench', app, h.head_seq + 1, encode(h.head_hash, 'hex'), kind, cls,
                                      now_, current_user, encode(digest, 'hex')), 'UTF8'));
    INSERT INTO bench.evidence_plpgsql VALUES ('bench', app, h.head_seq + 1, kind, cls, payload, salt,
        digest::kyc.hash256, 1, h.head_hash::kyc.hash256, rh::kyc.hash256, 1, now_, current_user, 10, NULL);
    UPDATE bench.chain_head SET head_seq = h.head_seq + 1, head_hash = rh WHERE application_id = app;
    RETURN h.head_seq + 1;
END $$;

-- baseline 2b: the same chain in PL/pgSQL, byte for byte the layout of docs/ledger-format.md (so
-- kyc.verify_chain accepts what it writes): the head read under the chain's row lock, salted
-- digest over kyc.canonical_json, length-prefixed big-endian row hash with sha256()
CREATE FUNCTION bench.lp(s text) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN s IS NULL THEN '\xffffffff'::bytea
                ELSE int4send(octet_length(convert_to(s, 'UTF8'))) || convert_to(s, 'UTF8') END $$;
CREATE FUNCTION bench.row_hash(tenant text, app uuid, seq bigint, prev bytea, kind text, cls text,
                               at timestamptz, role text, role_oid oid, principal text, digest bytea)
RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
    SELECT sha256('pg_kyc/row'::bytea || int2send(1::int2) || bench.lp(tenant) || uuid_send(app)
                  || int8send(seq) || prev || bench.lp(kind) || bench.lp(cls)
                  || int8send((extract(epoch FROM at) * 1000000)::bigint) || bench.lp(role)
                  || int4send(role_oid::bigint::int4) || bench.lp(principal) || int2send(1::int2) || digest) $$;
CREATE FUNCTION bench.plpgsql_append_layout(app uuid, kind kyc.evidence_kind, cls kyc.data_class, payload jsonb)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    h      record;
    salt   bytea := sha256(random()::text::bytea);
    digest bytea;
    now_   timestamptz := clock_timestamp();
    prev   bytea;
    seq    bigint;
BEGIN
    PERFORM 1 FROM kyc.application WHERE id = app FOR UPDATE;
    SELECT e.seq, e.row_hash::bytea AS row_hash, e.tenant_id INTO h
    FROM kyc.evidence e WHERE e.application_id = app ORDER BY e.seq DESC LIMIT 1;
    prev := coalesce(h.row_hash, decode(repeat('00', 32), 'hex'));
    seq := coalesce(h.seq, 0) + 1;
    digest := sha256('kyc.payload.v1'::bytea || salt || convert_to(kyc.canonical_json(payload), 'UTF8'));
    INSERT INTO kyc.evidence VALUES (h.tenant_id, app, seq, kind, cls, payload, salt, digest::kyc.hash256, 1,
        prev::kyc.hash256,
        bench.row_hash(h.tenant_id, app, seq, prev, kind::text, cls::text, now_, current_user::text,
                       (SELECT oid FROM pg_roles WHERE rolname = current_user), NULL, digest)::kyc.hash256,
        1, now_, current_user, (SELECT oid FROM pg_roles WHERE rolname = current_user), NULL);
    RETURN seq;
END $$;

-- baseline 3: a straightforward PL/pgSQL verifier of kyc.evidence, in the documented byte layout
-- (sha256() over int2send/int8send/convert_to; the payload serialised with kyc.canonical_json)
CREATE FUNCTION bench.plpgsql_verify() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE r record; prev_app uuid; prev bytea; bad bigint := 0; pd bytea; rh bytea;
BEGIN
    FOR r IN SELECT * FROM kyc.evidence ORDER BY application_id, seq LOOP
        IF prev_app IS DISTINCT FROM r.application_id THEN prev := decode(repeat('00', 32), 'hex'); prev_app := r.application_id; END IF;
        pd := sha256('kyc.payload.v1'::bytea || r.payload_salt || convert_to(kyc.canonical_json(r.payload), 'UTF8'));
        rh := sha256('pg_kyc/row'::bytea || int2send(1::int2) || bench.lp(r.tenant_id) || uuid_send(r.application_id)
                     || int8send(r.seq) || prev || bench.lp(r.kind::text) || bench.lp(r.data_class::text)
                     || int8send((extract(epoch FROM r.recorded_at) * 1000000)::bigint) || bench.lp(r.actor_role::text)
                     || int4send(r.actor_role_oid::bigint::int4) || bench.lp(r.actor_principal) || int2send(1::int2) || pd);
        IF rh <> r.row_hash::bytea OR r.prev_hash::bytea <> prev THEN bad := bad + 1; END IF;
        prev := rh;
    END LOOP;
    RETURN bad;
END $$;

CREATE FUNCTION bench.ms(q text) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz := clock_timestamp(); x bigint;
BEGIN
    EXECUTE q INTO x;
    RETURN round(extract(epoch FROM clock_timestamp() - t0) * 1000, 1);
END $$;
