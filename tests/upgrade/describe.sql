-- Everything pg_kyc owns, one property a line ("object | property"), in a fixed order, so that
-- two databases compare with diff: an updated one against a fresh install (tests/scripts/upgrade.sh).
-- Objects are named by pg_describe_object with only pg_catalog on the search_path, so every kyc
-- name is qualified; no OID is printed, since OIDs differ between databases. Then the shipped rows
-- of the catalog tables (the \gexec at the end). Run with psql -XAtq as a superuser.
SET search_path = pg_catalog;

WITH ext AS (
    SELECT * FROM pg_extension WHERE extname = 'pg_kyc'
), m AS (				-- the members, and the row types of member composite types
    SELECT d.classid, d.objid, pg_describe_object(d.classid, d.objid, 0) AS k
    FROM pg_depend d, ext
    WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
), rel AS (
    SELECT c.*, m.k FROM pg_class c JOIN m ON m.classid = 'pg_class'::regclass AND m.objid = c.oid
    UNION ALL
    SELECT c.*, m.k FROM pg_class c JOIN pg_type t ON t.typrelid = c.oid AND c.relkind = 'c'
    JOIN m ON m.classid = 'pg_type'::regclass AND m.objid = t.oid
), fn AS (
    SELECT p.*, m.k FROM pg_proc p JOIN m ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid
), typ AS (
    SELECT t.*, m.k FROM pg_type t JOIN m ON m.classid = 'pg_type'::regclass AND m.objid = t.oid
), lines (k, n, line) AS (
    -- the extension: members, schema, pg_dump registrations (by table name, in name order)
    SELECT 'extension pg_kyc', 0, 'member ' || k FROM m
    UNION ALL
    SELECT 'extension pg_kyc', 0, format('schema %s relocatable %s', extnamespace::regnamespace, extrelocatable) FROM ext
    UNION ALL
    SELECT 'extension pg_kyc', 0, format('config dump %s %L', c::regclass, cond)
    FROM ext, unnest(extconfig, extcondition) AS u (c, cond)
    UNION ALL
    -- comments of every member, and of columns
    SELECT m.k, 0, 'comment ' || coalesce(quote_literal(d.description), 'none')
    FROM m LEFT JOIN pg_description d ON d.classoid = m.classid AND d.objoid = m.objid AND d.objsubid = 0
    UNION ALL
    SELECT rel.k, 0, format('comment on column %I %L', a.attname, d.description)
    FROM rel JOIN pg_description d ON d.classoid = 'pg_class'::regclass AND d.objoid = rel.oid AND d.objsubid > 0
    JOIN pg_attribute a ON a.attrelid = rel.oid AND a.attnum = d.objsubid
    UNION ALL
    -- the privileges as of CREATE/ALTER EXTENSION, which pg_dump leaves to the extension
    SELECT m.k, 0, format('initial privileges%s %s %s', ' of column ' || quote_ident(a.attname), i.privtype,
                          (SELECT string_agg(x::text, ' ' ORDER BY x::text) FROM unnest(i.initprivs) x))
    FROM m JOIN pg_init_privs i ON i.classoid = m.classid AND i.objoid = m.objid
    LEFT JOIN pg_attribute a ON i.classoid = 'pg_class'::regclass AND a.attrelid = i.objoid AND a.attnum = i.objsubid AND i.objsubid > 0
    UNION ALL
    -- schemas
    SELECT m.k, 0, format('owner %s acl %s', pg_get_userbyid(s.nspowner),
                          (SELECT string_agg(a::text, ' ' ORDER BY a::text) FROM unnest(coalesce(s.nspacl, acldefault('n', s.nspowner))) a))
    FROM m JOIN pg_namespace s ON m.classid = 'pg_namespace'::regclass AND s.oid = m.objid
    UNION ALL
    -- functions: the whole definition (language, volatility, strictness, security, SET, body),
    -- then owner and privileges
    SELECT fn.k, d.n, d.line
    FROM fn, regexp_split_to_table(pg_get_functiondef(fn.oid), E'\n') WITH ORDINALITY AS d (line, n)
    WHERE fn.prokind <> 'a'
    UNION ALL
    SELECT fn.k, 1, format('aggregate transition %s %s final %s combine %s initial %L', a.aggtransfn::regprocedure,
                           a.aggtranstype::regtype, a.aggfinalfn, a.aggcombinefn, a.agginitval)
    FROM fn JOIN pg_aggregate a ON a.aggfnoid = fn.oid
    UNION ALL
    SELECT fn.k, 0, format('owner %s acl %s', pg_get_userbyid(fn.proowner),
                           (SELECT string_agg(a::text, ' ' ORDER BY a::text) FROM unnest(coalesce(fn.proacl, acldefault('f', fn.proowner))) a))
    FROM fn
    UNION ALL
    -- tables, views, composite types
    SELECT k, 0, format('kind %s owner %s persistence %s replica identity %s options %s row level security %s forced %s',
                        relkind, pg_get_userbyid(relowner), relpersistence, relreplident, coalesce(reloptions::text, 'none'),
                        relrowsecurity, relforcerowsecurity)
    FROM rel
    UNION ALL
    SELECT k, 0, 'acl ' || (SELECT string_agg(a::text, ' ' ORDER BY a::text)
                            FROM unnest(coalesce(relacl, acldefault(CASE relkind WHEN 'S' THEN 's' ELSE 'r' END::"char", relowner))) a)
    FROM rel WHERE relkind <> 'c'
    UNION ALL
    SELECT k, 0, format('column %s %I %s%s%s%s%s%s storage %s compression %s statistics %s acl %s', lpad(pos::text, 3, '0'),
                        attname, format_type(atttypid, atttypmod),
                        CASE WHEN attcollation <> typcollation THEN ' collate ' || attcollation::regcollation END,
                        CASE WHEN attnotnull THEN ' not null' END, ' default ' || def,
                        ' identity ' || nullif(attidentity, '')::text,
                        ' generated ' || nullif(attgenerated, '')::text,
                        attstorage, coalesce(nullif(attcompression, '')::text, '-'), attstattarget, coalesce(attacl::text, 'none'))
    FROM (SELECT rel.k, a.*, t.typcollation, pg_get_expr(ad.adbin, ad.adrelid) AS def,
                 row_number() OVER (PARTITION BY rel.oid ORDER BY a.attnum) AS pos
          FROM rel JOIN pg_attribute a ON a.attrelid = rel.oid AND a.attnum > 0 AND NOT a.attisdropped
          JOIN pg_type t ON t.oid = a.atttypid
          LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum) c
    UNION ALL
    SELECT rel.k, 0, format('constraint %I %s', c.conname, pg_get_constraintdef(c.oid))
    FROM rel JOIN pg_constraint c ON c.conrelid = rel.oid
    UNION ALL
    SELECT rel.k, 0, format('index %s%s%s comment %L', pg_get_indexdef(i.indexrelid), CASE WHEN i.indisclustered THEN ' clustered' END,
                            CASE WHEN i.indisreplident THEN ' replica identity' END, obj_description(i.indexrelid, 'pg_class'))
    FROM rel JOIN pg_index i ON i.indrelid = rel.oid
    UNION ALL
    SELECT rel.k, 0, format('trigger %s enabled %s comment %L', pg_get_triggerdef(t.oid), t.tgenabled, obj_description(t.oid, 'pg_trigger'))
    FROM rel JOIN pg_trigger t ON t.tgrelid = rel.oid AND NOT t.tgisinternal
    UNION ALL
    SELECT rel.k, 0, format('policy %I %s %s to %s using %s with check %s', p.polname, p.polcmd,
                            CASE WHEN p.polpermissive THEN 'permissive' ELSE 'restrictive' END,
                            (SELECT string_agg(CASE r WHEN 0 THEN 'public' ELSE pg_get_userbyid(r)::text END, ',' ORDER BY 1)
                             FROM unnest(p.polroles) r),
                            pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid))
    FROM rel JOIN pg_policy p ON p.polrelid = rel.oid
    UNION ALL
    SELECT rel.k, 0, format('rule %s enabled %s', pg_get_ruledef(r.oid), r.ev_enabled)
    FROM rel JOIN pg_rewrite r ON r.ev_class = rel.oid AND r.rulename <> '_RETURN'
    UNION ALL
    SELECT rel.k, 0, 'statistics ' || pg_get_statisticsobjdef(s.oid)
    FROM rel JOIN pg_statistic_ext s ON s.stxrelid = rel.oid
    UNION ALL
    SELECT rel.k, 0, format('sequence %s start %s increment %s min %s max %s cache %s cycle %s', s.seqtypid::regtype, s.seqstart,
                            s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle)
    FROM rel JOIN pg_sequence s ON s.seqrelid = rel.oid
    UNION ALL
    SELECT rel.k, d.n, d.line
    FROM rel, regexp_split_to_table(pg_get_viewdef(rel.oid), E'\n') WITH ORDINALITY AS d (line, n)
    WHERE rel.relkind IN ('v', 'm')
    UNION ALL
    -- types: enum labels in their order, base and domain definitions
    SELECT k, 0, format('type %s owner %s acl %s', typtype, pg_get_userbyid(typowner),
                        (SELECT string_agg(a::text, ' ' ORDER BY a::text) FROM unnest(coalesce(typacl, acldefault('T', typowner))) a))
    FROM typ
    UNION ALL
    SELECT typ.k, row_number() OVER (PARTITION BY typ.oid ORDER BY e.enumsortorder), 'label ' || e.enumlabel
    FROM typ JOIN pg_enum e ON e.enumtypid = typ.oid
    UNION ALL
    SELECT k, 0, format('base length %s byval %s align %s storage %s category %s preferred %s delimiter %s input %s output %s receive %s send %s modin %s modout %s analyze %s subscript %s element %s collation %s default %L',
                        typlen, typbyval, typalign, typstorage, typcategory, typispreferred, typdelim, typinput, typoutput,
                        typreceive, typsend, typmodin, typmodout, typanalyze, typsubscript, typelem::regtype,
                        typcollation::regcollation, typdefault)
    FROM typ WHERE typtype = 'b'
    UNION ALL
    SELECT k, 0, format('domain over %s not null %s default %L', format_type(typbasetype, typtypmod), typnotnull, typdefault)
    FROM typ WHERE typtype = 'd'
    UNION ALL
    SELECT typ.k, 0, format('constraint %I %s', c.conname, pg_get_constraintdef(c.oid))
    FROM typ JOIN pg_constraint c ON c.contypid = typ.oid
    UNION ALL
    -- operators, operator classes and families, casts
    SELECT m.k, 0, format('function %s result %s commutator %s negator %s restrict %s join %s merges %s hashes %s owner %s',
                          o.oprcode, o.oprresult::regtype, o.oprcom::regoperator, o.oprnegate::regoperator, o.oprrest,
                          o.oprjoin, o.oprcanmerge, o.oprcanhash, pg_get_userbyid(o.oprowner))
    FROM m JOIN pg_operator o ON m.classid = 'pg_operator'::regclass AND o.oid = m.objid
    UNION ALL
    SELECT m.k, 0, format('type %s default %s %s key %s', c.opcintype::regtype, c.opcdefault,
                          pg_describe_object('pg_opfamily'::regclass, c.opcfamily, 0), c.opckeytype::regtype)
    FROM m JOIN pg_opclass c ON m.classid = 'pg_opclass'::regclass AND c.oid = m.objid
    UNION ALL
    SELECT m.k, 0, format('operator %s %s purpose %s', o.amopstrategy, o.amopopr::regoperator, o.amoppurpose)
    FROM m JOIN pg_amop o ON m.classid = 'pg_opfamily'::regclass AND o.amopfamily = m.objid
    UNION ALL
    SELECT m.k, 0, format('function %s (%s, %s) %s', p.amprocnum, p.amproclefttype::regtype, p.amprocrighttype::regtype,
                          p.amproc::regprocedure)
    FROM m JOIN pg_amproc p ON m.classid = 'pg_opfamily'::regclass AND p.amprocfamily = m.objid
    UNION ALL
    SELECT m.k, 0, format('function %s context %s method %s', nullif(c.castfunc, 0)::regprocedure, c.castcontext, c.castmethod)
    FROM m JOIN pg_cast c ON m.classid = 'pg_cast'::regclass AND c.oid = m.objid
)
-- one line per property: the newlines of a deparsed expression are folded (not those of a body)
SELECT k || ' | ' || CASE WHEN n = 0 THEN regexp_replace(line, '\s*\n\s*', ' ', 'g') ELSE line END
FROM lines ORDER BY k, n, line;

