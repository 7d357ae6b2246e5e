#!/usr/bin/env bash
# Offline verifier (kyc_verify, src/verifier/): the test vectors of docs/ledger-format.md, then the
# fixture exports of tests/verifier/ as written and altered in many ways; every alteration must be
# rejected with the expected finding at the expected seq. Needs no database, python or network.
#
# tests/verifier/*.json come from `kyc_verify make-fixture DIR` (deterministic; checked below).
# Alterations that need hashes recomputed are fixture files; the others are sed edits made here
# on chain-valid.json, which has one row per line.
set -uo pipefail
cd "$(dirname "$0")/../.."
export LC_ALL=C

fixtures=tests/verifier
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

pass() { passed=$((passed + 1)); echo "ok - $1"; }
fail() { failed=$((failed + 1)); echo "not ok - $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/#   /'; }

# Build with the Makefile target when there is one, else straight with cc.
build() {
  if make -s kyc_verify >/dev/null 2>&1 && [ -x ./kyc_verify ]; then
    kv=./kyc_verify
  else
    cc -std=c99 -O2 -Wall -Wextra -Werror -pedantic -o "$tmp/kyc_verify" src/verifier/*.c || return 1
    kv=$tmp/kyc_verify
  fi
}

# check NAME RC TEXT CMD...: CMD must exit with RC and print a line containing TEXT.
check() {
  local name=$1 want_rc=$2 text=$3 out rc
  shift 3
  out=$("$@" 2>&1)
  rc=$?
  if [ "$rc" -ne "$want_rc" ]; then
    fail "$name" "exit status $rc, expected $want_rc"$'\n'"$out"
  elif ! grep -qF -- "$text" <<<"$out"; then
    fail "$name" "no line containing: $text"$'\n'"$out"
  else
    pass "$name"
  fi
}

# alter NAME SED-SCRIPT [SOURCE]: $tmp/NAME.json = SOURCE edited; the edit must change something.
alter() {
  local src=${3:-$fixtures/chain-valid.json}
  sed -e "$2" "$src" >"$tmp/$1.json"
  if cmp -s "$src" "$tmp/$1.json"; then
    echo "# alteration $1 did not apply" >&2
    return 1
  fi
}

# chain_case NAME RC TEXT SED-SCRIPT: alter chain-valid.json, verify it.
chain_case() {
  if alter "$1" "$4"; then check "$1" "$2" "$3" "$kv" chain "$tmp/$1.json"; else fail "$1" "edit did not apply"; fi
}

# digest_case NAME RC TEXT SED-SCRIPT: alter digest-2.json, verify it.
digest_case() {
  if alter "$1" "$4" "$fixtures/digest-2.json"; then check "$1" "$2" "$3" "$kv" digest "$tmp/$1.json"; else fail "$1" "edit did not apply"; fi
}

row() { printf '/^  {"seq": %s,/' "$1"; }		# sed address of the line of row N
zeros=0000000000000000000000000000000000000000000000000000000000000000
app=00112233-4455-6677-8899-aabbccddeeff

if ! build; then
  fail "build kyc_verify (warning-free)"
  echo "verifier: $passed passed, $failed failed"
  exit 1
fi
pass "build kyc_verify (warning-free)"

# -- the document's test vectors, and fixtures that the generator reproduces
check "test vectors of docs/ledger-format.md" 0 "vectors: 13 passed, 0 failed" "$kv" vectors
mkdir "$tmp/regen"
if "$kv" make-fixture "$tmp/regen" && diff -r -x README.md "$tmp/regen" "$fixtures" >/dev/null; then
  pass "fixtures are reproduced by make-fixture"
else
  fail "fixtures are reproduced by make-fixture"
fi

# -- valid exports
check "valid chain with explained redaction and seal" 0 \
  "chain $app: 5 rows, 1 redacted, 0 findings, sealed up to seq 5" "$kv" chain "$fixtures/chain-valid.json"
check "valid chain without seal" 0 ", 0 findings, not sealed" "$kv" chain "$fixtures/chain-unsealed.json"
check "valid digest" 0 "digest seal 2: tree_size 5" "$kv" digest "$fixtures/digest-2.json"
check "valid digest chain 1-2-3" 0 "digests: 3 files, 0 findings" \
  "$kv" digests "$fixtures/digest-1.json" "$fixtures/digest-2.json" "$fixtures/digest-3.json"

# -- equal values written differently must still verify (canonical JSON)
chain_case "payload 1.50 written 1.5" 0 ", 0 findings," "$(row 1)s/\"deposit\": 1\.50,/\"deposit\": 1.5,/"
chain_case "payload 1.50 written 15e-1" 0 ", 0 findings," "$(row 1)s/\"deposit\": 1\.50,/\"deposit\": 15e-1,/"
chain_case "payload 1.50 written 0.150E+1" 0 ", 0 findings," "$(row 1)s/\"deposit\": 1\.50,/\"deposit\": 0.150E+1,/"
chain_case "payload members reordered" 0 ", 0 findings," \
  "$(row 2)s/\"from\": \"application_started\", \"to\": \"consent_captured\"/\"to\": \"consent_captured\",\"from\":\"application_started\"/"
chain_case "payload string with \\u escapes" 0 ", 0 findings," "$(row 1)s/Zo\xc3\xab Example/Zo\\\\u00eb\\\\u0020Example/"
chain_case "whole export re-indented" 0 ", 0 findings," 's/, "/,\n    "/g'

# -- edited fields of a row
chain_case "changed kind" 1 "seq 4: row_hash_mismatch" "$(row 4)s/\"kind\": \"state_change\"/\"kind\": \"decision\"/"
chain_case "changed data_class" 1 "seq 2: row_hash_mismatch" "$(row 2)s/\"data_class\": \"internal\"/\"data_class\": \"customer_safe\"/"
chain_case "changed recorded_at_us" 1 "seq 2: row_hash_mismatch" "$(row 2)s/\"recorded_at_us\": 1795305660000000/\"recorded_at_us\": 1795305661000000/"
chain_case "changed actor_role" 1 "seq 1: row_hash_mismatch" "$(row 1)s/\"actor_role\": \"onboarding_svc\"/\"actor_role\": \"kyc_admin\"/"
chain_case "changed actor_role_oid" 1 "seq 2: row_hash_mismatch" "$(row 2)s/\"actor_role_oid\": 16390/\"actor_role_oid\": 10/"
chain_case "changed actor_principal" 1 "seq 1: row_hash_mismatch" "$(row 1)s/\"actor_principal\": null/\"actor_principal\": \"emp-1\"/"
chain_case "changed payload_schema_version" 1 "seq 4: row_hash_mismatch" "$(row 4)s/\"payload_schema_version\": 1/\"payload_schema_version\": 2/"
chain_case "changed payload value, digest kept" 1 "seq 2: payload_digest_mismatch" "$(row 2)s/\"to\": \"consent_captured\"/\"to\": \"rejected\"/"
chain_case "payload 1.50 changed to 1.51" 1 "seq 1: payload_digest_mismatch" "$(row 1)s/\"deposit\": 1\.50,/\"deposit\": 1.51,/"
chain_case "changed salt" 1 "seq 4: payload_digest_mismatch" "$(row 4)s/\"salt\": \"[0-9a-f]/\"salt\": \"g/;$(row 4)s/\"salt\": \"g[0-9a-f]/\"salt\": \"00/"
check "changed payload, digest recomputed, row_hash kept" 1 "seq 2: row_hash_mismatch" \
  "$kv" chain "$fixtures/chain-payload-redigested.json"
chain_case "changed row_hash" 1 "seq 3: prev_hash_mismatch" "$(row 2)s/\"row_hash\": \"[0-9a-f]*\"/\"row_hash\": \"$zeros\"/"
chain_case "changed prev_hash of seq 1" 1 "seq 1: prev_hash_mismatch" "$(row 1)s/\"prev_hash\": \"0/\"prev_hash\": \"1/"
chain_case "hash_version 2" 1 "seq 2: wrong_format: expected hash_version 1, actual hash_version 2" "$(row 2)s/\"hash_version\": 1/\"hash_version\": 2/"

# -- rows deleted, moved, inserted; a chain rewritten from row 2 on
chain_case "deleted middle row" 1 "seq 4: seq_gap: expected 3, actual 4" "$(row 3)d"
if alter swapped "$(row 2)h;$(row 2)d;$(row 3)G"; then
  check "swapped pair of rows" 1 "seq 3: seq_gap: expected 2, actual 3" "$kv" chain "$tmp/swapped.json"
else fail "swapped pair of rows" "edit did not apply"; fi
chain_case "duplicated row" 1 "seq 2: seq_gap: expected 3, actual 2" "$(row 2)p"
check "inserted row with valid hashes" 1 "seq 3: seq_gap: expected 4, actual 3" "$kv" chain "$fixtures/chain-forged-insert.json"
check "inserted row breaks the next link" 1 "seq 3: prev_hash_mismatch" "$kv" chain "$fixtures/chain-forged-insert.json"
check "chain rewritten with recomputed hashes (seal catches it)" 1 "seq 5: seal_inclusion_mismatch" \
  "$kv" chain "$fixtures/chain-rewritten.json"

# -- redaction
chain_case "redaction without retention_action" 1 "seq 4: unexplained_redaction" \
  "$(row 4)s/\"payload\": {[^}]*}, \"salt\": \"[0-9a-f]*\"/\"payload\": null, \"salt\": null/"
chain_case "retention row no longer a retention_action" 1 "seq 3: unexplained_redaction" \
  "$(row 5)s/\"kind\": \"retention_action\"/\"kind\": \"state_change\"/"
chain_case "retention row lists another digest" 1 "seq 3: redaction_mismatch" \
  "$(row 5)s/\"redacted\": \[{\"seq\": 3, \"payload_digest\": \"[0-9a-f]*\"/\"redacted\": [{\"seq\": 3, \"payload_digest\": \"$zeros\"/"
chain_case "retention row lists another seq" 1 "seq 3: unexplained_redaction" \
  "$(row 5)s/\"redacted\": \[{\"seq\": 3,/\"redacted\": [{\"seq\": 4,/"
check "retention row recorded before the redacted row" 1 "seq 3: unexplained_redaction" \
  "$kv" chain "$fixtures/chain-retention-before.json"
chain_case "salt removed, payload kept" 1 "seq 2: redaction_mismatch" "$(row 2)s/\"salt\": \"[0-9a-f]*\"/\"salt\": null/"
chain_case "payload removed, salt kept" 1 "seq 2: redaction_mismatch" "$(row 2)s/\"payload\": {[^}]*}/\"payload\": null/"

# -- the seal
chain_case "wrong audit path element" 1 "seq 5: seal_inclusion_mismatch" "s/\"audit_path\": \[\"[0-9a-f]*\"/\"audit_path\": [\"$zeros\"/"
chain_case "truncated audit path" 1 "actual audit path is shorter than the tree is deep" 's/, "[0-9a-f]*"\]}}$/]}}/'
chain_case "extended audit path" 1 "audit path is longer than the tree is deep" "s/\"\]}}\$/\", \"$zeros\"]}}/"
chain_case "wrong leaf_index" 1 "seq 5: seal_inclusion_mismatch" 's/"leaf_index": 3/"leaf_index": 2/'
chain_case "leaf_index beyond tree_size" 1 "leaf_index is not below tree_size" 's/"leaf_index": 3/"leaf_index": 5/'
chain_case "head_seq moved to another row" 1 "seq 4: seal_inclusion_mismatch" 's/"head_seq": 5/"head_seq": 4/'
chain_case "head_seq of a row not exported" 1 "seq 9: sealed_row_missing" 's/"head_seq": 5/"head_seq": 9/'
chain_case "sealed head row deleted" 1 "seq 5: sealed_row_missing" "$(row 4)s/},\$/}],/;$(row 5)d"
chain_case "edited field of the seal digest" 1 "seq 5: seal_digest_hash_mismatch" 's/"tree_size": 5/"tree_size": 6/'
chain_case "seal digest of another format" 1 "seq 5: wrong_format" 's/"format": "pg_kyc.digest.v1"/"format": "pg_kyc.digest.v0"/'

# -- digests and the chain of digests
digest_case "edited sealed_at_us" 1 "seal 2: digest_hash_mismatch" 's/"sealed_at_us": 1795309200000000/"sealed_at_us": 1795309200000001/'
digest_case "edited merkle_root" 1 "seal 2: digest_hash_mismatch" "s/\"merkle_root\": \"[0-9a-f]*\"/\"merkle_root\": \"$zeros\"/"
digest_case "edited database_name" 1 "seal 2: digest_hash_mismatch" 's/"database_name": "kyc"/"database_name": "kyc2"/'
digest_case "edited system_identifier" 1 "seal 2: digest_hash_mismatch" 's/"system_identifier": "7391234567890123456"/"system_identifier": "7391234567890123457"/'
digest_case "system_identifier with a leading zero" 1 "seal 2: noncanonical_field" 's/"system_identifier": "7/"system_identifier": "07/'
check "digest chain with a seal left out" 1 "seal 3: digest_chain_break: expected seal_id 2, actual seal_id 3" \
  "$kv" digests "$fixtures/digest-1.json" "$fixtures/digest-3.json"
check "digest chain in the wrong order" 1 "digest_chain_break" \
  "$kv" digests "$fixtures/digest-2.json" "$fixtures/digest-1.json"
check "digest chain forked (prev_digest_hash)" 1 "seal 2: digest_chain_break" \
  "$kv" digests "$fixtures/digest-1.json" "$fixtures/digest-2-fork.json"
check "digest chain going back in time" 1 "seal 2: digest_chain_break: expected sealed_at_us >=" \
  "$kv" digests "$fixtures/digest-1.json" "$fixtures/digest-2-earlier.json"
check "digest from another database incarnation" 1 "seal 2: identity_changed" \
  "$kv" digests "$fixtures/digest-1.json" "$fixtures/digest-2-identity.json"
if alter digest-3-edited 's/"tree_size": 5/"tree_size": 4/' "$fixtures/digest-3.json"; then
  check "edited digest inside a digest chain" 1 "seal 3: digest_hash_mismatch" \
    "$kv" digests "$fixtures/digest-1.json" "$fixtures/digest-2.json" "$tmp/digest-3-edited.json"
else fail "edited digest inside a digest chain" "edit did not apply"; fi

# -- spelled the way pg_kyc never writes it, or members added
chain_case "upper-case hex" 1 "seq 2: noncanonical_field: expected row_hash=" "$(row 2)s/\"row_hash\": \"\([0-9a-f]*\)\"/\"row_hash\": \"\U\1\"/"
chain_case "seq written 2.0" 1 "seq 2: noncanonical_field: expected seq=2, actual seq=2.0" "$(row 2)s/\"seq\": 2,/\"seq\": 2.0,/"
chain_case "upper-case application_id" 1 "chain: noncanonical_field" "s/\"application_id\": \"$app\"/\"application_id\": \"00112233-4455-6677-8899-AABBCCDDEEFF\"/"
chain_case "member added to a row" 1 "seq 2: wrong_format" "$(row 2)s/\"kind\"/\"approved_by\": \"cfo\", \"kind\"/"
chain_case "wrong format name" 1 "chain: wrong_format: expected pg_kyc.chain.v1" 's/"format": "pg_kyc.chain.v1"/"format": "pg_kyc.chain.v2"/'
check "digest given to chain" 1 "chain: wrong_format" "$kv" chain "$fixtures/digest-2.json"
check "chain given to digest" 1 "digest: wrong_format" "$kv" digest "$fixtures/chain-valid.json"

# -- unreadable input: exit status 2
head -c 700 "$fixtures/chain-valid.json" >"$tmp/truncated.json"
check "truncated JSON" 2 "invalid JSON" "$kv" chain "$tmp/truncated.json"
chain_case "invalid UTF-8 in a string" 2 "invalid UTF-8 in string" "$(row 1)s/Zo\xc3\xab/Zo\xc3\x28/"
chain_case "overlong UTF-8 in a string" 2 "invalid UTF-8 in string" "$(row 1)s/Zo\xc3\xab/Zo\xc0\xaf/"
chain_case "lone high surrogate escape" 2 "lone high surrogate" "$(row 1)s/Zo\xc3\xab/Zo\\\\ud800/"
chain_case "lone low surrogate escape" 2 "lone low surrogate" "$(row 1)s/Zo\xc3\xab/Zo\\\\udc00/"
chain_case "high surrogate before a non-surrogate" 2 "high surrogate not followed by a low surrogate" "$(row 1)s/Zo\xc3\xab/Zo\\\\ud800\\\\u0041/"
chain_case "raw control character in a string" 2 "control character in string" "$(row 1)s/Zo\xc3\xab/Zo\x01/"
chain_case "duplicate key" 2 "duplicate key \"seq\"" "$(row 2)s/\"seq\": 2,/\"seq\": 2, \"seq\": 2,/"
chain_case "trailing comma" 2 "invalid JSON" "$(row 2)s/\"row_hash\": \"\([0-9a-f]*\)\"}/\"row_hash\": \"\1\",}/"
chain_case "missing member" 2 "member \"kind\" of row 2 is missing" "$(row 2)s/\"kind\": \"state_change\", //"
chain_case "member of the wrong type" 2 "member \"recorded_at_us\" of row 2 is a JSON string" \
  "$(row 2)s/\"recorded_at_us\": \([0-9]*\)/\"recorded_at_us\": \"\1\"/"
chain_case "number too long to canonicalise" 2 "too long to write in plain notation" "$(row 1)s/\"deposit\": 1\.50,/\"deposit\": 1e999999999,/"
{ printf '{"format": "pg_kyc.chain.v1", "x": '; printf '[%.0s' $(seq 600); printf ']%.0s' $(seq 600); printf '}'; } >"$tmp/deep.json"
check "nesting deeper than 512" 2 "nesting deeper than 512 levels" "$kv" chain "$tmp/deep.json"
check "missing file" 2 "could not open file" "$kv" chain "$tmp/no-such-file.json"
check "no arguments" 2 "usage: kyc_verify" "$kv"
check "unrecognized command" 2 "usage: kyc_verify" "$kv" frobnicate "$fixtures/chain-valid.json"

echo "verifier: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
