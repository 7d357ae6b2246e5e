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
#include "utils/memutils.h"
#include "utils/numeric.h"

#include "canonical.h"

/* One object member while its object is being sorted. */
typedef struct Member
{
	const char *key;
	uint32		keylen;
	int			index;			/* of the key among the object's keys */
} Member;

/* members and offsets of small objects live on the stack */
#define SMALL_CONTAINER 32

static void WriteContainer(StringInfo out, JsonbContainer *c);

/*
 * Put, PutChar
 *		appendBinaryStringInfo without its call and its terminating NUL per
 *		append: the output is terminated once, by KycCanonicalJsonb.
 */
static inline void
Put(StringInfo out, const char *s, int len)
{
	if (out->maxlen - out->len <= len)
		enlargeStringInfo(out, len);
	memcpy(out->data + out->len, s, len);
	out->len += len;
}

static inline void
PutChar(StringInfo out, char c)
{
	if (out->maxlen - out->len <= 1)
		enlargeStringInfo(out, 1);
	out->data[out->len++] = c;
}

/* the escape of a byte that JSON requires escaped, or NULL */
static inline const char *
Escape(unsigned char c)
{
	switch (c)
	{
		case '"':
			return "\\\"";
		case '\\':
			return "\\\\";
		case '\b':
			return "\\b";
		case '\t':
			return "\\t";
		case '\n':
			return "\\n";
		case '\f':
			return "\\f";
		case '\r':
			return "\\r";
		default:
			return NULL;
	}
}

/* a control character without a short escape, as \\u00XX (out of line: rare) */
static pg_noinline void
PutControl(StringInfo out, unsigned char c)
{
	char		u[7];

	snprintf(u, sizeof(u), "\\u%04x", c);
	Put(out, u, 6);
}

/*
 * NeedsEscape8
 *		Whether one of the 8 bytes of w is below 0x20, '"' or '\': the
 *		zero-byte and less-than tests of "Bit Twiddling Hacks", exact for "any
 *		byte".  Most strings need no escape, so they are scanned 8 bytes at a time.
 */
static inline bool
NeedsEscape8(uint64 w)
{
	const uint64 ones = UINT64CONST(0x0101010101010101);
	const uint64 highs = UINT64CONST(0x8080808080808080);
	uint64		q = w ^ (ones * (uint8) '"');
	uint64		b = w ^ (ones * (uint8) '\\');

	return ((((w - ones * 0x20) & ~w) | ((q - ones) & ~q) | ((b - ones) & ~b)) & highs) != 0;
}

/*
 * WriteString
 *		A JSON string with only '"', '\' and control characters escaped.
 */
static void
WriteString(StringInfo out, const char *s, int len)
{
	int			run = 0;		/* start of the current run of plain bytes */
	int			i = 0;

	PutChar(out, '"');
	for (; i + 8 <= len; i += 8)
	{
		uint64		w;

		memcpy(&w, s + i, sizeof(w));
		if (NeedsEscape8(w))
			break;
	}
	if (i < len && len - i < 8)
	{
		/* the tail, padded with a byte that needs no escape */
		uint64		w = UINT64CONST(0x4141414141414141);

		memcpy(&w, s + i, len - i);
		if (!NeedsEscape8(w))
			i = len;
	}
	if (i == len)
	{
		Put(out, s, len);
		PutChar(out, '"');
		return;
	}
	for (; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];
		const char *esc;

		if (likely(c >= 0x20 && c != '"' && c != '\\'))
			continue;
		Put(out, s + run, i - run);
		run = i + 1;
		esc = Escape(c);
		if (esc != NULL)
			Put(out, esc, 2);
		else
			PutControl(out, c);
	}
	Put(out, s + run, len - run);
	PutChar(out, '"');
}

/*
 * WriteChild
 *		Child index of container c, whose data lies at [start, end) from base.
 *		Numbers and containers are stored int-aligned (jsonb_util.c).
 */
