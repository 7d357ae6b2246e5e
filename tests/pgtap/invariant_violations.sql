-- kyc.invariant_violations() (docs/concepts.md#invariants): an application driven through the API
-- breaks nothing; gates set behind the API's back are reported, each under its invariant; who may
-- call it, which tenant each caller sees, and a SAR-sensitive finding's detail withheld from those
-- who may not read it. The randomized model test (tests/model/) drives it through every path.
\i tests/setup.sql
SELECT plan(11);

CREATE ROLE inv_auditor LOGIN IN ROLE kyc_auditor;
CREATE ROLE inv_other_auditor LOGIN IN ROLE kyc_auditor;
CREATE ROLE inv_app LOGIN IN ROLE kyc_app;
SELECT kyc.grant_tenant('tap_bank', 'inv_auditor') \g /dev/null
SELECT kyc.grant_tenant('tap_bank', 'inv_app') \g /dev/null
SELECT kyc.grant_tenant('other_bank', 'inv_other_auditor') \g /dev/null

-- through the API: opened, consented, decided (waiting for proofing)
SELECT kyc.open_application('inv-api', 'individual', 'digital_checking', 'US') AS api \gset
SELECT kyc.capture_consent(:'api', 'account_opening', 'disclosures-2026-10', '{"channel": "app"}') \g /dev/null
SELECT kyc.evaluate(:'api') \g /dev/null
SELECT is((SELECT count(*)::int FROM kyc.invariant_violations()), 0, 'an application driven through the API breaks no invariant');

-- behind the API's back: every gate passed by hand, then active (the state trigger alone allows it)
SELECT pg_temp.app_in('active') AS by_hand \gset
SELECT set_eq(
    format('SELECT invariant FROM kyc.invariant_violations() WHERE application_id = %L', :'by_hand'),
    ARRAY['consent_unsupported', 'funding_unsupported', 'active_without_funding_or_consent'],
    'gates set by hand: consent without consent evidence, funding without cleared funding, active without either');

-- an AML gate in review with no task: nobody owns the review
UPDATE kyc.application_gate SET status = 'review', reason_code = 'AML.PEP_MATCH'
WHERE application_id = :'api' AND gate = 'aml';
SELECT is((SELECT detail FROM kyc.invariant_violations()
           WHERE application_id = :'api' AND invariant = 'review_without_owner'),
          'gate aml in review (AML.PEP_MATCH) with no live review task, state identity_proofing_pending',
          'a gate in review without a live task is a review with no owner (a superuser sees the detail)');

-- a gate that needs information from the customer without a request for it
UPDATE kyc.application_gate SET status = 'info_needed', reason_code = 'CIP.SSN_UNVERIFIED'
WHERE application_id = :'api' AND gate = 'cip';
SELECT is((SELECT count(*)::int FROM kyc.invariant_violations()
           WHERE application_id = :'api' AND invariant = 'info_needed_without_request'),
          1, 'a gate that needs information without an open request does not count toward the policy''s bound');

-- an approved_restricted account whose last restriction was lifted behind the API's back
SELECT pg_temp.app_in('approved_restricted') AS restricted \gset
UPDATE kyc.restriction SET lifted_at = now() WHERE application_id = :'restricted';
SELECT ok(EXISTS (SELECT 1 FROM kyc.invariant_violations()
                  WHERE application_id = :'restricted'
                    AND invariant = 'restricted_without_restriction'),
          'approved_restricted with no restriction in force is reported');

-- who sees what
SET LOCAL ROLE inv_auditor;
SELECT is((SELECT detail FROM kyc.invariant_violations()
           WHERE application_id = :'api' AND invariant = 'review_without_owner'),
          'withheld: a gate of class sar_restricted', 'an auditor sees the AML finding, its detail withheld');
SELECT is((SELECT count(*)::int FROM kyc.invariant_violations() WHERE tenant_id IS DISTINCT FROM 'tap_bank'), 0,
          'an auditor sees only the session''s tenant');
RESET ROLE;
SET LOCAL ROLE inv_other_auditor;
SET LOCAL kyc.tenant = 'other_bank';
SELECT is((SELECT count(*)::int FROM kyc.invariant_violations()), 0, 'an auditor of another tenant sees none of them');
SET LOCAL kyc.tenant = 'tap_bank';
SELECT throws_ok('SELECT * FROM kyc.invariant_violations()', '42501', NULL, 'a tenant not granted to the caller is refused');
RESET ROLE;
SET LOCAL kyc.tenant = 'tap_bank';
SET LOCAL ROLE inv_app;
SELECT throws_ok('SELECT * FROM kyc.invariant_violations()', '42501', NULL, 'the service may not call it');
RESET ROLE;
SELECT ok((SELECT count(*) FROM kyc.invariant_violations()) >= 5, 'a superuser sees every finding');

SELECT * FROM finish();
ROLLBACK;
