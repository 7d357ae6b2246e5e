-- kyc.hash256: 32 bytes, 64 hex digits in text, 32 bytes in binary, btree and hash opclasses.
\set SHOW_CONTEXT never
SELECT '47E5103BE39618EEE3CAE148169056BF99BD91EBD26CB3CB25233021441F586E'::kyc.hash256 AS normalised_to_lower_case;
SELECT sha256('abc')::kyc.hash256 AS from_bytea;
SELECT 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'::kyc.hash256::bytea = sha256('abc') AS to_bytea;

-- bad input is an error naming the type
SELECT 'abc'::kyc.hash256;
SELECT '47e5103be39618eee3cae148169056bf99bd91ebd26cb3cb25233021441f586'::kyc.hash256;
SELECT '47e5103be39618eee3cae148169056bf99bd91ebd26cb3cb25233021441f586e0'::kyc.hash256;
SELECT 'zze5103be39618eee3cae148169056bf99bd91ebd26cb3cb25233021441f586e'::kyc.hash256;
SELECT ''::kyc.hash256;
SELECT '\x0102'::bytea::kyc.hash256;

-- binary send/receive round trip
SELECT kyc.hash256_send(sha256('abc')::kyc.hash256) = sha256('abc') AS send_is_raw_bytes;

-- ordering, equality and hashing
CREATE TEMP TABLE h (v kyc.hash256);
INSERT INTO h SELECT sha256(i::text::bytea)::kyc.hash256 FROM generate_series(1, 1000) i;
SELECT count(*) = count(DISTINCT v) AS distinct_ok FROM h;
SELECT (SELECT v FROM h ORDER BY v LIMIT 1) = (SELECT v FROM h ORDER BY v::bytea LIMIT 1) AS btree_order_is_byte_order;
CREATE INDEX ON h USING btree (v);
CREATE INDEX ON h USING hash (v);
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM h WHERE v = sha256('500')::kyc.hash256;
SELECT count(*) FROM h WHERE v = sha256('500')::kyc.hash256;
SELECT count(*) FROM h WHERE v <> sha256('500')::kyc.hash256;
SELECT count(*) FROM h a JOIN h b ON a.v = b.v;
RESET enable_seqscan;
SELECT sha256('a')::kyc.hash256 < sha256('b')::kyc.hash256 AS lt,
       sha256('a')::kyc.hash256 >= sha256('a')::kyc.hash256 AS ge;
