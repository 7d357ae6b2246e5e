-- The tables and views belong to kyc_owner, a NOLOGIN role that no one is granted: no login owns
-- them, so no login can ALTER them (drop a trigger, turn off FORCE ROW LEVEL SECURITY) without
-- being a superuser, and forced row-level security holds for their owner too. Functions stay the
-- installing superuser's: the SECURITY DEFINER API must read every tenant's rows (sealing,
-- verification, export) and superusers bypass row-level security. Last, after the data is loaded.
-- Foreign key checks run as the referenced table's owner, which must reach the schema.
GRANT USAGE ON SCHEMA kyc TO kyc_owner;
DO $owner$
DECLARE
    t text;
BEGIN
    FOR t IN SELECT c.relname FROM pg_catalog.pg_class c
             WHERE c.relnamespace OPERATOR(pg_catalog.=) 'kyc'::pg_catalog.regnamespace
               AND c.relkind OPERATOR(pg_catalog.=) ANY (ARRAY['r', 'v']::"char"[])
    LOOP
        EXECUTE pg_catalog.format('ALTER TABLE kyc.%I OWNER TO kyc_owner', t);
    END LOOP;
END
$owner$;