static void
WriteChild(StringInfo out, JsonbContainer *c, int index, char *base, uint32 start, uint32 end)
{
	JEntry		e = c->children[index];

	switch (e & JENTRY_TYPEMASK)
	{
		case JENTRY_ISNULL:
			Put(out, "null", 4);
			break;
		case JENTRY_ISBOOL_TRUE:
			Put(out, "true", 4);
			break;
		case JENTRY_ISBOOL_FALSE:
			Put(out, "false", 5);
			break;
		case JENTRY_ISSTRING:
			WriteString(out, base + start, (int) (end - start));
			break;
		case JENTRY_ISNUMERIC:
			{
				char	   *num = numeric_normalize((Numeric) (base + INTALIGN(start)));

				Put(out, num, strlen(num));
				pfree(num);
			}
			break;
		case JENTRY_ISCONTAINER:
			WriteContainer(out, (JsonbContainer *) (base + INTALIGN(start)));
			break;
		default:
			elog(ERROR, "unexpected jsonb entry type %u", e & JENTRY_TYPEMASK);
	}
}

/* bytewise key order; equal prefixes sort the shorter key first */
static inline int
KeyCmp(const Member *a, const Member *b)
{
	int			c;

	/* most keys differ in their first byte */
	if (a->keylen > 0 && b->keylen > 0 && a->key[0] != b->key[0])
		return (unsigned char) a->key[0] - (unsigned char) b->key[0];
	c = memcmp(a->key, b->key, Min(a->keylen, b->keylen));

	if (c != 0)
		return c;
	return (a->keylen > b->keylen) - (a->keylen < b->keylen);
}

static int
MemberCmp(const void *a, const void *b)
{
	return KeyCmp((const Member *) a, (const Member *) b);
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

		while (j >= 0 && KeyCmp(&members[j], &m) > 0)
		{
			members[j + 1] = members[j];
			j--;
		}
		members[j + 1] = m;
	}
}

/*
 * The bytewise order of an object's keys depends on the keys alone, and a
 * ledger's payloads come in a few dozen shapes: the order of recent key sets
 * is remembered (per backend), found again by their exact key bytes.
 */
typedef struct KeyOrder
{
	int			n;				/* 0 while the slot is empty */
	uint32		keybytes;
	char	   *keys;			/* the keys' bytes, back to back */
	uint32		ends[SMALL_CONTAINER];
	int			order[SMALL_CONTAINER];
} KeyOrder;

#define KEY_ORDERS 64

static KeyOrder key_orders[KEY_ORDERS];

static inline KeyOrder *
KeyOrderSlot(int n, uint32 keybytes, const char *base)
{
	return &key_orders[(keybytes * 31 + n * 7 + (uint8) base[0]) % KEY_ORDERS];
}

/* the remembered order of these n (> 0) keys, or NULL */
static inline const int *
KnownKeyOrder(int n, const char *base, const uint32 *ends)
{
	uint32		keybytes = ends[n - 1];
	KeyOrder   *ko = KeyOrderSlot(n, keybytes, base);

	if (ko->n == n && ko->keybytes == keybytes &&
		memcmp(ko->ends, ends, sizeof(uint32) * n) == 0 && memcmp(ko->keys, base, keybytes) == 0)
		return ko->order;
	return NULL;
}

/*
 * KeyOrderOf
 *		Sort the n keys and return their order (indexes of keys), remembered
 *		for the next object with the same keys when there are few enough.
 */
