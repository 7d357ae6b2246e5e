# Sourced by the script tests (tests/scripts/*.sh): one TAP-style line per check, and $fail set
# when any check failed (the script exits with it).
fail=0
check() {			# check NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then echo "ok - $1"; else echo "not ok - $1: expected $2, got $3"; fail=1; fi
}
