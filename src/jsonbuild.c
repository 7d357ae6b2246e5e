/*-------------------------------------------------------------------------
 *
 * jsonbuild.c
 *	  A flat JSON object built key by key, then parsed into jsonb: the
 *	  payloads the C code writes to the evidence ledger; and the few steps
 *	  of building and reading jsonb directly that the C paths share.
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
 * KycJsonbPushKey
 *		A member's key into a jsonb object being built with pushJsonbValue
 *		(the hot paths build their documents that way, without text to parse).
 */
void
KycJsonbPushKey(JsonbParseState **st, const char *key)
{
	JsonbValue	k;

	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	pushJsonbValue(st, WJB_KEY, &k);
}

/*
 * KycJsonbPushText
 *		A string, or null for NULL, as a member's value (WJB_VALUE) or an
 *		array element (WJB_ELEM).
 */
void
KycJsonbPushText(JsonbParseState **st, JsonbIteratorToken tok, const char *s)
{
	JsonbValue	v;

	if (s == NULL)
		v.type = jbvNull;
	else
	{
		v.type = jbvString;
		v.val.string.val = (char *) s;
		v.val.string.len = strlen(s);
	}
	pushJsonbValue(st, tok, &v);
}

/*
 * KycJsonbPushString
 *		One "key": "value" member.
 */
void
KycJsonbPushString(JsonbParseState **st, const char *key, const char *value)
{
	KycJsonbPushKey(st, key);
	KycJsonbPushText(st, WJB_VALUE, value);
}

/*
 * KycJsonbMember
 *		The value of an object's member, or NULL when the container is NULL,
 *		not an object, or has no such key.
 */
JsonbValue *
KycJsonbMember(JsonbContainer *c, const char *key)
{
	JsonbValue	k;

	if (c == NULL)
		return NULL;
	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	/* JB_FOBJECT finds nothing in an array */
	return findJsonbValueFromContainer(c, JB_FOBJECT, &k);
}
