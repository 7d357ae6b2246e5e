/*-------------------------------------------------------------------------
 *
 * json.h
 *	  A strict RFC 8259 JSON parser into a tree, and the canonical JSON
 *	  serialisation v1 of docs/ledger-format.md.
 *
 * IDENTIFICATION
 *	  src/verifier/json.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef KYC_VERIFY_JSON_H
#define KYC_VERIFY_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

#define JSON_MAX_DEPTH		512		/* deepest array/object nesting accepted */
#define JSON_MAX_NUMBER_LEN	1000000	/* longest canonical number produced */
#define JSON_ERRLEN			256

typedef enum JsonKind
{
	JSON_NULL,
	JSON_FALSE,
	JSON_TRUE,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT
} JsonKind;

typedef struct JsonMember JsonMember;

/*
 * One JSON value.  A string holds its decoded UTF-8 bytes (it may contain
 * NUL, hence the length); a number holds its source text, never a double.
 */
typedef struct JsonValue
{
	JsonKind	kind;
	char	   *text;			/* JSON_STRING, JSON_NUMBER; NUL-terminated */
	size_t		len;
	struct JsonValue **items;	/* JSON_ARRAY, in order */
	size_t		nitems;
	JsonMember *members;		/* JSON_OBJECT, sorted by key bytes */
	size_t		nmembers;
} JsonValue;

/* An object member; keys are unique within their object. */
struct JsonMember
{
	char	   *key;
	size_t		keylen;
	JsonValue  *value;
};

extern JsonValue *JsonParse(const char *text, size_t len, char *err);
extern void JsonFree(JsonValue *value);
extern const JsonValue *JsonGet(const JsonValue *object, const char *key);
extern const char *JsonKindName(JsonKind kind);
extern int	JsonKeyCompare(const char *a, size_t alen, const char *b, size_t blen);

extern bool JsonCanonical(const JsonValue *value, KvBuf *out, char *err);
extern bool JsonCanonicalNumber(const char *text, size_t len, KvBuf *out, char *err);
extern void JsonCanonicalString(KvBuf *out, const char *s, size_t len);

#endif							/* KYC_VERIFY_JSON_H */
