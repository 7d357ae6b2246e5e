/*-------------------------------------------------------------------------
 *
 * export.c
 *	  Reading the two export formats of docs/ledger-format.md
 *	  (pg_kyc.chain.v1, pg_kyc.digest.v1) from a parsed JSON tree.
 *
 * A member that is missing, of the wrong JSON type or out of range makes the
 * export unreadable (EXPORT_ERROR, exit status 2).  A value that reads fine
 * but is not spelled the way pg_kyc writes it (upper-case hex, 3.0 for 3)
 * is a noncanonical_field finding, and a member the format does not have is
 * a wrong_format finding: neither changes a hash, but pg_kyc never writes
 * them, so the file was edited.
 *
 * IDENTIFICATION
 *	  src/verifier/export.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"

/* Reads the members of one JSON object and says where findings belong. */
typedef struct FieldReader
{
	const JsonValue *object;
	const char *what;			/* for error messages, e.g. "row 3" */
	Report	   *report;
	const char *scope;			/* findings go to "<scope> <number>" */
	int64_t		number;
	char	   *err;			/* JSON_ERRLEN bytes */
} FieldReader;

static const char *const chain_members[] = {
	"format", "tenant_id", "application_id", "rows", "seal", NULL
};
static const char *const row_members[] = {
	"seq", "hash_version", "kind", "data_class", "recorded_at_us", "actor_role",
	"actor_role_oid", "actor_principal", "payload_schema_version", "payload",
	"salt", "payload_digest", "prev_hash", "row_hash", "withheld", NULL
};
static const char *const seal_members[] = {
	"digest", "leaf_index", "head_seq", "audit_path", NULL
};
static const char *const digest_members[] = {
	"format", "hash_version", "seal_id", "sealed_at_us", "tree_size",
	"merkle_root", "prev_digest_hash", "system_identifier", "database_oid",
	"database_name", "incarnation", "digest_hash", NULL
};

/*
 * ReaderFail
 *		Record why a member cannot be read; always returns false.
 */
static bool
ReaderFail(FieldReader *fr, const char *key, const char *problem)
{
	snprintf(fr->err, JSON_ERRLEN, "member \"%.40s\" of %.40s %.160s", key, fr->what, problem);
	return false;
}

/*
 * GetMember
 *		The member key, which must exist and be of the given kind (or null
 *		when nullable; *value is then NULL).
 */
static bool
GetMember(FieldReader *fr, const char *key, JsonKind kind, bool nullable,
		  const JsonValue **value)
{
	const JsonValue *v = JsonGet(fr->object, key);
	char		problem[96];

	if (v == NULL)
		return ReaderFail(fr, key, "is missing");
	if (v->kind == JSON_NULL && nullable)
	{
		*value = NULL;
		return true;
	}
	if (v->kind != kind)
	{
		snprintf(problem, sizeof(problem), "is a JSON %s, expected a JSON %s%s",
				 JsonKindName(v->kind), JsonKindName(kind),
				 nullable ? " or null" : "");
		return ReaderFail(fr, key, problem);
	}
	*value = v;
	return true;
}

/*
 * ReportNoncanonical
 *		A value that reads fine but is not written the way pg_kyc writes it.
 */
static void
ReportNoncanonical(FieldReader *fr, const char *key, const char *canonical,
				   const char *written, size_t writtenlen)
{
	char		expected[REPORT_VALUE_LEN + 80];
	char		actual[REPORT_VALUE_LEN + 80];
	char		quoted[REPORT_VALUE_LEN];

	snprintf(expected, sizeof(expected), "%s=%s", key, canonical);
	ReportQuote(written, writtenlen, quoted, sizeof(quoted));
	snprintf(actual, sizeof(actual), "%s=%s", key, quoted);
	ReportFinding(fr->report, fr->scope, fr->number, "noncanonical_field",
				  expected, actual);
}

/*
 * ParsePlainInteger
 *		-?[0-9]+ into an int64 within [min, max]; false when out of range.
 */
static bool
ParsePlainInteger(const char *s, int64_t min, int64_t max, int64_t *out)
{
	bool		neg = (*s == '-');
	uint64_t	mag = 0;
	uint64_t	limit = neg ? (uint64_t) INT64_MAX + 1 : (uint64_t) INT64_MAX;

	if (neg)
		s++;
	if (*s == '\0')
		return false;
	for (; *s; s++)
	{
		if (*s < '0' || *s > '9')
			return false;
		if (mag > (limit - (uint64_t) (*s - '0')) / 10)
			return false;
		mag = mag * 10 + (uint64_t) (*s - '0');
	}
	if (neg)
		*out = (mag == (uint64_t) INT64_MAX + 1) ? INT64_MIN : -(int64_t) mag;
	else
		*out = (int64_t) mag;
	return *out >= min && *out <= max;
}

