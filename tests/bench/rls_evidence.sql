\set n random(1, :apps)
SELECT count(*), max(e.seq), max(e.row_hash::text) FROM kyc.evidence e
WHERE e.application_id = (SELECT id FROM bench_eval.apps WHERE signals = :signals AND n = :n);
