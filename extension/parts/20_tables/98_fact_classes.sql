-- The data class of facts copied out of their gate (docs/security.md, "What each role sees of AML
-- and fraud facts"). Added after every other column of these tables, as the upgrade adds them.

-- What the application's current state row reveals: the most sensitive of the states its last
-- move joined and of its reason (AML review is SAR-restricted, a reason has its catalog class).
-- Set by the state trigger with every move, never by a writer; the last move's evidence row
-- carries the same class.
ALTER TABLE kyc.application ADD COLUMN state_class kyc.data_class NOT NULL DEFAULT 'internal';
COMMENT ON COLUMN kyc.application.state_class IS
    'data class of the current state, reason and note (set by the state trigger); kyc.application_status withholds them from roles that may not read it';

-- A hold placed by AML may reveal a SAR: SAR-restricted, like its evidence row.
ALTER TABLE kyc.legal_hold ADD COLUMN data_class kyc.data_class NOT NULL DEFAULT 'internal';
COMMENT ON COLUMN kyc.legal_hold.data_class IS
    'sar_restricted when AML placed the hold, else internal; only roles that read the class see or release it';
