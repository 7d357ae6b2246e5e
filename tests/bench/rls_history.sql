\set n random(1, :apps)
SELECT count(*), max(h.state_version), max(h.reason_code) FROM kyc.state_history h
WHERE h.application_id = (SELECT id FROM bench_eval.apps WHERE signals = :signals AND n = :n);
