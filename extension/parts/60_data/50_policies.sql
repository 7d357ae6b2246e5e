-- The shipped default policies (tenant "*"): digital checking for individuals and small-business
-- checking, both for any jurisdiction and eligible in the US only. A bank drafts its own versions from them (kyc.draft_policy) and
-- publishes them (four eyes); its own policy then takes precedence. docs/decisioning.md explains them.
INSERT INTO kyc.policy (id, tenant_id, product, jurisdiction, version, description, eligible_kinds,
                        eligible_jurisdictions, risk_medium, risk_high, risk_prohibited, restrict_when_tier,
                        restriction_kind, restriction_reason, restriction_lift, author)
VALUES
    ('00000000-0000-4000-8000-00000000dc01', '*', 'digital_checking', '*', 1,
     'digital checking for individuals, US: proofing, CIP, CDD, fraud and AML screening; high risk opens with a funding limit',
     '{individual}', '{US}', 30, 60, 100, '{high}', 'funding_limit', 'CDD.HIGH_RISK_PROFILE',
     '90 days of activity consistent with the stated purpose, then a compliance review', 'pg_kyc'),
    ('00000000-0000-4000-8000-0000000005b1', '*', 'small_business_checking', '*', 1,
     'small-business checking, US: entity, authority and beneficial owners (KYB/UBO) on top of the individual gates',
     '{business}', '{US}', 30, 60, 100, '{high}', 'no_outbound_transfers', 'CDD.HIGH_RISK_PROFILE',
     'beneficial ownership verified and 60 days of expected activity', 'pg_kyc');

-- Rules common to both: the first matching rule wins. A proofing pass settles identity_proofing
-- only; CIP needs its own signal. Failures of proofing go to a person (an alternate path), never
-- straight to a decline; only a high-confidence confirmed finding declines.
INSERT INTO kyc.policy_rule (policy_id, rule_no, gate, result, reason_code, min_confidence, status, decision_reason, queue, sla)
SELECT p.id, r.n, r.g::kyc.gate, r.res::kyc.signal_result, r.rc, r.mc::kyc.confidence, r.st::kyc.gate_status, r.dr, r.q, r.sla::interval
FROM kyc.policy p
CROSS JOIN (VALUES
    (10, 'identity_proofing', 'pass', NULL, 'medium', 'passed', NULL, NULL, NULL),
    (11, 'identity_proofing', 'pass', NULL, NULL, 'review', 'IDV.LOW_CONFIDENCE', 'kyc_ops', '1 day'),
    (12, 'identity_proofing', 'inconclusive', 'IDV.DOCUMENT_GLARE', NULL, 'info_needed', 'IDV.DOCUMENT_GLARE', NULL, NULL),
    (13, 'identity_proofing', 'inconclusive', 'IDV.ADDRESS_MISMATCH', NULL, 'info_needed', 'IDV.ADDRESS_MISMATCH', NULL, NULL),
    (14, 'identity_proofing', 'inconclusive', 'IDV.DOCUMENT_EXPIRED', NULL, 'info_needed', 'IDV.DOCUMENT_EXPIRED', NULL, NULL),
    (15, 'identity_proofing', 'fail', 'IDV.LIVENESS_FAILED', NULL, 'review', 'IDV.LIVENESS_FAILED', 'kyc_ops', '1 day'),
    (16, 'identity_proofing', 'inconclusive', NULL, NULL, 'review', 'IDV.LOW_CONFIDENCE', 'kyc_ops', '1 day'),
    (17, 'identity_proofing', 'fail', NULL, NULL, 'review', 'IDV.LIVENESS_FAILED', 'kyc_ops', '1 day'),
    (20, 'cip', 'pass', NULL, 'medium', 'passed', NULL, NULL, NULL),
    (21, 'cip', 'inconclusive', 'CIP.SSN_UNVERIFIED', NULL, 'info_needed', 'CIP.SSN_UNVERIFIED', NULL, NULL),
    (22, 'cip', 'fail', 'CIP.UNABLE_TO_VERIFY', 'high', 'failed', 'CIP.UNABLE_TO_VERIFY', NULL, NULL),
    (23, 'cip', 'fail', NULL, NULL, 'review', 'CIP.NAME_DOB_MISMATCH', 'kyc_ops', '2 days'),
    (24, 'cip', 'inconclusive', NULL, NULL, 'review', 'CIP.NAME_DOB_MISMATCH', 'kyc_ops', '2 days'),
    (30, 'cdd', 'pass', NULL, NULL, 'passed', NULL, NULL, NULL),
    (31, 'cdd', 'inconclusive', 'CDD.PURPOSE_MISSING', NULL, 'info_needed', 'CDD.PURPOSE_MISSING', NULL, NULL),
    (32, 'cdd', 'refer', NULL, NULL, 'review', 'CDD.EDD_REQUIRED', 'aml_ops', '3 days'),
    (40, 'fraud', 'pass', NULL, 'medium', 'passed', NULL, NULL, NULL),
    (41, 'fraud', 'fail', 'FRAUD.CONFIRMED', 'high', 'failed', 'FRAUD.CONFIRMED', NULL, NULL),
    (42, 'fraud', 'refer', 'FRAUD.DEVICE_RISK', NULL, 'review', 'FRAUD.DEVICE_RISK', 'fraud_ops', '1 day'),
    (43, 'fraud', 'refer', NULL, NULL, 'review', 'FRAUD.SYNTHETIC_IDENTITY', 'fraud_ops', '1 day'),
    (44, 'fraud', 'fail', NULL, NULL, 'review', 'FRAUD.SYNTHETIC_IDENTITY', 'fraud_ops', '1 day'),
    (45, 'fraud', 'pass', NULL, NULL, 'review', 'FRAUD.DEVICE_RISK', 'fraud_ops', '1 day'),
    (50, 'aml', 'pass', NULL, NULL, 'passed', NULL, NULL, NULL),
    (51, 'aml', 'fail', 'AML.SANCTIONS_CONFIRMED', 'high', 'failed', 'AML.SANCTIONS_CONFIRMED', NULL, NULL),
    (52, 'aml', 'refer', 'AML.SANCTIONS_POTENTIAL_MATCH', NULL, 'review', 'AML.SANCTIONS_POTENTIAL_MATCH', 'aml_ops', '1 day'),
    (53, 'aml', 'refer', 'AML.PEP_MATCH', NULL, 'review', 'AML.PEP_MATCH', 'aml_ops', '2 days'),
    (54, 'aml', 'refer', NULL, NULL, 'review', 'AML.REFERRAL', 'aml_ops', '2 days'),
    (55, 'aml', 'fail', NULL, NULL, 'review', 'AML.REFERRAL', 'aml_ops', '1 day'),
    (60, 'funding', 'pass', NULL, NULL, 'passed', NULL, NULL, NULL),
    (61, 'funding', 'fail', 'FUND.RETURNED', NULL, 'review', 'FUND.RETURNED', 'deposit_ops', '1 day'),
    (62, 'eligibility', 'fail', 'ELIG.UNDERAGE', 'high', 'failed', 'ELIG.UNDERAGE', NULL, NULL)
) AS r (n, g, res, rc, mc, st, dr, q, sla);

