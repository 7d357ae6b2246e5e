-- Payload digests hash UTF-8 bytes (docs/ledger-format.md): refuse any other database encoding.
DO $encoding$
BEGIN
    IF pg_catalog.getdatabaseencoding() OPERATOR(pg_catalog.<>) 'UTF8' THEN
        RAISE EXCEPTION 'pg_kyc requires a UTF8 database, this one is %', pg_catalog.getdatabaseencoding()
            USING ERRCODE = 'feature_not_supported',
                  HINT = 'Create the database with ENCODING ''UTF8''.';
    END IF;
END
$encoding$;