/*
 * ReadInteger
 *		An integer member in [min, max].  Its value is taken from the
 *		canonical form of the number, so 3.0 reads as 3 (and is reported).
 */
static bool
ReadInteger(FieldReader *fr, const char *key, int64_t min, int64_t max,
			int64_t *out)
{
	const JsonValue *v;
	KvBuf		canon;
	char		msg[JSON_ERRLEN];
	bool		ok;

	if (!GetMember(fr, key, JSON_NUMBER, false, &v))
		return false;
	KvBufInit(&canon);
	if (!JsonCanonicalNumber(v->text, v->len, &canon, msg))
		return KvBufFree(&canon), ReaderFail(fr, key, msg);
	ok = ParsePlainInteger((const char *) canon.data, min, max, out);
	if (ok && strcmp((const char *) canon.data, v->text) != 0)
		ReportNoncanonical(fr, key, (const char *) canon.data, v->text, v->len);
	KvBufFree(&canon);
	if (!ok)
	{
		snprintf(msg, sizeof(msg), "is not an integer between %lld and %lld",
				 (long long) min, (long long) max);
		return ReaderFail(fr, key, msg);
	}
	return true;
}

/*
 * ReadU16, ReadU32
 *		Unsigned integer members of the spec's u16 and u32 widths.
 */
static bool
ReadU16(FieldReader *fr, const char *key, uint16_t *out)
{
	int64_t		v;

	if (!ReadInteger(fr, key, 0, UINT16_MAX, &v))
		return false;
	*out = (uint16_t) v;
	return true;
}

static bool
ReadU32(FieldReader *fr, const char *key, uint32_t *out)
{
	int64_t		v;

	if (!ReadInteger(fr, key, 0, UINT32_MAX, &v))
		return false;
	*out = (uint32_t) v;
	return true;
}

/*
 * ReadDecimalU64
 *		A u64 written as a decimal string (system_identifier); leading zeros
 *		read but are reported.
 */
static bool
ReadDecimalU64(FieldReader *fr, const char *key, uint64_t *out)
{
	const JsonValue *v;
	size_t		i;
	size_t		first = 0;

	if (!GetMember(fr, key, JSON_STRING, false, &v))
		return false;
	if (v->len == 0)
		return ReaderFail(fr, key, "is not a decimal integer string");
	*out = 0;
	for (i = 0; i < v->len; i++)
	{
		unsigned	d = (unsigned) (unsigned char) v->text[i] - '0';

		if (d > 9)
			return ReaderFail(fr, key, "is not a decimal integer string");
		if (*out > (UINT64_MAX - d) / 10)
			return ReaderFail(fr, key, "does not fit 64 bits");
		*out = *out * 10 + d;
	}
	while (first + 1 < v->len && v->text[first] == '0')
		first++;
	if (first > 0)
		ReportNoncanonical(fr, key, v->text + first, v->text, v->len);
	return true;
}

/*
 * ReadString
 *		A string member; with nullable, null reads as the SQL NULL str.
 */
static bool
ReadString(FieldReader *fr, const char *key, bool nullable, LedgerStr *out)
{
	const JsonValue *v;

	if (!GetMember(fr, key, JSON_STRING, nullable, &v))
		return false;
	out->ptr = v ? v->text : NULL;
	out->len = v ? v->len : 0;
	return true;
}

/*
 * DecodeHex
 *		A hex string value of exactly len bytes; upper case is reported.
 */
static bool
DecodeHex(FieldReader *fr, const char *key, const JsonValue *v,
		  unsigned char *out, size_t len)
{
	bool		canonical;
	char		problem[64];

	if (!LedgerHexDecode(v->text, v->len, out, len, &canonical))
	{
		snprintf(problem, sizeof(problem), "is not %zu hex digits", 2 * len);
		return ReaderFail(fr, key, problem);
	}
	if (!canonical)
	{
		char		lower[2 * LEDGER_HASH_LEN + 1];

		LedgerHexEncode(out, len, lower);
		ReportNoncanonical(fr, key, lower, v->text, v->len);
	}
	return true;
}

