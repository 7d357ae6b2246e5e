\set n random(1, :apps)
SELECT kyc.evaluate((SELECT id FROM bench_eval.apps WHERE signals = :signals AND n = :n));
