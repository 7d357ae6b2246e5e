/*-------------------------------------------------------------------------
 *
 * canonical.c
 *	  Canonical JSON v1: the exact bytes a payload digest covers.
 *
 * jsonb::text is not a stable serialisation (spacing, and key order by
 * length first), so pg_kyc writes its own: keys sorted by raw UTF-8 bytes, no
 * whitespace, minimal string escaping, numbers as exact plain decimals
 * without trailing zeros (numeric_normalize).  The offline verifier
 * reproduces these bytes from an export without PostgreSQL.
 *
 * IDENTIFICATION
 *	  src/canonical.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "canonical.h"

/* One object member while its object is being sorted. */
typedef struct Member
{
	const char *key;
	int			keylen;
	JsonbValue	value;
} Member;

static void WriteContainer(StringInfo out, JsonbContainer *c);

/*
 * WriteString
 *		A JSON string with only '"', '\' and control characters escaped.
 */
static void
WriteString(StringInfo out, const char *s, int len)
{
	int			run = 0;		/* start of the current run of plain bytes */

	appendStringInfoCharMacro(out, '"');
	for (int i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];
		const char *esc;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		appendBinaryStringInfo(out, s + run, i - run);
		run = i + 1;
		switch (c)
		{
			case '"':
				esc = "\\\"";
				break;
			case '\\':
				esc = "\\\\";
				break;
			case '\b':
				esc = "\\b";
				break;
			case '\t':
				esc = "\\t";
				break;
			case '\n':
				esc = "\\n";
				break;
			case '\f':
				esc = "\\f";
				break;
			case '\r':
				esc = "\\r";
				break;
			default:
				appendStringInfo(out, "\\u%04x", c);
				continue;
		}
		appendBinaryStringInfo(out, esc, 2);
	}
	appendBinaryStringInfo(out, s + run, len - run);
	appendStringInfoCharMacro(out, '"');
}

static void
WriteScalar(StringInfo out, JsonbValue *v)
{
	switch (v->type)
	{
		case jbvNull:
			appendBinaryStringInfo(out, "null", 4);
			break;
		case jbvBool:
			if (v->val.boolean)
				appendBinaryStringInfo(out, "true", 4);
			else
				appendBinaryStringInfo(out, "false", 5);
			break;
		case jbvString:
			WriteString(out, v->val.string.val, v->val.string.len);
			break;
		case jbvNumeric:
			appendStringInfoString(out, numeric_normalize(v->val.numeric));
			break;
		case jbvBinary:
			WriteContainer(out, v->val.binary.data);
			break;
		default:
			elog(ERROR, "unexpected jsonb value type %d", (int) v->type);
	}
}

static int
MemberCmp(const void *a, const void *b)
{
	const Member *ma = (const Member *) a;
	const Member *mb = (const Member *) b;
	int			c = memcmp(ma->key, mb->key, Min(ma->keylen, mb->keylen));

	if (c != 0)
		return c;
	return (ma->keylen > mb->keylen) - (ma->keylen < mb->keylen);
}

/*
 * SortMembers
 *		Sort by key bytes.  jsonb keeps keys sorted by length first, so short
 *		objects are nearly sorted already: insertion sort, qsort for big ones.
 */
static void
SortMembers(Member *members, int n)
{
	if (n > 16)
	{
		qsort(members, n, sizeof(Member), MemberCmp);
		return;
	}
	for (int i = 1; i < n; i++)
	{
		Member		m = members[i];
		int			j = i - 1;

		while (j >= 0 && MemberCmp(&members[j], &m) > 0)
		{
			members[j + 1] = members[j];
			j--;
		}
		members[j + 1] = m;
	}
}

/*
 * WriteContainer
 *		An object (members sorted bytewise by key) or array, recursing into
 *		nested containers.
 */
static void
WriteContainer(StringInfo out, JsonbContainer *c)
{
	JsonbIterator *it = JsonbIteratorInit(c);
	JsonbValue	v;
	JsonbIteratorToken tok;
	bool		first = true;

	check_stack_depth();
	tok = JsonbIteratorNext(&it, &v, true);
	if (tok == WJB_BEGIN_ARRAY)
	{
		if (v.val.array.rawScalar)
		{
			tok = JsonbIteratorNext(&it, &v, true);
			WriteScalar(out, &v);
			return;
		}
		appendStringInfoCharMacro(out, '[');
		while ((tok = JsonbIteratorNext(&it, &v, true)) == WJB_ELEM)
		{
			if (!first)
				appendStringInfoCharMacro(out, ',');
			first = false;
			WriteScalar(out, &v);
		}
		appendStringInfoCharMacro(out, ']');
	}
	else if (tok == WJB_BEGIN_OBJECT)
	{
		int			n = v.val.object.nPairs;
		Member	   *members = palloc(sizeof(Member) * Max(n, 1));
		int			count = 0;

		while ((tok = JsonbIteratorNext(&it, &v, true)) == WJB_KEY)
		{
			members[count].key = v.val.string.val;
			members[count].keylen = v.val.string.len;
			tok = JsonbIteratorNext(&it, &members[count].value, true);
			Assert(tok == WJB_VALUE);
			count++;
		}
		SortMembers(members, count);
		appendStringInfoCharMacro(out, '{');
		for (int i = 0; i < count; i++)
		{
			if (i > 0)
				appendStringInfoCharMacro(out, ',');
			WriteString(out, members[i].key, members[i].keylen);
			appendStringInfoCharMacro(out, ':');
			WriteScalar(out, &members[i].value);
		}
		appendStringInfoCharMacro(out, '}');
		pfree(members);
	}
	else
		elog(ERROR, "unexpected jsonb iterator token %d", (int) tok);
}

/*
 * KycCanonicalJsonb
 *		Append the canonical serialisation of a jsonb value to out.
 */
void
KycCanonicalJsonb(StringInfo out, Jsonb *jb)
{
	WriteContainer(out, &jb->root);
}

/*
 * kyc_canonical_json
 *		SQL: kyc.canonical_json(jsonb) -> text, the bytes a payload digest covers.
 */
PG_FUNCTION_INFO_V1(kyc_canonical_json);
Datum
kyc_canonical_json(PG_FUNCTION_ARGS)
{
	Jsonb	   *jb = PG_GETARG_JSONB_P(0);
	StringInfoData out;

	initStringInfo(&out);
	KycCanonicalJsonb(&out, jb);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out.data, out.len));
}
