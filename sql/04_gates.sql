-- Recording gate decisions with kyc.set_gate(): who may decide which gate, waivers, reasons.
\set SHOW_CONTEXT never
SET kyc.tenant = 'bank_a';
SET ROLE regress_app;
SELECT kyc.open_application('gates-001', 'individual', 'digital_checking', 'US') AS app \gset
\set gates 'SELECT gate, status, reason_code, note, decided_by FROM kyc.application_gate WHERE application_id = :''app'' ORDER BY gate;'

-- the service may record consent and funding facts, not review outcomes
SELECT kyc.set_gate(:'app', 'fraud', 'passed');
SELECT kyc.set_gate(:'app', 'cip', 'passed');
-- a review or failure needs a reason code of that gate
SET ROLE regress_reviewer;
SELECT kyc.set_gate(:'app', 'cip', 'review');
SELECT kyc.set_gate(:'app', 'cip', 'failed', 'FRAUD.CONFIRMED');
SELECT kyc.set_gate(:'app', 'cip', 'failed', 'CIP.NOT_A_CODE');
-- critical gates are never not_applicable
SELECT kyc.set_gate(:'app', 'cip', 'not_applicable');
SELECT kyc.set_gate(NULL, 'gate_x', 'passed');
SELECT kyc.set_gate(:'app', 'cip', NULL);
:gates

-- waivers need a reviewer role, a waivable gate and a reason
SET ROLE regress_app;
SELECT kyc.set_gate(:'app', 'communication', 'waived', NULL, 'customer in branch');
SET ROLE regress_reviewer;
SELECT kyc.set_gate(:'app', 'cip', 'waived');
SELECT kyc.set_gate(:'app', 'cip', 'waived', NULL, '   ');
SELECT kyc.set_gate(:'app', 'eligibility', 'waived', NULL, 'exception approved');
:gates
SELECT kyc.set_gate(:'app', 'cip', 'waived', NULL, 'documentary verification in branch, ticket 4411');
SELECT kyc.set_gate(:'app', 'cip', 'review', 'CIP.NAME_DOB_MISMATCH', 'DOB off by one day');
:gates
RESET ROLE;