static const int *
KeyOrderOf(int n, const char *base, const uint32 *ends)
{
	Member	   *members = palloc(sizeof(Member) * n);
	int		   *order;

	for (int i = 0; i < n; i++)
	{
		uint32		start = i == 0 ? 0 : ends[i - 1];

		members[i].key = base + start;
		members[i].keylen = ends[i] - start;
		members[i].index = i;
	}
	SortMembers(members, n);
	if (n <= SMALL_CONTAINER)
	{
		KeyOrder   *ko = KeyOrderSlot(n, ends[n - 1], base);

		ko->n = 0;
		if (ko->keys != NULL)
			pfree(ko->keys);
		ko->keys = NULL;
		ko->keys = MemoryContextAlloc(TopMemoryContext, Max(ends[n - 1], 1));
		memcpy(ko->keys, base, ends[n - 1]);
		memcpy(ko->ends, ends, sizeof(uint32) * n);
		for (int i = 0; i < n; i++)
			ko->order[i] = members[i].index;
		ko->keybytes = ends[n - 1];
		ko->n = n;
		order = ko->order;
	}
	else
	{
		order = palloc(sizeof(int) * n);
		for (int i = 0; i < n; i++)
			order[i] = members[i].index;
	}
	pfree(members);
	return order;
}

/*
 * ChildEnds
 *		The end offset of each of the n children: an entry holds either its
 *		length or, every few entries, its end offset (JBE_HAS_OFF).
 */
static void
ChildEnds(JsonbContainer *c, int n, uint32 *ends)
{
	uint32		offset = 0;

	for (int i = 0; i < n; i++)
	{
		JBE_ADVANCE_OFFSET(offset, c->children[i]);
		ends[i] = offset;
	}
}

/*
 * WriteContainer
 *		An object (members sorted bytewise by key) or array, read straight from
 *		the jsonb binary layout (no iterator: this is the hot path of
 *		verification), recursing into nested containers.
 */
static void
WriteContainer(StringInfo out, JsonbContainer *c)
{
	int			n = (int) JsonContainerSize(c);
	int			nchildren = JsonContainerIsObject(c) ? 2 * n : n;
	char	   *base = (char *) &c->children[nchildren];
	uint32		ends_small[2 * SMALL_CONTAINER];
	uint32	   *ends = nchildren <= 2 * SMALL_CONTAINER ? ends_small : palloc(sizeof(uint32) * nchildren);

	check_stack_depth();
	ChildEnds(c, nchildren, ends);
	if (JsonContainerIsScalar(c))
		WriteChild(out, c, 0, base, 0, ends[0]);
	else if (JsonContainerIsArray(c))
	{
		PutChar(out, '[');
		for (int i = 0; i < n; i++)
		{
			if (i > 0)
				PutChar(out, ',');
			WriteChild(out, c, i, base, i == 0 ? 0 : ends[i - 1], ends[i]);
		}
		PutChar(out, ']');
	}
	else if (JsonContainerIsObject(c) && n == 0)
		Put(out, "{}", 2);
	else if (JsonContainerIsObject(c))
	{
		const int  *known = n <= SMALL_CONTAINER ? KnownKeyOrder(n, base, ends) : NULL;
		int			order_small[SMALL_CONTAINER];
		const int  *order;

		if (known == NULL)
			known = KeyOrderOf(n, base, ends);
		/* nested objects may reuse the cache slot: keep a copy */
		if (n <= SMALL_CONTAINER)
		{
			memcpy(order_small, known, sizeof(int) * n);
			order = order_small;
		}
		else
			order = known;
		PutChar(out, '{');
		for (int i = 0; i < n; i++)
		{
			int			k = order[i];
			uint32		start = k == 0 ? 0 : ends[k - 1];

			if (i > 0)
				PutChar(out, ',');
			WriteString(out, base + start, (int) (ends[k] - start));
			PutChar(out, ':');
			WriteChild(out, c, n + k, base, ends[n + k - 1], ends[n + k]);
		}
		PutChar(out, '}');
		if (order != order_small)
			pfree((void *) order);
	}
	else
		elog(ERROR, "unexpected jsonb container header %08x", c->header);
	if (ends != ends_small)
		pfree(ends);
}

/*
 * KycCanonicalJsonb
 *		Append the canonical serialisation of a jsonb value to out.
 */
void
KycCanonicalJsonb(StringInfo out, Jsonb *jb)
{
	WriteContainer(out, &jb->root);
	out->data[out->len] = '\0';
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
