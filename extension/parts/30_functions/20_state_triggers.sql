CREATE FUNCTION kyc.application_guard() RETURNS trigger
    LANGUAGE c
    AS 'MODULE_PATHNAME', 'kyc_application_guard';
COMMENT ON FUNCTION kyc.application_guard() IS
    'BEFORE trigger on kyc.application: enforces the state transition catalog and invariants for every writer';

CREATE FUNCTION kyc.application_record() RETURNS trigger
    LANGUAGE c
    AS 'MODULE_PATHNAME', 'kyc_application_record';
COMMENT ON FUNCTION kyc.application_record() IS
    'AFTER trigger on kyc.application: writes one kyc.state_history row per state entered';
