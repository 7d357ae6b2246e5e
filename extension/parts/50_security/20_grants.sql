-- Nothing is granted to PUBLIC. Group roles get the schema, read access to the catalogs and their
-- own tenant's rows, and EXECUTE on the API functions they need. docs/security.md has the matrix.
REVOKE ALL ON SCHEMA kyc FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA kyc FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA kyc FROM PUBLIC;

GRANT USAGE ON SCHEMA kyc TO kyc_app, kyc_reviewer, kyc_fraud, kyc_aml, kyc_cx, kyc_auditor, kyc_admin;

GRANT SELECT ON kyc.gate_definition, kyc.state_definition, kyc.state_transition, kyc.reason_code
    TO kyc_app, kyc_reviewer, kyc_fraud, kyc_aml, kyc_auditor, kyc_admin;
GRANT SELECT ON kyc.application, kyc.application_gate, kyc.restriction, kyc.state_history
    TO kyc_app, kyc_reviewer, kyc_fraud, kyc_aml, kyc_auditor, kyc_admin;

GRANT EXECUTE ON FUNCTION kyc.current_tenant(), kyc.caller()
    TO kyc_app, kyc_reviewer, kyc_fraud, kyc_aml, kyc_cx, kyc_auditor, kyc_admin;
GRANT EXECUTE ON FUNCTION kyc.application_id(text), kyc.next_states(uuid), kyc.state_diagram(text),
                          kyc.state_diagram_nodes(), kyc.state_diagram_is_mesh(text)
    TO kyc_app, kyc_reviewer, kyc_fraud, kyc_aml, kyc_auditor, kyc_admin;
GRANT EXECUTE ON FUNCTION kyc.open_application(text, kyc.applicant_kind, text, text, kyc.channel, text)
    TO kyc_app;
GRANT EXECUTE ON FUNCTION kyc.transition(uuid, kyc.state, text, text),
                          kyc.set_gate(uuid, kyc.gate, kyc.gate_status, text, text),
                          kyc.impose_restriction(uuid, kyc.restriction_kind, text, text)
    TO kyc_app, kyc_reviewer, kyc_fraud, kyc_aml;
