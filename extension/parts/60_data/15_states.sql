-- What each state means (seed 004 §2.1): the distinctions the UI must never blur.
INSERT INTO kyc.state_definition (state, phase, description)
SELECT s::kyc.state, p, d
FROM (VALUES
    ('application_started', 'start', 'the applicant began; no relationship exists yet'),
    ('consent_captured', 'start', 'consent and disclosures for a specific purpose were captured'),
    ('identity_proofing_pending', 'in_progress', 'identity proofing is not complete (not an AML hold)'),
    ('cip_verification_pending', 'in_progress', 'identifying information awaits verification (not a fraud finding)'),
    ('cdd_review_pending', 'in_progress', 'nature and purpose, expected activity or risk profile need completing'),
    ('kyb_review_pending', 'in_progress', 'entity, authority or beneficial ownership under review'),
    ('fraud_review_pending', 'in_progress', 'fraud signals await a reviewer (not a SAR decision)'),
    ('aml_review_pending', 'in_progress', 'AML/CDD/SAR-sensitive review; never shown as such to the customer'),
    ('information_requested', 'in_progress', 'waiting for the applicant to provide information'),
    ('approved_restricted', 'opened', 'account may exist with funding, outflow, transfer or channel limits'),
    ('opened_not_funded', 'opened', 'account created, not yet funded or activated'),
    ('active', 'opened', 'account usable under policy; early-life monitoring continues'),
    ('declined', 'terminal', 'not opened; the reason is owned by the gate that failed'),
    ('abandoned', 'terminal', 'the applicant left or timed out; counted as friction, not success'),
    ('closed', 'terminal', 'exit after opening')
) AS v (s, p, d);
