-- Raises invalid_parameter_value naming the field; usable inside SQL expressions (returns text
-- only to type-check: it never returns).
CREATE FUNCTION kyc.raise_invalid_parameter(field text, hint text) RETURNS text
LANGUAGE plpgsql VOLATILE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    RAISE EXCEPTION 'invalid value for field "%"', field
        USING ERRCODE = 'invalid_parameter_value', HINT = hint;
END
$fn$;
COMMENT ON FUNCTION kyc.raise_invalid_parameter(text, text) IS
    'internal: raise invalid_parameter_value for a field, from inside an SQL expression';
