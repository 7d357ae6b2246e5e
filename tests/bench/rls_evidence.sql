\set n random(1, :apps)
SELECT count(*), sum(pg_column_size(e.payload)) FROM kyc.evidence e
WHERE e.application_id = (SELECT id FROM bench_eval.apps WHERE signals = :signals AND n = :n);
