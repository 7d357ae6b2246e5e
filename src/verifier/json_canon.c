/*-------------------------------------------------------------------------
 *
 * json_canon.c
 *	  Canonical JSON serialisation v1 (docs/ledger-format.md): the bytes a
 *	  payload digest covers.
 *
 * Members sorted by raw key bytes, no whitespace, minimal string escaping,
 * and numbers as their exact decimal value in plain notation.  Numbers are
 * rewritten from their decimal text alone (digits and a base-10 exponent),
 * so 1.50, 15e-1 and 1.5 all become 1.5 with no rounding anywhere.
 *
 * IDENTIFICATION
 *	  src/verifier/json_canon.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "json.h"

/* Exponents are saturated here; any non-zero value this far out is too long anyway. */
#define EXPONENT_CAP	((int64_t) 1000000000000000)

/* A decimal number taken apart: value = (-1)^negative * digits * 10^exp10. */
typedef struct Decimal
{
	bool		negative;
	KvBuf		digits;			/* significand digits, integer part then fraction */
	int64_t		exp10;
} Decimal;

/*
 * ParseExponent
 *		The signed exponent after 'e'/'E', saturated at +-EXPONENT_CAP.
 */
static int64_t
ParseExponent(const char *p, const char *end)
{
	bool		neg = false;
	int64_t		e = 0;

	if (p < end && (*p == '+' || *p == '-'))
		neg = (*p++ == '-');
	for (; p < end && *p >= '0' && *p <= '9'; p++)
	{
		if (e < EXPONENT_CAP)
			e = e * 10 + (*p - '0');
	}
	if (e > EXPONENT_CAP)
		e = EXPONENT_CAP;
	return neg ? -e : e;
}

/*
 * SplitNumber
 *		Take JSON number text apart into sign, significand digits and a
 *		power of ten, e.g. "-2.50E-3" -> -, "250", -5.
 */
static bool
SplitNumber(const char *text, size_t len, Decimal *d, char *err)
{
	const char *p = text;
	const char *end = text + len;
	int64_t		fraclen = 0;

	d->negative = (p < end && *p == '-');
	if (d->negative)
		p++;
	for (; p < end && *p >= '0' && *p <= '9'; p++)
		KvBufAppendByte(&d->digits, (unsigned char) *p);
	if (p < end && *p == '.')
	{
		for (p++; p < end && *p >= '0' && *p <= '9'; p++, fraclen++)
			KvBufAppendByte(&d->digits, (unsigned char) *p);
	}
	d->exp10 = 0;
	if (p < end && (*p == 'e' || *p == 'E'))
	{
		d->exp10 = ParseExponent(p + 1, end);
		for (p++; p < end && (*p == '+' || *p == '-' || (*p >= '0' && *p <= '9')); p++)
			;
	}
	if (p != end || d->digits.len == 0)
	{
		snprintf(err, JSON_ERRLEN, "malformed number \"%.40s\"", text);
		return false;
	}
	d->exp10 -= fraclen;
	return true;
}

/*
 * TrimDigits
 *		Drop leading zeros, and trailing zeros into the exponent, so that the
 *		significand is empty (the value zero) or starts and ends non-zero.
 *		Returns the offset of the first kept digit.
 */
static size_t
TrimDigits(Decimal *d)
{
	size_t		first = 0;

	while (first < d->digits.len && d->digits.data[first] == '0')
		first++;
	while (d->digits.len > first && d->digits.data[d->digits.len - 1] == '0')
	{
		d->digits.len--;
		d->exp10++;
	}
	return first;
}

/*
 * CheckNumberLength
 *		Refuse a number whose plain notation would exceed JSON_MAX_NUMBER_LEN
 *		characters (an exponent like 1e999999999 in a hostile file).
 */
static bool
CheckNumberLength(size_t ndigits, int64_t exp10, const char *text, char *err)
{
	int64_t		chars;

	if (exp10 >= 0)
		chars = (int64_t) ndigits + exp10;
	else if (-exp10 >= (int64_t) ndigits)
		chars = 2 - exp10;
	else
		chars = (int64_t) ndigits + 1;
	if (ndigits > JSON_MAX_NUMBER_LEN || chars > JSON_MAX_NUMBER_LEN)
	{
		snprintf(err, JSON_ERRLEN,
				 "number \"%.40s\" is too long to write in plain notation", text);
		return false;
	}
	return true;
}

/*
 * AppendZeros
 *		Append n '0' characters.
 */
static void
AppendZeros(KvBuf *out, int64_t n)
{
	for (; n > 0; n--)
		KvBufAppendByte(out, '0');
}

/*
 * JsonCanonicalNumber
 *		Write the number text as the spec's plain decimal: optional '-',
 *		integer digits without leading zeros, and a fraction without trailing
 *		zeros only when non-zero.  Zero (also -0, 0.000e5) is "0".
 */
