/*-------------------------------------------------------------------------
 *
 * consent.c
 *	  kyc.capture_consent: consent and purpose capture, which settles the
 *	  consent gate.
 *
 * The consent is evidence of kind consent, customer_safe (the customer may
 * see what they agreed to), followed by the gate's gate_decision row.  The
 * checks keep the order and the texts of the PL/pgSQL version
 * (sql/09_signals.sql shows them).  Only consent to the purpose and the
 * disclosure version of the application's policy passes the gate: consent to
 * marketing, or to last year's disclosures, is refused and writes nothing.
 * Withdrawal stays in SQL.
 *
 * IDENTIFICATION
 *	  src/consent.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_collation.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"

#include "application_lock.h"
#include "caller.h"
#include "gate_record.h"
#include "jsonbuild.h"
#include "kyc_relation.h"
#include "ledger.h"
#include "spi_safe.h"

/* the purpose and disclosure version the application's pinned policy asks for */
static KycPlan required_consent_plan = {
	"SELECT p.consent_purpose, p.disclosure_version, p.product"
	" FROM kyc.application a JOIN kyc.policy p ON p.id = a.policy_id"
	" WHERE a.id = $1",
	1, {UUIDOID}
};

/*
 * ConsentPayload
 *		{"action": "given", "purpose", "disclosure_version", "channel_proof"}.
 */
static Jsonb *
ConsentPayload(const char *purpose, const char *disclosure_version, Jsonb *channel_proof)
{
	JsonbParseState *st = NULL;
	JsonbValue	k;
	JsonbValue	v;

	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	KycJsonbPushString(&st, "action", "given");
	KycJsonbPushString(&st, "purpose", purpose);
	KycJsonbPushString(&st, "disclosure_version", disclosure_version);
	k.type = jbvString;
	k.val.string.val = "channel_proof";
	k.val.string.len = strlen("channel_proof");
	pushJsonbValue(&st, WJB_KEY, &k);
	v.type = jbvBinary;
	v.val.binary.data = &channel_proof->root;
	v.val.binary.len = VARSIZE(channel_proof) - VARHDRSZ;
	pushJsonbValue(&st, WJB_VALUE, &v);
	return JsonbValueToJsonb(pushJsonbValue(&st, WJB_END_OBJECT, NULL));
}

/*
 * CheckConsentFits
 *		Consent passes the gate only for the purpose and disclosure version of
 *		the product's policy; an application without a policy has nothing to
 *		consent to yet.
 */
static void
CheckConsentFits(Datum app, const char *purpose, const char *disclosure_version)
{
	int			nest;
	char	   *want_purpose = NULL;
	char	   *want_version = NULL;
	char	   *product = NULL;

	/* a database not yet updated to 0.3.0 runs this library too: its policies name no consent */
	if (get_attnum(KycRelationId("policy"), "consent_purpose") == InvalidAttrNumber)
		return;
	nest = KycSpiConnect();
	KycSpiExec(&required_consent_plan, &app, NULL, false, 1);
	if (SPI_processed == 1)
	{
		want_purpose = KycSpiGetText(0, 1);
		want_version = KycSpiGetText(0, 2);
		product = KycSpiGetText(0, 3);
	}
	KycSpiFinish(nest);
	if (want_purpose == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the application has no policy that says what consent it needs"),
				 errhint("An application pins the policy in force for its product when it opens.")));
	if (strcmp(purpose, want_purpose) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("consent to purpose \"%s\" does not cover product \"%s\"", purpose, product),
				 errdetail("The product needs consent to purpose \"%s\".", want_purpose),
				 errhint("Consent to another purpose (marketing, say) is recorded by the service that uses it, not here.")));
	if (strcmp(disclosure_version, want_version) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("field \"disclosure_version\" is not the disclosure version of product \"%s\"", product),
				 errdetail("Consent was given to disclosure \"%s\"; the version in force is \"%s\".",
						   disclosure_version, want_version),
				 errhint("Show the applicant the disclosures in force and capture consent to them.")));
}

/* btrim(s) = '': nothing but spaces */
static bool
Blank(const char *s)
{
	return s[strspn(s, " ")] == '\0';
}

/*
 * kyc_capture_consent
 *		SQL: kyc.capture_consent(app uuid, purpose text, disclosure_version
 *		text, channel_proof jsonb) -> bigint (the consent's evidence seq),
 *		SECURITY DEFINER.
 */
PG_FUNCTION_INFO_V1(kyc_capture_consent);
Datum
kyc_capture_consent(PG_FUNCTION_ARGS)
{
	static const char *const roles[] = {"kyc_app"};
	char	   *actor = KycAssertCaller("capture consent", roles, lengthof(roles));
	char	   *purpose = PG_ARGISNULL(1) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(1));
	char	   *disclosure_version = PG_ARGISNULL(2) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(2));
	Jsonb	   *proof = PG_ARGISNULL(3) ? NULL : PG_GETARG_JSONB_P(3);
	KycLockedApplication a;
	int64		seq;

	if (purpose == NULL ||
		!DatumGetBool(DirectFunctionCall2Coll(textregexeq, DEFAULT_COLLATION_OID, CStringGetTextDatum(purpose),
											  CStringGetTextDatum("^[a-z][a-z0-9_]{0,62}$"))))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("field \"purpose\" is not a purpose tag"),
				 errhint("For example \"account_opening\" or \"identity_verification\".")));
	if (disclosure_version == NULL || Blank(disclosure_version))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("field \"disclosure_version\" must not be empty")));
	if (proof == NULL || !JB_ROOT_IS_OBJECT(proof) || JB_ROOT_COUNT(proof) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("field \"channel_proof\" must be a non-empty JSON object"),
				 errhint("Record how consent was given, for example {\"channel\": \"app\", \"session\": \"s-9\", \"ip\": \"...\"}.")));

	KycLockApplication(PG_GETARG_DATUM(0), PG_ARGISNULL(0), false, "capture consent for", &a);
	CheckConsentFits(PG_GETARG_DATUM(0), purpose, disclosure_version);
	seq = KycAppendEvidence(NULL, PG_GETARG_DATUM(0), "consent", "customer_safe",
							ConsentPayload(purpose, disclosure_version, proof));
	KycRecordGate(PG_GETARG_DATUM(0), "consent", "passed", NULL,
				  psprintf("consent to %s under disclosure %s (evidence " INT64_FORMAT ")",
						   purpose, disclosure_version, seq),
				  actor, "consent");
	PG_RETURN_INT64(seq);
}
