#!/usr/bin/env bash
# Runs every test on a fresh Debian machine: installs what is missing (PostgreSQL, Chromium, node packages),
# starts a private PostgreSQL on a free loopback port for this run only, runs the .NET suite, stops the server.
# Usage: ./test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Oidc]
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "test.sh: installing ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

for dir in tests/rp tests/browser; do
  if [ -f "$dir/package.json" ]; then (cd "$dir" && npm ci --no-audit --no-fund --silent); fi
done

# A throw-away PostgreSQL cluster owned by the postgres user, in a temp dir, on a free port.
pg_bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n1)")
pg_dir=$(mktemp -d /tmp/waid-pg.XXXXXX)
chown postgres "$pg_dir"
pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
run_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
run_pg "$pg_bin/initdb -D $pg_dir/data -U postgres -A trust >/dev/null"
run_pg "$pg_bin/pg_ctl -D $pg_dir/data -o '-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off' -l $pg_dir/log -w start >/dev/null"
stop_pg() { run_pg "$pg_bin/pg_ctl -D $pg_dir/data -m immediate stop >/dev/null" || true; rm -rf "$pg_dir"; }
trap stop_pg EXIT
export WAIDENTITY_TEST_PG="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres;Pooling=true"

dotnet build "$root/WaIdentity.sln" -c Release -nologo -v q
dotnet test "$root/tests/WaIdentity.Tests/WaIdentity.Tests.csproj" -c Release --no-build -nologo \
  --logger "console;verbosity=normal" "$@"
