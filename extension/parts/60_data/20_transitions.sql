-- Allowed moves. Everything else, and anything out of declined, abandoned or closed, is refused.
INSERT INTO kyc.state_transition (from_state, to_state, description)
SELECT f::kyc.state, t::kyc.state, d
FROM (VALUES
    ('application_started', 'consent_captured', 'consent and purpose captured'),
    ('application_started', 'declined', 'ineligible before consent (failed gate)'),
    ('application_started', 'abandoned', 'applicant left or timed out'),

    ('consent_captured', 'application_started', 'consent withdrawn'),
    ('consent_captured', 'identity_proofing_pending', 'proofing under way'),
    ('consent_captured', 'cip_verification_pending', 'CIP verification under way'),
    ('consent_captured', 'cdd_review_pending', 'CDD profile needs review'),
    ('consent_captured', 'kyb_review_pending', 'entity, authority or UBO under review'),
    ('consent_captured', 'fraud_review_pending', 'fraud signals need review'),
    ('consent_captured', 'aml_review_pending', 'AML referral'),
    ('consent_captured', 'information_requested', 'information requested from the applicant'),
    ('consent_captured', 'approved_restricted', 'all critical gates cleared, opened with limits'),
    ('consent_captured', 'opened_not_funded', 'all critical gates cleared, account opened'),
    ('consent_captured', 'declined', 'a gate failed with a decline reason'),
    ('consent_captured', 'abandoned', 'applicant left or timed out')
) AS e (f, t, d);

-- Between the in-progress states any move is legitimate: gates clear, reopen (an expired signal)
-- and escalate in any order. Each may also open the account, decline, be abandoned, or go back to
-- application_started when consent is withdrawn.
INSERT INTO kyc.state_transition (from_state, to_state, description)
SELECT f::kyc.state, t::kyc.state,
       CASE
           WHEN t OPERATOR(pg_catalog.=) 'application_started' THEN 'consent withdrawn'
           WHEN t OPERATOR(pg_catalog.=) 'information_requested' THEN 'information requested from the applicant'
           WHEN t OPERATOR(pg_catalog.=) 'approved_restricted' THEN 'all critical gates cleared, opened with limits'
           WHEN t OPERATOR(pg_catalog.=) 'opened_not_funded' THEN 'all critical gates cleared, account opened'
           WHEN t OPERATOR(pg_catalog.=) 'declined' THEN 'a gate failed with a decline reason'
           WHEN t OPERATOR(pg_catalog.=) 'abandoned' THEN 'applicant left, or a timeout expired'
           WHEN f OPERATOR(pg_catalog.=) 'information_requested' THEN 'applicant responded; the next gate is open'
           ELSE 'the next open gate'
       END
FROM pg_catalog.unnest(ARRAY['identity_proofing_pending', 'cip_verification_pending', 'cdd_review_pending',
                             'kyb_review_pending', 'fraud_review_pending', 'aml_review_pending',
                             'information_requested']) AS f
CROSS JOIN pg_catalog.unnest(ARRAY['application_started', 'identity_proofing_pending', 'cip_verification_pending',
                                   'cdd_review_pending', 'kyb_review_pending', 'fraud_review_pending',
                                   'aml_review_pending', 'information_requested', 'approved_restricted',
                                   'opened_not_funded', 'declined', 'abandoned']) AS t
WHERE f OPERATOR(pg_catalog.<>) t;

INSERT INTO kyc.state_transition (from_state, to_state, description)
SELECT f::kyc.state, t::kyc.state, d
FROM (VALUES
    ('opened_not_funded', 'active', 'funding cleared, account activated'),
    ('opened_not_funded', 'approved_restricted', 'limits imposed before activation'),
    ('opened_not_funded', 'closed', 'exit after opening'),
    ('approved_restricted', 'active', 'restrictions lifted, funding cleared'),
    ('approved_restricted', 'opened_not_funded', 'restrictions lifted before funding'),
    ('approved_restricted', 'closed', 'exit after opening'),
    ('active', 'approved_restricted', 'early-life monitoring imposed limits'),
    ('active', 'closed', 'exit after opening')
) AS e (f, t, d);