/*
 * ReadHash
 *		A 32-byte hash written as 64 hex digits.
 */
static bool
ReadHash(FieldReader *fr, const char *key, LedgerHash out)
{
	const JsonValue *v;

	if (!GetMember(fr, key, JSON_STRING, false, &v))
		return false;
	return DecodeHex(fr, key, v, out, LEDGER_HASH_LEN);
}

/*
 * ReadSalt
 *		The 32-byte salt as hex, or null once redacted.
 */
static bool
ReadSalt(FieldReader *fr, ChainRow *row)
{
	const JsonValue *v;

	if (!GetMember(fr, "salt", JSON_STRING, true, &v))
		return false;
	row->has_salt = (v != NULL);
	if (v == NULL)
		return true;
	return DecodeHex(fr, "salt", v, row->salt, LEDGER_SALT_LEN);
}

/*
 * ReadWithheld
 *		The optional "withheld": true of a row whose data class the exporting
 *		role may not read.  Such a row carries neither payload nor salt, so
 *		only its row hash and linkage can be checked.
 */
static bool
ReadWithheld(FieldReader *fr, ChainRow *row)
{
	const JsonValue *v = JsonGet(fr->object, "withheld");

	row->withheld = false;
	if (v == NULL || v->kind == JSON_FALSE)
		return true;
	if (v->kind != JSON_TRUE)
		return ReaderFail(fr, "withheld", "is not a JSON boolean");
	if (row->payload != NULL || row->has_salt)
		return ReaderFail(fr, "withheld", "is true but the row carries a payload or salt");
	row->withheld = true;
	return true;
}

/*
 * ReadUuid
 *		A uuid in its 8-4-4-4-12 text form; upper case is reported.
 */
static bool
ReadUuid(FieldReader *fr, const char *key, LedgerUuid out)
{
	const JsonValue *v;
	bool		canonical;

	if (!GetMember(fr, key, JSON_STRING, false, &v))
		return false;
	if (!LedgerUuidParse(v->text, v->len, out, &canonical))
		return ReaderFail(fr, key, "is not a uuid");
	if (!canonical)
	{
		char		lower[LEDGER_UUID_TEXT_LEN + 1];

		LedgerUuidFormat(out, lower);
		ReportNoncanonical(fr, key, lower, v->text, v->len);
	}
	return true;
}

/*
 * CheckKnownMembers
 *		Report each member the format does not define (wrong_format): an
 *		added note could mislead a reader although no hash covers it.
 */
static void
CheckKnownMembers(FieldReader *fr, const char *const *known)
{
	size_t		i;

	for (i = 0; i < fr->object->nmembers; i++)
	{
		const JsonMember *m = &fr->object->members[i];
		const char *const *k;
		char		quoted[REPORT_VALUE_LEN];
		char		actual[REPORT_VALUE_LEN + 32];
		char		expected[96];

		for (k = known; *k != NULL; k++)
			if (strlen(*k) == m->keylen && memcmp(*k, m->key, m->keylen) == 0)
				break;
		if (*k != NULL)
			continue;
		ReportQuote(m->key, m->keylen, quoted, sizeof(quoted));
		snprintf(expected, sizeof(expected), "only the members of %s", fr->what);
		snprintf(actual, sizeof(actual), "member \"%s\"", quoted);
		ReportFinding(fr->report, fr->scope, fr->number, "wrong_format",
					  expected, actual);
	}
}

/*
 * CheckFormat
 *		The "format" member must name the expected format; otherwise report
 *		wrong_format and return false.
 */
static bool
CheckFormat(const JsonValue *object, Report *report, const char *scope,
			int64_t number, const char *format)
{
	const JsonValue *v = JsonGet(object, "format");
	char		quoted[REPORT_VALUE_LEN];

	if (v != NULL && v->kind == JSON_STRING && strlen(format) == v->len &&
		memcmp(v->text, format, v->len) == 0)
		return true;
	if (object->kind != JSON_OBJECT)
		snprintf(quoted, sizeof(quoted), "a JSON %s", JsonKindName(object->kind));
	else if (v == NULL)
		snprintf(quoted, sizeof(quoted), "no \"format\" member");
	else if (v->kind != JSON_STRING)
		snprintf(quoted, sizeof(quoted), "a JSON %s", JsonKindName(v->kind));
	else
		ReportQuote(v->text, v->len, quoted, sizeof(quoted));
	ReportFinding(report, scope, number, "wrong_format", format, quoted);
	return false;
}

