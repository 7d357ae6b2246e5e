#!/usr/bin/env bash
# The randomized model-based test (tests/model/run.py, docs/testing.md): random API calls of
# every role on many applications, kyc.invariant_violations() and the model's own rules checked
# after every step, the ledger verified and every decision replayed at the end. Bounded by a step
# and a time budget (about a minute); `make soak` runs it much longer over many seeds.
# MODEL_SEED=N replays a run; MODEL_REPORT_ONLY=1 prints every finding by kind and exits 0.
set -uo pipefail
cd "$(dirname "$0")/../.."
export MODEL_SEED=${MODEL_SEED:-13} MODEL_STEPS=${MODEL_STEPS:-2500} MODEL_SECONDS=${MODEL_SECONDS:-60}
# Debian's python3, which has python3-psycopg (a python3 earlier on PATH, pyenv's say, may not)
py=$(command -v /usr/bin/python3 || command -v python3)
"$py" tests/model/run.py
