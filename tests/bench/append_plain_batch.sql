\set n random(1, :apps)
INSERT INTO bench.evidence_plain
SELECT 'bench', id, (random() * 1e15)::bigint, 'signal', 'internal',
       '{"source": "idv_vendor", "gate": "identity_proofing", "result": "pass", "confidence": "high", "score": 0.93, "reason_codes": ["IDV.DOCUMENT_GLARE"]}',
       '\x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
       '47e5103be39618eee3cae148169056bf99bd91ebd26cb3cb25233021441f586e', 1,
       '33bfb3efa8983c55fbf015dd4a0085a2249a5d4e06a61b92a2b7a46cbfe3221a',
       '3b7c400079b0e872fc6ccb7920263ae24c4741caef67c36742dc5a9f3c8b42c5', 1, clock_timestamp(), current_user, 10, NULL
FROM bench.apps, generate_series(1, 20) WHERE n = :n;
