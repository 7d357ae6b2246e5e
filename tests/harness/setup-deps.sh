#!/usr/bin/env bash
# Installs the Debian packages pg_kyc needs to build, demo and test, when any is missing.
# Runs as root on a fresh Debian 12 (bookworm); does nothing when everything is present.
set -euo pipefail

packages=(
  postgresql-15                       # server (pulls postgresql-common: pg_virtualenv, pg_createcluster)
  postgresql-server-dev-15            # PGXS and server headers
  postgresql-15-cron                  # pg_cron, preloaded in every test/demo cluster
  postgresql-15-pgtap                 # pgTAP extension
  libtap-parser-sourcehandler-pgtap-perl  # pg_prove
  perl                                # pg_prove, isolation tester helpers
  libssl-dev                          # OpenSSL headers: SHA-256 (src/hashing.c)
  python3                             # the randomized model test (tests/model/)
  python3-psycopg                     # psycopg 3, its client library
)

# The server runs as the unprivileged "postgres" user, which must be able to traverse "/". Some
# freshly unpacked root file systems (chroots made from a 0700 temporary directory) are not.
if [ "$(id -u)" -eq 0 ] && [ "$(stat -c %a /)" != 755 ]; then
  chmod 755 /
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "setup-deps: missing packages: ${missing[*]}; run as root or install them" >&2
  exit 1
fi

echo "setup-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# The server package would otherwise create and start a "main" cluster we do not use.
mkdir -p /etc/postgresql-common
if [ ! -f /etc/postgresql-common/createcluster.conf ] || ! grep -q '^create_main_cluster' /etc/postgresql-common/createcluster.conf; then
  echo 'create_main_cluster = false' >> /etc/postgresql-common/createcluster.conf
fi
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/pg_kyc-apt.log 2>&1 || {
  tail -n 40 /tmp/pg_kyc-apt.log >&2
  exit 1
}
echo "setup-deps: done"
