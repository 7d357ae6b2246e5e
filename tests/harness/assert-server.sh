#!/usr/bin/env bash
# Builds, once, an assert-enabled PostgreSQL 15 from Debian's own source package (apt-get source,
# from the distribution's source index), with Debian's pg_cron and pgTAP files beside it, under
# $ASSERT_PREFIX (default /var/cache/pg_kyc/pg15-assert). Reused while the machine keeps it (its
# STAMP names the source version it was built from; remove the prefix to rebuild).
# Prints the prefix's pg_config path on its last line. Runs as root (it installs dpkg-dev).
#
# Why: three hot paths bypass the executor (docs/internals.md) and guard their invariants with
# Assert(), which only an assert-enabled server checks; --enable-cassert also clobbers freed
# memory and checks memory contexts, which catches use-after-free inside a live context.
set -euo pipefail
prefix=${ASSERT_PREFIX:-/var/cache/pg_kyc/pg15-assert}
work=$(dirname "$prefix")/src
jobs=$(nproc)

if [ -x "$prefix/bin/postgres" ] && [ -s "$prefix/STAMP" ]; then
  echo "assert-server: reusing $prefix ($(cat "$prefix/STAMP"))" >&2
  echo "$prefix/bin/pg_config"
  exit 0
fi

# the distribution's source index: the deb entries of this machine's sources, as deb-src
src_list=/etc/apt/sources.list.d/pg_kyc-deb-src.sources
if ! apt-get indextargets 2>/dev/null | grep -q 'Identifier: Sources'; then
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > "$src_list"
  else
    sed -n 's/^deb /deb-src /p' /etc/apt/sources.list > /etc/apt/sources.list.d/pg_kyc-deb-src.list
  fi
  apt-get update -qq
fi
command -v dpkg-source >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dpkg-dev >/dev/null

# The newest version of a source package that the mirror really serves (an index can name a
# security update whose files the mirror does not carry).
fetch_source() {				# fetch_source PACKAGE DIR -> version
  local v
  for v in $(apt-cache showsrc "$1" | sed -n 's/^Version: //p' | sort -Vru); do
    if apt-get source -qq --download-only "$1=$v" >/dev/null 2>&1; then
      # upstream's tree as Debian ships it, without Debian's patches: they pin the module directory
      # to the system's /usr/lib/postgresql/15/lib, where `make install` would overwrite the
      # packaged server's modules
      dpkg-source -x --no-check --skip-patches "${1}_${v#*:}.dsc" "$2" >/dev/null && { echo "$v"; return 0; }
    fi
  done
  echo "assert-server: no version of source package $1 could be fetched" >&2
  return 1
}

rm -rf "$work" "$prefix"
mkdir -p "$work"
cd "$work"
pg_version=$(fetch_source postgresql-15 pg)
stamp="postgresql-15 $pg_version"
echo "assert-server: building $stamp with --enable-cassert into $prefix" >&2

cd "$work/pg"
./configure --prefix="$prefix" --enable-cassert --enable-debug --with-openssl \
  --without-readline --without-icu --without-zlib CFLAGS='-O1 -g' >"$work/configure.log" 2>&1 \
  || { tail -n 30 "$work/configure.log" >&2; exit 1; }
# everything must install under the prefix, never over the packaged server
make -s -C src/port pg_config_paths.h >/dev/null
grep -q "PKGLIBDIR \"$prefix/" src/port/pg_config_paths.h \
  || { echo "assert-server: the module directory is not under $prefix; refusing to install" >&2; exit 1; }
{
  make -j"$jobs" -s && make -s install \
    && make -s -C contrib/pgcrypto install \
    && make -s -C src/test/isolation install
} >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log" >&2; exit 1; }

# pg_cron and pgTAP as Debian's packages built them (the set-up installed both): pgTAP is SQL only,
# and pg_cron, which is not under test, loads into an assert-enabled server of the same major
# version (the mirror does not always serve pg-cron's source).
cp /usr/lib/postgresql/15/lib/pg_cron.so "$("$prefix/bin/pg_config" --pkglibdir)/"
cp /usr/share/postgresql/15/extension/pg_cron* /usr/share/postgresql/15/extension/pgtap* \
   "$("$prefix/bin/pg_config" --sharedir)/extension/"

echo "$stamp" > "$prefix/STAMP"
echo "assert-server: built" >&2
echo "$prefix/bin/pg_config"