/*
 * ReadDigestFields
 *		The members of a digest object other than format.
 */
static bool
ReadDigestFields(FieldReader *fr, ExportDigest *d)
{
	LedgerSeal *s = &d->seal;
	int64_t		v;

	if (!ReadInteger(fr, "hash_version", 0, UINT16_MAX, &v))
		return false;
	s->hash_version = (uint16_t) v;
	return ReadInteger(fr, "seal_id", INT64_MIN, INT64_MAX, &s->seal_id) &&
		ReadInteger(fr, "sealed_at_us", INT64_MIN, INT64_MAX, &s->sealed_at_us) &&
		ReadInteger(fr, "tree_size", 0, INT64_MAX, &s->tree_size) &&
		ReadHash(fr, "merkle_root", s->merkle_root) &&
		ReadHash(fr, "prev_digest_hash", s->prev_digest_hash) &&
		ReadDecimalU64(fr, "system_identifier", &s->system_identifier) &&
		ReadU32(fr, "database_oid", &s->database_oid) &&
		ReadString(fr, "database_name", false, &s->database_name) &&
		ReadUuid(fr, "incarnation", s->incarnation) &&
		ReadHash(fr, "digest_hash", d->digest_hash);
}

/*
 * ReadDigestObject
 *		A digest object, with findings under scope/number.
 */
static bool
ReadDigestObject(const JsonValue *object, Report *report, const char *scope,
				 int64_t number, const char *what, ExportDigest *d, char *err)
{
	FieldReader fr = {object, what, report, scope, number, err};

	CheckKnownMembers(&fr, digest_members);
	return ReadDigestFields(&fr, d);
}

/*
 * ExportReadDigest
 *		A whole pg_kyc.digest.v1 document; findings go to "seal <seal_id>".
 */
ExportStatus
ExportReadDigest(const JsonValue *doc, Report *report, ExportDigest *digest,
				 char *err)
{
	FieldReader fr = {doc, "the digest", report, "seal", REPORT_NO_NUMBER, err};
	int64_t		seal_id;

	if (!CheckFormat(doc, report, "digest", REPORT_NO_NUMBER, FORMAT_DIGEST))
		return EXPORT_WRONG_FORMAT;
	if (!ReadInteger(&fr, "seal_id", INT64_MIN, INT64_MAX, &seal_id))
		return EXPORT_ERROR;
	if (!ReadDigestObject(doc, report, "seal", seal_id, "the digest", digest, err))
		return EXPORT_ERROR;
	return EXPORT_OK;
}

/*
 * ReadRowFields
 *		The members of one row object other than seq.
 */
static bool
ReadRowFields(FieldReader *fr, ChainRow *row)
{
	LedgerRow  *f = &row->fields;

	return ReadU16(fr, "hash_version", &f->hash_version) &&
		ReadString(fr, "kind", false, &f->kind) &&
		ReadString(fr, "data_class", false, &f->data_class) &&
		ReadInteger(fr, "recorded_at_us", INT64_MIN, INT64_MAX, &f->recorded_at_us) &&
		ReadString(fr, "actor_role", false, &f->actor_role) &&
		ReadU32(fr, "actor_role_oid", &f->actor_role_oid) &&
		ReadString(fr, "actor_principal", true, &f->actor_principal) &&
		ReadU16(fr, "payload_schema_version", &f->payload_schema_version) &&
		GetMember(fr, "payload", JSON_OBJECT, true, &row->payload) &&
		ReadSalt(fr, row) &&
		ReadWithheld(fr, row) &&
		ReadHash(fr, "payload_digest", f->payload_digest) &&
		ReadHash(fr, "prev_hash", f->prev_hash) &&
		ReadHash(fr, "row_hash", row->row_hash);
}

/*
 * ReadRow
 *		Row number pos (1-based) of the rows array.  Findings go to its seq
 *		once that is read.
 */
static bool
ReadRow(const JsonValue *object, size_t pos, Report *report,
		const ChainExport *chain, ChainRow *row, char *err)
{
	char		what[48];
	FieldReader fr = {object, what, report, "seq", (int64_t) pos, err};

	snprintf(what, sizeof(what), "row %zu", pos);
	if (object->kind != JSON_OBJECT)
		return snprintf(err, JSON_ERRLEN, "%s is not a JSON object", what), false;
	memset(row, 0, sizeof(ChainRow));
	if (!ReadInteger(&fr, "seq", INT64_MIN, INT64_MAX, &row->fields.seq))
		return false;
	fr.number = row->fields.seq;
	CheckKnownMembers(&fr, row_members);
	row->fields.tenant_id = chain->tenant_id;
	memcpy(row->fields.application_id, chain->application_id, LEDGER_UUID_LEN);
	return ReadRowFields(&fr, row);
}

