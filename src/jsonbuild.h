/*-------------------------------------------------------------------------
 *
 * jsonbuild.h
 *	  Building small jsonb payloads in C.
 *
 * IDENTIFICATION
 *	  src/jsonbuild.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef KYC_JSONBUILD_H
#define KYC_JSONBUILD_H

#include "lib/stringinfo.h"
#include "utils/jsonb.h"

typedef struct KycJson
{
	StringInfoData buf;
	bool		first;
} KycJson;

extern void KycJsonBegin(KycJson *j);
extern void KycJsonString(KycJson *j, const char *key, const char *value);
extern void KycJsonInt(KycJson *j, const char *key, int64 value);
extern void KycJsonRaw(KycJson *j, const char *key, const char *json);
extern Jsonb *KycJsonEnd(KycJson *j);
extern void KycJsonbPushKey(JsonbParseState **st, const char *key);
extern void KycJsonbPushText(JsonbParseState **st, JsonbIteratorToken tok, const char *s);
extern void KycJsonbPushString(JsonbParseState **st, const char *key, const char *value);
extern JsonbValue *KycJsonbMember(JsonbContainer *c, const char *key);

#endif							/* KYC_JSONBUILD_H */
