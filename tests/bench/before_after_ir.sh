#!/usr/bin/env bash
# Instruction counts (valgrind callgrind, "Ir") of this tree against an older one: deterministic,
# so they hold on a machine too busy for timings. BASE is a built checkout of the older commit; it
# is installed as extension pg_kyc_base next to this tree's installed pg_kyc (copies under the
# server's directories: run it as root in a private installation such as the chroot of
# docs/testing.md, with valgrind installed). A cluster of its own in /tmp/kyc_ir (user postgres)
# holds both, set up as tests/bench/evaluate_setup.sql (50 applications per size); each figure is
# the difference between two single-user backends (postgres --single, under callgrind) on copies
# of the same data, doing the work N2 and N1 times, divided by N2 - N1:
#   kyc.evaluate, as a kyc_app login, of every 10-signal and every 50-signal application;
#   the evidence read of tests/bench/rls_evidence.sql (one statement each, planned each time), as
#   a kyc_app login subject to row-level security and one with BYPASSRLS.
# Usage: BASE=/path/to/old/tree tests/bench/before_after_ir.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${BASE:?BASE must name a built checkout of the commit to compare against}"
B=$(dirname "${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}")
libdir=$($B/pg_config --pkglibdir); extdir=$($B/pg_config --sharedir)/extension
version=$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$BASE/extension/pg_kyc.control")
cp "$BASE/pg_kyc.so" "$libdir/pg_kyc_base.so"
sed "s|\$libdir/pg_kyc'|\$libdir/pg_kyc_base'|" "$BASE/extension/pg_kyc.control" > "$extdir/pg_kyc_base.control"
cp "$BASE/extension/pg_kyc--$version.sql" "$extdir/pg_kyc_base--$version.sql"
W=/tmp/kyc_ir
rm -rf $W; mkdir -p $W; chown postgres $W
su postgres -c "$B/initdb -D $W/data -E UTF8 --locale=C.UTF-8 >/dev/null 2>&1"
su postgres -c "$B/pg_ctl -D $W/data -o '-p 6999 -k $W -c fsync=off' -l $W/log start -w >/dev/null"
P="psql -XAqt -h $W -p 6999 -U postgres"
for db in kyc_new kyc_old; do $P -d postgres -c "CREATE DATABASE $db"; done
$P -d kyc_old -c 'CREATE EXTENSION pg_kyc_base'
$P -d kyc_new -c 'CREATE EXTENSION pg_kyc'
$P -d postgres -c 'CREATE ROLE bench_rls IN ROLE kyc_app; CREATE ROLE bench_bypass BYPASSRLS IN ROLE kyc_app'
for db in kyc_new kyc_old; do
  sed 's/^CREATE EXTENSION IF NOT EXISTS pg_kyc;//' tests/bench/evaluate_setup.sql | $P -v ON_ERROR_STOP=1 -v apps=50 -d $db >/dev/null
  $P -d $db >/dev/null <<'SQL'
SELECT kyc.grant_tenant('bench', 'bench_rls'), kyc.grant_tenant('bench', 'bench_bypass');
GRANT USAGE ON SCHEMA bench_eval TO bench_rls, bench_bypass;
GRANT SELECT ON bench_eval.apps TO bench_rls, bench_bypass;
SET kyc.tenant = 'bench';
SET ROLE bench_rls;
SELECT count(kyc.evaluate(id)) FROM bench_eval.apps;   -- the first evaluations move states
SQL
  $P -d $db -c "SELECT format('SELECT count(*), max(e.seq), max(e.row_hash::text) FROM kyc.evidence e WHERE e.application_id = %L', id)
                FROM bench_eval.apps, generate_series(1, 4) WHERE signals = 50" > $W/reads_$db.sql
  # the same reads prepared once, as pgbench -M prepared runs them
  { echo "PREPARE r(uuid) AS SELECT count(*), max(e.seq), max(e.row_hash::text) FROM kyc.evidence e WHERE e.application_id = \$1"
    $P -d $db -c "SELECT format('EXECUTE r(%L)', id) FROM bench_eval.apps, generate_series(1, 4) WHERE signals = 50"; } > $W/preads_$db.sql
done
su postgres -c "$B/pg_ctl -D $W/data stop -w >/dev/null"

ir() {	# ir DB ROLE STATEMENT-FILE: instructions of a single-user backend running it on a copy
  rm -rf $W/copy; cp -a $W/data $W/copy
  { printf "SET kyc.tenant = 'bench'\nSET ROLE %s\n" "$2"; cat "$3"; } > $W/in.sql
  chown -R postgres $W
  su postgres -c "valgrind --tool=callgrind --callgrind-out-file=$W/cg.out $B/postgres --single -D $W/copy -c fsync=off $1 < $W/in.sql > $W/out.txt 2> $W/vg.txt"
  grep -o 'Collected : [0-9]*' $W/vg.txt | grep -o '[0-9]*$'
}
per_call() {	# per_call DB ROLE FILE1 FILE2 N
  local a b; a=$(ir "$1" "$2" "$3"); b=$(ir "$1" "$2" "$4"); echo $(( (b - a) / $5 ))
}
echo "| call | before (Ir) | after (Ir) | after / before |"
echo "|---|---|---|---|"
for sig in 10 50; do
  echo "SELECT count(kyc.evaluate(a.id)) FROM bench_eval.apps a WHERE a.signals = $sig" > $W/e1.sql
  echo "SELECT count(kyc.evaluate(a.id)) FROM bench_eval.apps a, generate_series(1, 3) g WHERE a.signals = $sig" > $W/e3.sql
  n=$(per_call kyc_new bench_rls $W/e1.sql $W/e3.sql 100); o=$(per_call kyc_old bench_rls $W/e1.sql $W/e3.sql 100)
  echo "| kyc.evaluate, $sig live signals | $o | $n | $(awk -v a=$n -v b=$o 'BEGIN {printf "%.3f", a / b}')x |"
done
for kind in reads preads; do
  for role in bench_rls bench_bypass; do
    for db in kyc_new kyc_old; do head -n 21 $W/${kind}_$db.sql > $W/r1_$db.sql; head -n 201 $W/${kind}_$db.sql > $W/r2_$db.sql; done
    n=$(per_call kyc_new $role $W/r1_kyc_new.sql $W/r2_kyc_new.sql 180); o=$(per_call kyc_old $role $W/r1_kyc_old.sql $W/r2_kyc_old.sql 180)
    eval "n_${kind}_$role=$n o_${kind}_$role=$o"
    echo "| read one application's evidence (50 signals)$([ $kind = preads ] && echo ', prepared'), $role | $o | $n | $(awk -v a=$n -v b=$o 'BEGIN {printf "%.3f", a / b}')x |"
  done
done
echo
for kind in reads preads; do
  eval "orr=\$o_${kind}_bench_rls orb=\$o_${kind}_bench_bypass nrr=\$n_${kind}_bench_rls nrb=\$n_${kind}_bench_bypass"
  echo "Cost of row-level security on the evidence read$([ $kind = preads ] && echo ' (prepared)') (RLS / BYPASSRLS): before $(awk -v a=$orr -v b=$orb 'BEGIN {printf "%.2f", a / b}')x, after $(awk -v a=$nrr -v b=$nrb 'BEGIN {printf "%.2f", a / b}')x."
done
rm -f "$libdir/pg_kyc_base.so" "$extdir/pg_kyc_base.control" "$extdir/pg_kyc_base--$version.sql"
rm -rf $W