bool
JsonCanonicalNumber(const char *text, size_t len, KvBuf *out, char *err)
{
	Decimal		d;
	size_t		first;
	const char *digits;
	size_t		n;

	KvBufInit(&d.digits);
	if (!SplitNumber(text, len, &d, err))
		return KvBufFree(&d.digits), false;
	first = TrimDigits(&d);
	digits = (const char *) d.digits.data + first;
	n = d.digits.len - first;
	if (n == 0)
	{
		KvBufAppendByte(out, '0');
		return KvBufFree(&d.digits), true;
	}
	if (!CheckNumberLength(n, d.exp10, text, err))
		return KvBufFree(&d.digits), false;
	if (d.negative)
		KvBufAppendByte(out, '-');
	if (d.exp10 >= 0)
	{
		KvBufAppend(out, digits, n);
		AppendZeros(out, d.exp10);
	}
	else if (-d.exp10 >= (int64_t) n)
	{
		KvBufAppendStr(out, "0.");
		AppendZeros(out, -d.exp10 - (int64_t) n);
		KvBufAppend(out, digits, n);
	}
	else
	{
		size_t		intlen = n - (size_t) (-d.exp10);

		KvBufAppend(out, digits, intlen);
		KvBufAppendByte(out, '.');
		KvBufAppend(out, digits + intlen, n - intlen);
	}
	KvBufFree(&d.digits);
	return true;
}

/*
 * JsonCanonicalString
 *		"..." escaping only '"', '\' and U+0000..U+001F; every other byte,
 *		non-ASCII included, is copied as it is.
 */
void
JsonCanonicalString(KvBuf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t		i;

	KvBufAppendByte(out, '"');
	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		switch (c)
		{
			case '"':
				KvBufAppendStr(out, "\\\"");
				break;
			case '\\':
				KvBufAppendStr(out, "\\\\");
				break;
			case '\b':
				KvBufAppendStr(out, "\\b");
				break;
			case '\t':
				KvBufAppendStr(out, "\\t");
				break;
			case '\n':
				KvBufAppendStr(out, "\\n");
				break;
			case '\f':
				KvBufAppendStr(out, "\\f");
				break;
			case '\r':
				KvBufAppendStr(out, "\\r");
				break;
			default:
				if (c < 0x20)
				{
					KvBufAppendStr(out, "\\u00");
					KvBufAppendByte(out, (unsigned char) hex[c >> 4]);
					KvBufAppendByte(out, (unsigned char) hex[c & 0xF]);
				}
				else
					KvBufAppendByte(out, c);
		}
	}
	KvBufAppendByte(out, '"');
}

/*
 * AppendCanonicalArray
 *		[a,b,...] in order.
 */
static bool
AppendCanonicalArray(const JsonValue *value, KvBuf *out, char *err)
{
	size_t		i;

	KvBufAppendByte(out, '[');
	for (i = 0; i < value->nitems; i++)
	{
		if (i > 0)
			KvBufAppendByte(out, ',');
		if (!JsonCanonical(value->items[i], out, err))
			return false;
	}
	KvBufAppendByte(out, ']');
	return true;
}

/*
 * AppendCanonicalObject
 *		{"k":v,...}; the parser already sorted the members by key bytes.
 */
static bool
AppendCanonicalObject(const JsonValue *value, KvBuf *out, char *err)
{
	size_t		i;

	KvBufAppendByte(out, '{');
	for (i = 0; i < value->nmembers; i++)
	{
		if (i > 0)
			KvBufAppendByte(out, ',');
		JsonCanonicalString(out, value->members[i].key, value->members[i].keylen);
		KvBufAppendByte(out, ':');
		if (!JsonCanonical(value->members[i].value, out, err))
			return false;
	}
	KvBufAppendByte(out, '}');
	return true;
}

/*
 * JsonCanonical
 *		Append the canonical serialisation v1 of value to out.  Fails only on
 *		a number too long to write (err is filled).  Recursion is bounded by
 *		the parser's JSON_MAX_DEPTH.
 */
bool
JsonCanonical(const JsonValue *value, KvBuf *out, char *err)
{
	switch (value->kind)
	{
		case JSON_NULL:
			KvBufAppendStr(out, "null");
			return true;
		case JSON_FALSE:
			KvBufAppendStr(out, "false");
			return true;
		case JSON_TRUE:
			KvBufAppendStr(out, "true");
			return true;
		case JSON_NUMBER:
			return JsonCanonicalNumber(value->text, value->len, out, err);
		case JSON_STRING:
			JsonCanonicalString(out, value->text, value->len);
			return true;
		case JSON_ARRAY:
			return AppendCanonicalArray(value, out, err);
		case JSON_OBJECT:
			return AppendCanonicalObject(value, out, err);
	}
	snprintf(err, JSON_ERRLEN, "unrecognized JSON value kind");
	return false;
}