-- The shipped rows of every member table: all rows of a table pg_dump skips, the rows outside the
-- dump filter of a table dumped with one, none of a table dumped whole (the bank's data). Times
-- are the install's own (now() at CREATE EXTENSION), so only whether one is set is compared;
-- kyc.ledger_identity is left out (drawn per database).
SELECT format('SELECT %L || '' | row '' || r FROM (SELECT (pg_catalog.to_jsonb(t)%s)::text AS r FROM %s t%s) s ORDER BY r',
              pg_describe_object('pg_class'::regclass, c.oid, 0),
              (SELECT format(' OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object(%s)',
                             string_agg(format('%L, t.%I IS NOT NULL', a.attname, a.attname), ', ' ORDER BY a.attnum))
               FROM pg_attribute a
               WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                 AND a.atttypid IN ('timestamptz'::regtype, 'timestamp'::regtype)),
              c.oid::regclass,
              CASE WHEN u.cond IS NOT NULL
                   THEN format(' WHERE (%s) IS NOT TRUE', regexp_replace(u.cond, '^\s*WHERE\s+', '', 'i')) END)
FROM pg_extension e
JOIN pg_depend d ON d.refclassid = 'pg_extension'::regclass AND d.refobjid = e.oid AND d.deptype = 'e'
                AND d.classid = 'pg_class'::regclass
JOIN pg_class c ON c.oid = d.objid AND c.relkind = 'r'
LEFT JOIN unnest(e.extconfig, e.extcondition) AS u (tab, cond) ON u.tab = c.oid
WHERE e.extname = 'pg_kyc' AND c.relname <> 'ledger_identity' AND coalesce(u.cond, '-') <> ''
ORDER BY c.relname
\gexec
