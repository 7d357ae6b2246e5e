#!/usr/bin/env bash
# `make soak`: the randomized model test (tests/model/run.py) over many seeds, for SOAK_MINUTES
# (default 20) in all, each seed for up to SOAK_SEED_SECONDS (default 300). Seeds start at
# SOAK_FIRST_SEED (default 1000) and count up, so a soak run is itself replayable. Every seed's
# first lines and its outcome are printed; exits non-zero when any seed found something.
# MODEL_REPORT_ONLY=1 makes each seed report everything it finds and the soak exit 0.
set -uo pipefail
cd "$(dirname "$0")/../.."
minutes=${SOAK_MINUTES:-20}
per_seed=${SOAK_SEED_SECONDS:-300}
seed=${SOAK_FIRST_SEED:-1000}
deadline=$(( $(date +%s) + minutes * 60 ))
failed=()
runs=0
while [ "$(date +%s)" -lt "$deadline" ]; do
  left=$(( deadline - $(date +%s) ))
  [ "$left" -lt 10 ] && break
  budget=$(( left < per_seed ? left : per_seed ))
  echo "== seed $seed ($budget s)"
  MODEL_SEED=$seed MODEL_STEPS=${MODEL_STEPS:-1000000} MODEL_SECONDS=$budget python3 tests/model/run.py > /tmp/kyc_soak_$seed.out 2>&1
  rc=$?
  runs=$((runs + 1))
  if [ $rc -ne 0 ]; then
    failed+=("$seed")
    head -n 12 /tmp/kyc_soak_$seed.out
  else
    tail -n 3 /tmp/kyc_soak_$seed.out
  fi
  seed=$((seed + 1))
done
echo "soak: $runs seeds run, ${#failed[@]} found something${failed:+: ${failed[*]}} (full output in /tmp/kyc_soak_<seed>.out)"
[ ${#failed[@]} -eq 0 ]