-- KYB/UBO rules of the small-business policy
INSERT INTO kyc.policy_rule (policy_id, rule_no, gate, result, reason_code, min_confidence, status, decision_reason, queue, sla)
SELECT '00000000-0000-4000-8000-0000000005b1', r.n, 'kyb_ubo', r.res::kyc.signal_result, r.rc, r.mc::kyc.confidence,
       r.st::kyc.gate_status, r.dr, r.q, r.sla::interval
FROM (VALUES
    (70, 'pass', NULL, 'medium', 'passed', NULL, NULL, NULL),
    (71, 'inconclusive', 'KYB.UBO_INCOMPLETE', NULL, 'info_needed', 'KYB.UBO_INCOMPLETE', NULL, NULL),
    (72, 'refer', 'KYB.REGISTRY_MISMATCH', NULL, 'review', 'KYB.REGISTRY_MISMATCH', 'kyb_ops', '2 days'),
    (73, 'refer', 'KYB.AUTHORITY_UNVERIFIED', NULL, 'review', 'KYB.AUTHORITY_UNVERIFIED', 'kyb_ops', '2 days'),
    (74, 'fail', 'KYB.ENTITY_NOT_FOUND', 'high', 'failed', 'KYB.ENTITY_NOT_FOUND', NULL, NULL),
    (75, 'fail', NULL, NULL, 'review', 'KYB.REGISTRY_MISMATCH', 'kyb_ops', '2 days'),
    (76, 'refer', NULL, NULL, 'review', 'KYB.REGISTRY_MISMATCH', 'kyb_ops', '2 days')
) AS r (n, res, rc, mc, st, dr, q, sla);

-- CDD risk: weighted factors; the tier decides a restricted approval (high) or a decline (prohibited)
INSERT INTO kyc.policy_risk_factor (policy_id, factor, value, weight)
SELECT p.id, f.factor, f.value, f.weight
FROM kyc.policy p
CROSS JOIN (VALUES
    ('channel', 'partner', 20),
    ('segment', 'cash_intensive', 35),
    ('segment', 'high_risk_geography', 40),
    ('cdd_reason', 'CDD.HIGH_RISK_PROFILE', 60),
    ('cdd_reason', 'CDD.PROHIBITED_PROFILE', 100)
) AS f (factor, value, weight);

-- Timeouts while the bank waits on the applicant (review states wait on the bank: never abandoned).
INSERT INTO kyc.policy_timeout (policy_id, state, abandon_after)
SELECT p.id, t.s::kyc.state, t.i::interval
FROM kyc.policy p
CROSS JOIN (VALUES ('application_started', '7 days'), ('consent_captured', '14 days'),
                   ('identity_proofing_pending', '14 days'), ('cip_verification_pending', '14 days')) AS t (s, i);

-- Early-life monitoring of the first 90 days: any returned funding, outbound transfers of 80% of
-- the cleared funding within 48 hours of it, or three distinct new devices within 7 days restrict
-- the account and send it to fraud operations.
INSERT INTO kyc.policy_early_life_rule (policy_id, rule, monitor_for, within, threshold, restriction_kind, reason_code, queue, sla)
SELECT p.id, r.rule::kyc.early_life_rule_kind, '90 days', r.within::interval, r.threshold, r.kind::kyc.restriction_kind,
       'FRAUD.EARLY_LIFE_ACTIVITY', 'fraud_ops', '1 day'
FROM kyc.policy p
CROSS JOIN (VALUES ('funding_returned', '90 days', 1, 'deposit_hold'),
                   ('rapid_outflow', '48 hours', 0.8, 'no_outbound_transfers'),
                   ('device_churn', '7 days', 3, 'channel_limit')) AS r (rule, within, threshold, kind);

-- Published by the release, not by the author (four eyes applies to shipped policies too).
UPDATE kyc.policy p
   SET status = 'published', publisher = 'pg_kyc_release', published_at = pg_catalog.now(),
       content_digest = pg_catalog.sha256(pg_catalog.convert_to(kyc.canonical_json(kyc.policy_document(p.id)), 'UTF8'))::kyc.hash256,
       document = kyc.policy_document(p.id)
 WHERE p.tenant_id OPERATOR(pg_catalog.=) '*';

