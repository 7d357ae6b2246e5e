/*-------------------------------------------------------------------------
 *
 * json.c
 *	  A strict RFC 8259 JSON parser into a tree, and the canonical JSON
 *	  serialisation v1 of docs/ledger-format.md.
 *
 * Strict means: one value and nothing after it but whitespace; no duplicate
 * keys; strings must be valid UTF-8 without raw control characters, and
 * \u escapes must not leave a lone surrogate.  Numbers stay as their source
 * text: the canonical form is computed from the decimal digits, so no value
 * is ever rounded through a double.  Nesting is bounded by JSON_MAX_DEPTH.
 *
 * IDENTIFICATION
 *	  src/verifier/json.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

/* Where the parser is, and where to write the first error. */
typedef struct JsonParser
{
	const unsigned char *start;
	const unsigned char *p;
	const unsigned char *end;
	int			depth;
	char	   *err;
	bool		failed;
} JsonParser;

static JsonValue *ParseValue(JsonParser *ps);

/*
 * ParseFail
 *		Record the first error with its line and column; always returns NULL
 *		so that callers can write "return ParseFail(...)".
 */
static void *
ParseFail(JsonParser *ps, const char *what)
{
	const unsigned char *q;
	long		line = 1;
	long		col = 1;

	if (ps->failed)
		return NULL;
	for (q = ps->start; q < ps->p && q < ps->end; q++)
	{
		if (*q == '\n')
		{
			line++;
			col = 1;
		}
		else
			col++;
	}
	snprintf(ps->err, JSON_ERRLEN, "invalid JSON at line %ld, column %ld: %s",
			 line, col, what);
	ps->failed = true;
	return NULL;
}

/*
 * NewValue
 *		Allocate an empty value of the given kind.
 */
static JsonValue *
NewValue(JsonKind kind)
{
	JsonValue  *v = KvAlloc(sizeof(JsonValue));

	memset(v, 0, sizeof(JsonValue));
	v->kind = kind;
	return v;
}

/*
 * SkipWhitespace
 *		Skip the four whitespace characters RFC 8259 allows.
 */
