-- What an evidence row records: the objects of the seed's evidence bundle (seed 004 §5) and the
-- actions around them. docs/ledger.md says what each payload holds.
CREATE TYPE kyc.evidence_kind AS ENUM (
    'application_snapshot',     -- form, channel, product, customer inputs at open
    'consent',                  -- disclosure, consent, purpose, third-party sharing
    'identity_claim',           -- the applicant's core attributes and proofing path
    'evidence_validation',      -- document / attribute validation result
    'identity_verification',    -- face match, liveness, manual check, trusted referee
    'cip_verification',         -- documentary / non-documentary CIP method and result
    'cdd_profile',              -- purpose, expected activity, risk factors, risk tier
    'ubo_package',              -- entity, authority, owners and controllers, attestation
    'fraud_signal',             -- device, network, velocity, synthetic, mule indicators
    'aml_referral',             -- red flags, referral reason, analyst decision
    'signal',                   -- any other decision signal from a model or vendor
    'decision',                 -- outcome, reasons, policy and model versions, inputs
    'gate_decision',            -- a gate's status set by a reviewer or the service
    'state_change',             -- a state transition
    'reviewer_action',          -- a reviewer's claim, note or resolution
    'override',                 -- a human override of a decision (four eyes)
    'notice',                   -- customer communication with template and delivery proof
    'information_request',      -- an RFI and its response
    'restriction',              -- a limit imposed or lifted
    'funding',                  -- funding source and result
    'activation',               -- account activation
    'account_closure',          -- exit after opening: reason, funds to return
    'retention_action',         -- redaction or purge by the retention path
    'evidence_access'           -- a read of a restricted payload
);
COMMENT ON TYPE kyc.evidence_kind IS 'what an evidence row records';