/*
 * ReadAuditPath
 *		The audit_path array of hashes.
 */
static bool
ReadAuditPath(FieldReader *fr, ChainSeal *seal)
{
	const JsonValue *arr;
	size_t		i;

	if (!GetMember(fr, "audit_path", JSON_ARRAY, false, &arr))
		return false;
	seal->audit_path = KvAllocArray(arr->nitems, sizeof(LedgerHash));
	seal->path_len = arr->nitems;
	for (i = 0; i < arr->nitems; i++)
	{
		if (arr->items[i]->kind != JSON_STRING)
			return ReaderFail(fr, "audit_path", "holds a value that is not a string");
		if (!DecodeHex(fr, "audit_path", arr->items[i], seal->audit_path[i],
					   LEDGER_HASH_LEN))
			return false;
	}
	return true;
}

/*
 * ReadSeal
 *		The seal object of a chain; findings go to "seq <head_seq>".
 */
static bool
ReadSeal(const JsonValue *object, Report *report, ChainSeal *seal, char *err)
{
	FieldReader fr = {object, "the seal", report, "seq", REPORT_NO_NUMBER, err};
	const JsonValue *digest;
	int64_t		leaf_index;

	if (!ReadInteger(&fr, "head_seq", INT64_MIN, INT64_MAX, &seal->head_seq))
		return false;
	fr.number = seal->head_seq;
	CheckKnownMembers(&fr, seal_members);
	if (!ReadInteger(&fr, "leaf_index", 0, INT64_MAX, &leaf_index) ||
		!ReadAuditPath(&fr, seal) ||
		!GetMember(&fr, "digest", JSON_OBJECT, false, &digest))
		return false;
	seal->leaf_index = (uint64_t) leaf_index;
	CheckFormat(digest, report, "seq", seal->head_seq, FORMAT_DIGEST);
	return ReadDigestObject(digest, report, "seq", seal->head_seq,
							"the seal digest", &seal->digest, err);
}

/*
 * ReadRows
 *		Every element of the rows array.
 */
static bool
ReadRows(FieldReader *fr, ChainExport *chain)
{
	const JsonValue *arr;
	size_t		i;

	if (!GetMember(fr, "rows", JSON_ARRAY, false, &arr))
		return false;
	chain->rows = KvAllocArray(arr->nitems, sizeof(ChainRow));
	chain->nrows = arr->nitems;
	for (i = 0; i < arr->nitems; i++)
		if (!ReadRow(arr->items[i], i + 1, fr->report, chain, &chain->rows[i], fr->err))
			return false;
	return true;
}

/*
 * ExportReadChain
 *		A whole pg_kyc.chain.v1 document.  On EXPORT_ERROR the caller still
 *		frees the chain with ExportFreeChain.
 */
ExportStatus
ExportReadChain(const JsonValue *doc, Report *report, ChainExport *chain,
				char *err)
{
	FieldReader fr = {doc, "the chain", report, "chain", REPORT_NO_NUMBER, err};
	const JsonValue *seal;

	memset(chain, 0, sizeof(ChainExport));
	if (!CheckFormat(doc, report, "chain", REPORT_NO_NUMBER, FORMAT_CHAIN))
		return EXPORT_WRONG_FORMAT;
	CheckKnownMembers(&fr, chain_members);
	if (!ReadString(&fr, "tenant_id", false, &chain->tenant_id) ||
		!ReadUuid(&fr, "application_id", chain->application_id) ||
		!ReadRows(&fr, chain) ||
		!GetMember(&fr, "seal", JSON_OBJECT, true, &seal))
		return EXPORT_ERROR;
	chain->sealed = (seal != NULL);
	if (seal != NULL && !ReadSeal(seal, report, &chain->seal, err))
		return EXPORT_ERROR;
	return EXPORT_OK;
}

/*
 * ExportFreeChain
 *		Free what ExportReadChain allocated (not the JSON tree).
 */
void
ExportFreeChain(ChainExport *chain)
{
	free(chain->rows);
	free(chain->seal.audit_path);
	chain->rows = NULL;
	chain->seal.audit_path = NULL;
}
