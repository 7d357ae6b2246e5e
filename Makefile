# pg_kyc — PGXS build. `make demo` and `make test` are the two commands a newcomer needs;
# both install missing Debian packages first (tests/harness/setup-deps.sh).

MODULE_big   = pg_kyc
OBJS         = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))
EXTVERSION  := $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" extension/pg_kyc.control)
MODULEDIR    = extension
PARTS        = $(sort $(wildcard extension/parts/*/*.sql))
# Upgrade steps: a hand-written script per released step (extension/pg_kyc--A--B.sql), or, for the
# step to the unreleased version, the concatenation of extension/steps/A--B/*.sql (one file a topic).
STEPS        = $(notdir $(wildcard extension/steps/*--*))
DATA         = extension/pg_kyc.control $(filter-out $(STEPS:%=extension/pg_kyc--%.sql),$(wildcard extension/pg_kyc--*--*.sql)) $(wildcard extension/released/*.sql)
DATA_built   = extension/pg_kyc--$(EXTVERSION).sql $(STEPS:%=extension/pg_kyc--%.sql)
REGRESS      = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --load-extension=pg_kyc
ISOLATION    = $(patsubst tests/isolation/specs/%.spec,%,$(sort $(wildcard tests/isolation/specs/*.spec)))
ISOLATION_OPTS = --inputdir=tests/isolation --outputdir=tests/isolation/output --load-extension=pg_kyc
PG_CPPFLAGS  = -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers
SHLIB_LINK   = -lcrypto
EXTRA_CLEAN  = tests/isolation/output results regression.diffs regression.out kyc_verify

PG_CONFIG ?= $(firstword $(wildcard /usr/lib/postgresql/15/bin/pg_config) pg_config)
PGXS := $(wildcard $(shell $(PG_CONFIG) --pgxs 2>/dev/null))
ifeq ($(PGXS),)
# Before set-up has installed the server headers only `make demo` / `make test` / `make deps` work.
.DEFAULT_GOAL := deps
else
include $(PGXS)
endif

# Offline verifier of the evidence ledger (docs/ledger-format.md): C99 and libc only, no server headers.
VERIFIER_CC   ?= cc
VERIFIER_SRCS  = $(sort $(wildcard src/verifier/*.c))
kyc_verify: $(VERIFIER_SRCS) $(wildcard src/verifier/*.h)
	$(VERIFIER_CC) -std=c99 -O2 -Wall -Wextra -Werror -pedantic -o $@ $(VERIFIER_SRCS)
all: kyc_verify

# The install script is the concatenation of extension/parts/<order>_<kind>/<object>.sql.
extension/pg_kyc--$(EXTVERSION).sql: $(PARTS)
	cat $^ > $@

# The functions that several topic files of the unreleased step re-create, once more at its end as
# the parts define them (tests/harness/merged-functions.py); run after changing such a function.
.PHONY: merged-functions
merged-functions: extension/pg_kyc--$(EXTVERSION).sql
	for d in $(STEPS:%=extension/steps/%); do python3 tests/harness/merged-functions.py $< $$d; done

.SECONDEXPANSION:
$(STEPS:%=extension/pg_kyc--%.sql): extension/pg_kyc--%.sql: $$(sort $$(wildcard extension/steps/%/*.sql)) extension/steps/%
	cat $(filter %.sql,$^) > $@

.PHONY: deps demo test docs
deps:
	tests/harness/setup-deps.sh

demo: deps
	$(MAKE) install
	tests/harness/in-cluster.sh tests/harness/demo.sh

test: deps
	$(MAKE) install
	tests/harness/in-cluster.sh tests/harness/run-tests.sh
	@if [ -n "$${CI:-}" ]; then tests/harness/assert-tests.sh; fi

# The regression, isolation and pgTAP suites on an assert-enabled PostgreSQL 15 built once from
# Debian's source package (tests/harness/assert-server.sh); part of `make test` when CI is set.
.PHONY: test-assert
test-assert: deps
	tests/harness/assert-tests.sh

# Regenerate the generated parts of docs/ (state diagram, walk-through output) from a live cluster.
docs: deps
	$(MAKE) install
	tests/harness/in-cluster.sh tests/harness/gen-docs.sh

# PGXS tracks no header dependencies: rebuild every object when any header changes.
$(OBJS): $(wildcard src/*.h)

# Benchmarks (not part of make test): results in tests/bench/results/, reported in docs/benchmarks.md.
.PHONY: bench
bench: deps
	$(MAKE) install
	tests/harness/in-cluster.sh bash -c 'tests/bench/ledger.sh && tests/bench/evaluate.sh && tests/bench/rls.sh && tests/bench/sla.sh && tests/bench/flow.sh'

# The randomized model test for much longer than make test runs it (docs/testing.md): many seeds,
# SOAK_MINUTES in all (default 20).
.PHONY: soak
soak: deps
	$(MAKE) install
	tests/harness/in-cluster.sh tests/model/soak.sh
