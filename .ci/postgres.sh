#!/usr/bin/env bash
# Installs PostgreSQL for the CRM connector tests and checks that a throwaway server can start.
# The tests start their own server (tests/integration/crm/postgres-server.ts); with
# SCRM_REQUIRE_POSTGRES=1 they fail instead of skipping when it cannot start.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
as_pg=()
if [ "$(id -u)" = 0 ]; then
  chown postgres: "$dir"
  as_pg=(runuser -u postgres --)
fi
"${as_pg[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --no-sync >/dev/null
"${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o "-p 54329 -k $dir -c listen_addresses=''" start >/dev/null
"${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') ready at $bin"
