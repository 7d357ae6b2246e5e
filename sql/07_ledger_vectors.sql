-- The test vectors of docs/ledger-format.md, recomputed by the extension.
\set SHOW_CONTEXT never
\set payload1 '''{"b": [1.50, true, null, "é\\n"], "a": -0.0, "c": {"z": 1e3, "y": "x\\u0001"}, "ab": 2.5E-3}'''
\set payload2 '''{"to": "consent_captured", "from": "application_started", "state_version": 2}'''
\set salt1 '''\\x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'''
\set salt2 '''\\x202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f'''

SELECT kyc.canonical_json(:payload1::jsonb);
SELECT kyc.canonical_json(:payload2::jsonb);

-- canonical forms of numbers, strings and key order
SELECT kyc.canonical_json('{"n": [0, -0, 0.0, 1.0, 10, 1e2, 1.5e-3, -2.50, 123456789012345678901234567890.10]}');
SELECT kyc.canonical_json('{"s": "quote\" back\\ tab\t nl\n cr\r bs\b ff\f u1f\u001f del\u007f é € 😀"}');
SELECT kyc.canonical_json('{"b": 1, "a": 2, "aa": 3, "B": 4, "é": 5, "": 6}');
SELECT kyc.canonical_json('{"deep": {"z": [{"b": 1, "a": [true, false, null]}], "a": {}}, "e": []}');

SELECT kyc.payload_digest_v1(:salt1::bytea, :payload1::jsonb)
     = '47e5103be39618eee3cae148169056bf99bd91ebd26cb3cb25233021441f586e' AS digest1_ok;
SELECT kyc.payload_digest_v1(:salt2::bytea, :payload2::jsonb)
     = '669966b43841d8066aa6ec521002802ce02df0f770b7d82e1cff464473229715' AS digest2_ok;
-- the digest depends on the value, not on how the JSON was written
SELECT kyc.payload_digest_v1(:salt1::bytea, :payload1::jsonb)
     = kyc.payload_digest_v1(:salt1::bytea, '{"ab":0.0025,"a":0,"c":{"y":"x\u0001","z":1000},"b":[1.5,true,null,"é\n"]}')
       AS same_value_same_digest;
SELECT kyc.payload_digest_v1('\x00'::bytea, '{}');

SELECT kyc.row_hash_v1('bank_a', '00112233-4455-6677-8899-aabbccddeeff', 1,
                       '0000000000000000000000000000000000000000000000000000000000000000',
                       'application_snapshot', 'pii', '2026-11-22 00:00:00+00', 'onboarding_svc', 16390, NULL, 1,
                       '47e5103be39618eee3cae148169056bf99bd91ebd26cb3cb25233021441f586e')
     = '33bfb3efa8983c55fbf015dd4a0085a2249a5d4e06a61b92a2b7a46cbfe3221a' AS row1_ok;
SELECT kyc.row_hash_v1('bank_a', '00112233-4455-6677-8899-aabbccddeeff', 2,
                       '33bfb3efa8983c55fbf015dd4a0085a2249a5d4e06a61b92a2b7a46cbfe3221a',
                       'state_change', 'internal', '2026-11-22 00:00:01+00', 'onboarding_svc', 16390, 'emp-42', 1,
                       '669966b43841d8066aa6ec521002802ce02df0f770b7d82e1cff464473229715')
     = '3b7c400079b0e872fc6ccb7920263ae24c4741caef67c36742dc5a9f3c8b42c5' AS row2_ok;
-- the time zone setting does not change a hash
SET TimeZone = 'America/New_York';
SELECT kyc.row_hash_v1('bank_a', '00112233-4455-6677-8899-aabbccddeeff', 1,
                       '0000000000000000000000000000000000000000000000000000000000000000',
                       'application_snapshot', 'pii', '2026-11-21 19:00:00-05', 'onboarding_svc', 16390, NULL, 1,
                       '47e5103be39618eee3cae148169056bf99bd91ebd26cb3cb25233021441f586e')
     = '33bfb3efa8983c55fbf015dd4a0085a2249a5d4e06a61b92a2b7a46cbfe3221a' AS row1_ok_in_new_york;
RESET TimeZone;

CREATE TEMP TABLE leaves AS
SELECT kyc.merkle_leaf_v1('bank_a', '00112233-4455-6677-8899-aabbccddeeff', 2,
                          '3b7c400079b0e872fc6ccb7920263ae24c4741caef67c36742dc5a9f3c8b42c5') AS l1,
       kyc.merkle_leaf_v1('bank_a', 'ffffffff-0000-0000-0000-000000000001', 1, sha256('x')::kyc.hash256) AS l2,
       kyc.merkle_leaf_v1('bank_b', '00000000-0000-0000-0000-000000000002', 5, sha256('y')::kyc.hash256) AS l3;
SELECT l1 = '9f4b7b782d3ae24ba1803c9d09905b8a67f3755ccba2a467526b03b1528ec546' AS leaf1_ok FROM leaves;
SELECT kyc.merkle_root('{}') = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' AS empty_root_ok;
SELECT kyc.merkle_root(ARRAY[l1]) = '9f4b7b782d3ae24ba1803c9d09905b8a67f3755ccba2a467526b03b1528ec546' AS one_leaf_root_ok FROM leaves;
SELECT kyc.merkle_root(ARRAY[l1, l2, l3]) = 'b5970ca6e4752d4838c88a6dd5626f8d8024acffa550f34a447267c116755640' AS three_leaf_root_ok FROM leaves;
SELECT cardinality(kyc.merkle_audit_path(ARRAY[l1, l2, l3], 2)) AS path_len_of_leaf_3 FROM leaves;
SELECT kyc.merkle_audit_path(ARRAY[l1, l2, l3], 3) FROM leaves;

SELECT kyc.seal_digest_v1(1, '2026-11-22 00:01:00+00', 3, 'b5970ca6e4752d4838c88a6dd5626f8d8024acffa550f34a447267c116755640',
                          '0000000000000000000000000000000000000000000000000000000000000000',
                          7391234567890123456, 16384, 'kyc', '0f0e0d0c-0b0a-0908-0706-050403020100')
     = 'f915ad76a3c2823b88c7fd22ec843c8c189baa342506f39281010b74ecfabcfa' AS seal_digest_ok;
-- row_hash_v1 is not STRICT (actor_principal may be NULL); any other NULL gives NULL, never a crash
SELECT kyc.row_hash_v1(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL) IS NULL AS all_null,
       kyc.row_hash_v1('t', gen_random_uuid(), 1, NULL, 'consent', 'pii', now(), 'r', 1, NULL, 1,
                       kyc.hash256(sha256(''))) IS NULL AS prev_hash_null;
