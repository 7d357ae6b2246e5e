\set n random(1, :apps)
SELECT bench.plpgsql_append_layout((SELECT id FROM bench.apps WHERE n = :n), 'signal', 'internal',
       '{"source": "idv_vendor", "gate": "identity_proofing", "result": "pass", "confidence": "high", "score": 0.93, "reason_codes": ["IDV.DOCUMENT_GLARE"]}');
