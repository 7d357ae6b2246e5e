-- This database's ledger incarnation: drawn once, named by every seal.
INSERT INTO kyc.ledger_identity (incarnation) VALUES (pg_catalog.gen_random_uuid());
