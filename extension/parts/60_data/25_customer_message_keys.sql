-- The customer message catalog by owner (seed 004 §9: "AML, fraud and product decline share
-- message" is an anti-pattern). Each key belongs to one responsibility line, whose roles approve
-- its wording (kyc.approve_customer_message). A line that may not show its hand (AML) uses the
-- neutral keys of cx, so that its hold and its decline read exactly like any other; a line whose
-- customer can act on the reason (identity, business, product, a stolen identity) has its own.
INSERT INTO kyc.customer_message_key (message_key, owner, approver_roles, description)
SELECT k, o::kyc.owner, r::name[], d
FROM (VALUES
    ('application_received', 'cx', '{kyc_admin}', 'the application arrived; nothing is asked yet'),
    ('consent_required', 'privacy_legal', '{kyc_admin}', 'the disclosures in force are not yet agreed to'),
    ('verification_in_progress', 'cx', '{kyc_admin}', 'checks are running'),
    ('under_review', 'cx', '{kyc_admin}', 'neutral hold, within its SLA: every review reads the same (AML and fraud included)'),
    ('review_delayed', 'cx', '{kyc_admin}', 'neutral hold past its SLA: says so and gives the escalation path'),
    ('additional_information_needed', 'cx', '{kyc_admin}', 'a request for information is open'),
    ('funding_needed', 'deposit_ops', '{kyc_reviewer}', 'the account waits for its first deposit'),
    ('contact_details_needed', 'cx', '{kyc_admin}', 'a notice could not be delivered'),
    ('account_opened_with_limits', 'cx', '{kyc_admin}', 'open with restrictions'),
    ('account_open', 'cx', '{kyc_admin}', 'open, not funded'),
    ('account_active', 'cx', '{kyc_admin}', 'open and funded'),
    ('product_not_available', 'product', '{kyc_admin}', 'product decline: eligibility, with other products to try'),
    ('unable_to_open_account', 'cx', '{kyc_admin}', 'neutral decline: risk policy declines (CDD, AML) read the same'),
    ('verification_not_completed', 'identity_platform', '{kyc_reviewer}', 'identity proofing could not finish: another way to verify'),
    ('identity_not_verified', 'kyc_cip', '{kyc_reviewer}', 'CIP decline: no reasonable belief of identity; how to verify in person'),
    ('business_not_verified', 'kyb_ops', '{kyc_reviewer}', 'KYB decline: the business could not be shown to exist; what to send'),
    ('application_not_confirmed', 'fraud_risk', '{kyc_fraud}', 'fraud decline: the application could not be confirmed as the applicant''s own; recourse for a stolen identity'),
    ('application_expired', 'cx', '{kyc_admin}', 'abandoned or timed out'),
    ('account_closed', 'cx', '{kyc_admin}', 'closed after opening')
) AS m (k, o, r, d);