static void
SkipWhitespace(JsonParser *ps)
{
	while (ps->p < ps->end &&
		   (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

/*
 * ParseLiteral
 *		true, false or null, spelled exactly.
 */
static JsonValue *
ParseLiteral(JsonParser *ps, const char *word, JsonKind kind)
{
	size_t		n = strlen(word);

	if ((size_t) (ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
		return ParseFail(ps, "unrecognized literal");
	ps->p += n;
	return NewValue(kind);
}

/*
 * SkipDigits
 *		Skip a run of ASCII digits; returns how many there were.
 */
static size_t
SkipDigits(JsonParser *ps)
{
	size_t		n = 0;

	while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
	{
		ps->p++;
		n++;
	}
	return n;
}

/*
 * ParseNumber
 *		-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, kept as source text.
 */
static JsonValue *
ParseNumber(JsonParser *ps)
{
	const unsigned char *from = ps->p;
	JsonValue  *v;

	if (ps->p < ps->end && *ps->p == '-')
		ps->p++;
	if (ps->p < ps->end && *ps->p == '0')
		ps->p++;
	else if (SkipDigits(ps) == 0)
		return ParseFail(ps, "number without digits");
	if (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
		return ParseFail(ps, "number with a leading zero");
	if (ps->p < ps->end && *ps->p == '.')
	{
		ps->p++;
		if (SkipDigits(ps) == 0)
			return ParseFail(ps, "number without fraction digits");
	}
	if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E'))
	{
		ps->p++;
		if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
			ps->p++;
		if (SkipDigits(ps) == 0)
			return ParseFail(ps, "number without exponent digits");
	}
	v = NewValue(JSON_NUMBER);
	v->len = (size_t) (ps->p - from);
	v->text = KvAlloc(v->len + 1);
	memcpy(v->text, from, v->len);
	v->text[v->len] = '\0';
	return v;
}

/*
 * AppendUtf8
 *		Encode one Unicode scalar value as UTF-8.
 */
static void
AppendUtf8(KvBuf *out, uint32_t cp)
{
	if (cp < 0x80)
		KvBufAppendByte(out, (unsigned char) cp);
	else if (cp < 0x800)
	{
		KvBufAppendByte(out, (unsigned char) (0xC0 | (cp >> 6)));
		KvBufAppendByte(out, (unsigned char) (0x80 | (cp & 0x3F)));
	}
	else if (cp < 0x10000)
	{
		KvBufAppendByte(out, (unsigned char) (0xE0 | (cp >> 12)));
		KvBufAppendByte(out, (unsigned char) (0x80 | ((cp >> 6) & 0x3F)));
		KvBufAppendByte(out, (unsigned char) (0x80 | (cp & 0x3F)));
	}
	else
	{
		KvBufAppendByte(out, (unsigned char) (0xF0 | (cp >> 18)));
		KvBufAppendByte(out, (unsigned char) (0x80 | ((cp >> 12) & 0x3F)));
		KvBufAppendByte(out, (unsigned char) (0x80 | ((cp >> 6) & 0x3F)));
		KvBufAppendByte(out, (unsigned char) (0x80 | (cp & 0x3F)));
	}
}

/*
 * ParseHex4
 *		The four hex digits after \u; false when they are not hex.
 */
static bool
ParseHex4(JsonParser *ps, uint32_t *cp)
{
	int			i;

	if (ps->end - ps->p < 4)
		return false;
	*cp = 0;
	for (i = 0; i < 4; i++)
	{
		unsigned char c = ps->p[i];

		*cp <<= 4;
		if (c >= '0' && c <= '9')
			*cp |= (uint32_t) (c - '0');
		else if (c >= 'a' && c <= 'f')
			*cp |= (uint32_t) (c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*cp |= (uint32_t) (c - 'A' + 10);
		else
			return false;
	}
	ps->p += 4;
	return true;
}

/*
 * ParseUnicodeEscape
 *		\uXXXX (ps->p just past the 'u'), joining a surrogate pair into one
 *		code point; a lone surrogate has no UTF-8 form and is rejected.
 */
static bool
ParseUnicodeEscape(JsonParser *ps, KvBuf *out)
{
	uint32_t	hi;
	uint32_t	lo;

	if (!ParseHex4(ps, &hi))
		return ParseFail(ps, "invalid \\u escape"), false;
	if (hi >= 0xDC00 && hi <= 0xDFFF)
		return ParseFail(ps, "lone low surrogate in \\u escape"), false;
	if (hi < 0xD800 || hi > 0xDBFF)
	{
		AppendUtf8(out, hi);
		return true;
	}
	if (ps->end - ps->p < 2 || ps->p[0] != '\\' || ps->p[1] != 'u')
		return ParseFail(ps, "lone high surrogate in \\u escape"), false;
	ps->p += 2;
	if (!ParseHex4(ps, &lo))
		return ParseFail(ps, "invalid \\u escape"), false;
	if (lo < 0xDC00 || lo > 0xDFFF)
		return ParseFail(ps, "high surrogate not followed by a low surrogate"), false;
	AppendUtf8(out, 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));
	return true;
}

/*
 * ParseEscape
 *		One backslash escape (ps->p on the backslash).
 */
static bool
ParseEscape(JsonParser *ps, KvBuf *out)
{
	unsigned char c;

	ps->p++;
	if (ps->p >= ps->end)
		return ParseFail(ps, "unterminated string"), false;
	c = *ps->p++;
	switch (c)
	{
		case '"':
		case '\\':
		case '/':
			KvBufAppendByte(out, c);
			return true;
		case 'b':
			KvBufAppendByte(out, '\b');
			return true;
		case 'f':
			KvBufAppendByte(out, '\f');
			return true;
		case 'n':
			KvBufAppendByte(out, '\n');
			return true;
		case 'r':
			KvBufAppendByte(out, '\r');
			return true;
		case 't':
			KvBufAppendByte(out, '\t');
			return true;
		case 'u':
			return ParseUnicodeEscape(ps, out);
		default:
			ps->p--;
			return ParseFail(ps, "invalid escape"), false;
	}
}

/*
 * Utf8SequenceLength
 *		Length of the well-formed UTF-8 sequence at p (Unicode table 3-7:
 *		no overlong forms, no surrogates, nothing above U+10FFFF), or 0.
 */
static size_t
Utf8SequenceLength(const unsigned char *p, const unsigned char *end)
{
	unsigned char c = p[0];
	unsigned char lo = 0x80;
	unsigned char hi = 0xBF;
	size_t		n;
	size_t		i;

	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
	{
		n = 3;
		if (c == 0xE0)
			lo = 0xA0;
		if (c == 0xED)
			hi = 0x9F;
	}
	else if (c >= 0xF0 && c <= 0xF4)
	{
		n = 4;
		if (c == 0xF0)
			lo = 0x90;
		if (c == 0xF4)
			hi = 0x8F;
	}
	else
		return 0;
	if ((size_t) (end - p) < n)
		return 0;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xBF)
			return 0;
	return n;
}

/*
 * ParseStringBytes
 *		Decode a string body (ps->p on the opening quote) into out.
 */
static bool
ParseStringBytes(JsonParser *ps, KvBuf *out)
{
	ps->p++;
	for (;;)
	{
		unsigned char c;

		if (ps->p >= ps->end)
			return ParseFail(ps, "unterminated string"), false;
		c = *ps->p;
		if (c == '"')
		{
			ps->p++;
			return true;
		}
		if (c < 0x20)
			return ParseFail(ps, "control character in string"), false;
		if (c == '\\')
		{
			if (!ParseEscape(ps, out))
				return false;
		}
		else if (c < 0x80)
		{
			KvBufAppendByte(out, c);
			ps->p++;
		}
		else
		{
			size_t		n = Utf8SequenceLength(ps->p, ps->end);

			if (n == 0)
				return ParseFail(ps, "invalid UTF-8 in string"), false;
			KvBufAppend(out, ps->p, n);
			ps->p += n;
		}
	}
}

/*
 * ParseString
 *		A string value.
 */
static JsonValue *
ParseString(JsonParser *ps)
{
	KvBuf		buf;
	JsonValue  *v;

	KvBufInit(&buf);
	if (!ParseStringBytes(ps, &buf))
	{
		KvBufFree(&buf);
		return NULL;
	}
	v = NewValue(JSON_STRING);
	v->text = (char *) buf.data;
	v->len = buf.len;
	return v;
}

/*
 * EnterNesting
 *		Count one more level of nesting; false beyond JSON_MAX_DEPTH, so that
 *		hostile input cannot exhaust the stack.
 */
static bool
EnterNesting(JsonParser *ps)
{
	if (++ps->depth > JSON_MAX_DEPTH)
	{
		char		msg[64];

		snprintf(msg, sizeof(msg), "nesting deeper than %d levels", JSON_MAX_DEPTH);
		ParseFail(ps, msg);
		return false;
	}
	return true;
}

/*
 * ParseArray
 *		[ value, ... ] (ps->p on the bracket).
 */
static JsonValue *
ParseArray(JsonParser *ps)
{
	JsonValue  *arr = NewValue(JSON_ARRAY);
	size_t		cap = 0;

	if (!EnterNesting(ps))
		return JsonFree(arr), NULL;
	ps->p++;
	SkipWhitespace(ps);
	if (ps->p < ps->end && *ps->p == ']')
	{
		ps->p++;
		ps->depth--;
		return arr;
	}
	for (;;)
	{
		JsonValue  *item = ParseValue(ps);

		if (item == NULL)
			return JsonFree(arr), NULL;
		if (arr->nitems == cap)
		{
			cap = cap ? cap * 2 : 4;
			arr->items = KvReallocArray(arr->items, cap, sizeof(JsonValue *));
		}
		arr->items[arr->nitems++] = item;
		SkipWhitespace(ps);
		if (ps->p < ps->end && *ps->p == ',')
		{
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == ']')
			break;
		return JsonFree(arr), ParseFail(ps, "expected ',' or ']' in array");
	}
	ps->p++;
	ps->depth--;
	return arr;
}

/*
 * CompareMembers
 *		qsort order of members: by key bytes (JsonKeyCompare).
 */
static int
CompareMembers(const void *a, const void *b)
{
	const JsonMember *ma = a;
	const JsonMember *mb = b;

	return JsonKeyCompare(ma->key, ma->keylen, mb->key, mb->keylen);
}

/*
 * SortAndCheckKeys
 *		Sort the members by key and reject a key given twice: a duplicate
 *		would let two readers of the same file see different values.
 */
static bool
SortAndCheckKeys(JsonParser *ps, JsonValue *obj)
{
	size_t		i;

	if (obj->nmembers > 1)
		qsort(obj->members, obj->nmembers, sizeof(JsonMember), CompareMembers);
	for (i = 1; i < obj->nmembers; i++)
	{
		if (CompareMembers(&obj->members[i - 1], &obj->members[i]) == 0)
		{
			char		msg[JSON_ERRLEN];

			snprintf(msg, sizeof(msg), "duplicate key \"%.64s\" in object",
					 obj->members[i].key);
			ParseFail(ps, msg);
			return false;
		}
	}
	return true;
}

/*
 * ParseMember
 *		"key": value, appended to obj.
 */
static bool
ParseMember(JsonParser *ps, JsonValue *obj, size_t *cap)
{
	KvBuf		key;
	JsonValue  *value;
	JsonMember *m;

	if (ps->p >= ps->end || *ps->p != '"')
		return ParseFail(ps, "expected a string key in object"), false;
	KvBufInit(&key);
	if (!ParseStringBytes(ps, &key))
		return KvBufFree(&key), false;
	SkipWhitespace(ps);
	if (ps->p >= ps->end || *ps->p != ':')
		return KvBufFree(&key), ParseFail(ps, "expected ':' after key"), false;
	ps->p++;
	value = ParseValue(ps);
	if (value == NULL)
		return KvBufFree(&key), false;
	if (obj->nmembers == *cap)
	{
		*cap = *cap ? *cap * 2 : 4;
		obj->members = KvReallocArray(obj->members, *cap, sizeof(JsonMember));
	}
	m = &obj->members[obj->nmembers++];
	m->key = (char *) key.data;
	m->keylen = key.len;
	m->value = value;
	return true;
}

/*
 * ParseObject
 *		{ "key": value, ... } (ps->p on the brace).
 */
static JsonValue *
ParseObject(JsonParser *ps)
{
	JsonValue  *obj = NewValue(JSON_OBJECT);
	size_t		cap = 0;

	if (!EnterNesting(ps))
		return JsonFree(obj), NULL;
	ps->p++;
	SkipWhitespace(ps);
	if (ps->p < ps->end && *ps->p == '}')
	{
		ps->p++;
		ps->depth--;
		return obj;
	}
	for (;;)
	{
		if (!ParseMember(ps, obj, &cap))
			return JsonFree(obj), NULL;
		SkipWhitespace(ps);
		if (ps->p < ps->end && *ps->p == ',')
		{
			ps->p++;
			SkipWhitespace(ps);
			continue;
		}
		if (ps->p < ps->end && *ps->p == '}')
			break;
		return JsonFree(obj), ParseFail(ps, "expected ',' or '}' in object");
	}
	ps->p++;
	ps->depth--;
	if (!SortAndCheckKeys(ps, obj))
		return JsonFree(obj), NULL;
	return obj;
}

/*
 * ParseValue
 *		Any value, after optional whitespace, chosen by its first byte.
 */
static JsonValue *
ParseValue(JsonParser *ps)
{
	SkipWhitespace(ps);
	if (ps->p >= ps->end)
		return ParseFail(ps, "unexpected end of input");
	switch (*ps->p)
	{
		case '{':
			return ParseObject(ps);
		case '[':
			return ParseArray(ps);
		case '"':
			return ParseString(ps);
		case 't':
			return ParseLiteral(ps, "true", JSON_TRUE);
		case 'f':
			return ParseLiteral(ps, "false", JSON_FALSE);
		case 'n':
			return ParseLiteral(ps, "null", JSON_NULL);
		default:
			if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9'))
				return ParseNumber(ps);
			return ParseFail(ps, "unexpected character");
	}
}

/*
 * JsonParse
 *		Parse a whole document: exactly one value, then only whitespace.
 *		Returns NULL and fills err (JSON_ERRLEN bytes) on any violation.
 */
JsonValue *
JsonParse(const char *text, size_t len, char *err)
{
	JsonParser	ps;
	JsonValue  *v;

	ps.start = ps.p = (const unsigned char *) text;
	ps.end = ps.start + len;
	ps.depth = 0;
	ps.err = err;
	ps.failed = false;
	err[0] = '\0';
	v = ParseValue(&ps);
	if (v == NULL)
		return NULL;
	SkipWhitespace(&ps);
	if (ps.p != ps.end)
	{
		JsonFree(v);
		return ParseFail(&ps, "data after the JSON value");
	}
	return v;
}

/*
 * JsonFree
 *		Free a value and everything below it.
 */
void
JsonFree(JsonValue *value)
{
	size_t		i;

	if (value == NULL)
		return;
	for (i = 0; i < value->nitems; i++)
		JsonFree(value->items[i]);
	for (i = 0; i < value->nmembers; i++)
	{
		free(value->members[i].key);
		JsonFree(value->members[i].value);
	}
	free(value->items);
	free(value->members);
	free(value->text);
	free(value);
}

/*
 * JsonKeyCompare
 *		Order of keys: raw bytes, the shorter first when one is a prefix of
 *		the other (the canonical member order of the spec).
 */
int
JsonKeyCompare(const char *a, size_t alen, const char *b, size_t blen)
{
	int			c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return (alen > blen) - (alen < blen);
}

/*
 * JsonGet
 *		The member named key of an object (binary search), or NULL.
 */
const JsonValue *
JsonGet(const JsonValue *object, const char *key)
{
	size_t		lo = 0;
	size_t		hi;
	size_t		keylen = strlen(key);

	if (object == NULL || object->kind != JSON_OBJECT)
		return NULL;
	hi = object->nmembers;
	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;
		const JsonMember *m = &object->members[mid];
		int			c = JsonKeyCompare(m->key, m->keylen, key, keylen);

		if (c == 0)
			return m->value;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * JsonKindName
 *		A kind as a word for messages.
 */
const char *
JsonKindName(JsonKind kind)
{
	switch (kind)
	{
		case JSON_NULL:
			return "null";
		case JSON_FALSE:
		case JSON_TRUE:
			return "boolean";
		case JSON_NUMBER:
			return "number";
		case JSON_STRING:
			return "string";
		case JSON_ARRAY:
			return "array";
		case JSON_OBJECT:
			return "object";
	}
	return "unrecognized";
}
