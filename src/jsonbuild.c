/*-------------------------------------------------------------------------
 *
 * jsonbuild.c
 *	  A flat JSON object built key by key, then parsed into jsonb: the
 *	  payloads the C code writes to the evidence ledger.
 *
 * IDENTIFICATION
 *	  src/jsonbuild.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"

#include "jsonbuild.h"

void
KycJsonBegin(KycJson *j)
{
	initStringInfo(&j->buf);
	appendStringInfoChar(&j->buf, '{');
	j->first = true;
}

static void
Key(KycJson *j, const char *key)
{
	if (!j->first)
		appendStringInfoChar(&j->buf, ',');
	j->first = false;
	escape_json(&j->buf, key);
	appendStringInfoChar(&j->buf, ':');
}

/* A string member; NULL becomes JSON null. */
void
KycJsonString(KycJson *j, const char *key, const char *value)
{
	Key(j, key);
	if (value == NULL)
		appendStringInfoString(&j->buf, "null");
	else
		escape_json(&j->buf, value);
}

void
KycJsonInt(KycJson *j, const char *key, int64 value)
{
	Key(j, key);
	appendStringInfo(&j->buf, INT64_FORMAT, value);
}

/* A member whose value is already JSON text. */
void
KycJsonRaw(KycJson *j, const char *key, const char *json)
{
	Key(j, key);
	appendStringInfoString(&j->buf, json);
}

Jsonb *
KycJsonEnd(KycJson *j)
{
	appendStringInfoChar(&j->buf, '}');
	return DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(j->buf.data)));
}

/*
 * KycJsonbPushString
 *		One "key": "value" member into a jsonb object being built with
 *		pushJsonbValue (the hot paths build their payloads that way, without
 *		text to parse).
 */
void
KycJsonbPushString(JsonbParseState **st, const char *key, const char *value)
{
	JsonbValue	k;
	JsonbValue	v;

	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	v.type = jbvString;
	v.val.string.val = (char *) value;
	v.val.string.len = strlen(value);
	pushJsonbValue(st, WJB_KEY, &k);
	pushJsonbValue(st, WJB_VALUE, &v);
}
