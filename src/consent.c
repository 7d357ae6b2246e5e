/*-------------------------------------------------------------------------
 *
 * consent.c
 *	  kyc.capture_consent: consent and purpose capture, which settles the
 *	  consent gate.
 *
 * The consent is evidence of kind consent, customer_safe (the customer may
 * see what they agreed to), followed by the gate's gate_decision row.  The
 * checks keep the order and the texts of the PL/pgSQL version
 * (sql/09_signals.sql shows them).  Withdrawal stays in SQL.
 *
 * IDENTIFICATION
 *	  src/consent.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_collation.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "application_lock.h"
#include "caller.h"
#include "gate_record.h"
#include "jsonbuild.h"
#include "ledger.h"

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
	seq = KycAppendEvidence(NULL, PG_GETARG_DATUM(0), "consent", "customer_safe",
							ConsentPayload(purpose, disclosure_version, proof));
	KycRecordGate(PG_GETARG_DATUM(0), "consent", "passed", NULL,
				  psprintf("consent to %s under disclosure %s (evidence " INT64_FORMAT ")",
						   purpose, disclosure_version, seq),
				  actor, "consent");
	PG_RETURN_INT64(seq);
}
