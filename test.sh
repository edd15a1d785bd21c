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

# Every test host watches files through inotify; the suite starts hundreds of hosts and child processes, and the
# default 128 instances per user can run out on a busy machine. Raise the limit where allowed, else poll instead.
if [ "$(cat /proc/sys/fs/inotify/max_user_instances 2>/dev/null || echo 0)" -lt 1024 ]; then
  sysctl -q -w fs.inotify.max_user_instances=1024 >/dev/null 2>&1 || export DOTNET_USE_POLLING_FILE_WATCHER=true
fi

. "$root/scripts/temp-postgres.sh"
trap stop_temp_postgres EXIT
export WAIDENTITY_TEST_PG="$TEMP_PG_CONNECTION"

dotnet build "$root/WaIdentity.sln" -c Release -nologo -v q
# Benchmark-category tests print figures and take time; bench/channel runs them. A --filter given here wins.
filter=(--filter "Category!=Benchmark")
for a in "$@"; do [ "$a" = "--filter" ] && filter=(); done
# The TRX file feeds the summary printed last: a long log's tail then names every failure and the slowest classes.
rm -f "$root/test-results/results.trx"
status=0
dotnet test "$root/tests/WaIdentity.Tests/WaIdentity.Tests.csproj" -c Release --no-build -nologo \
  --logger "console;verbosity=${TEST_VERBOSITY:-normal}" \
  --logger "trx;LogFileName=results.trx" --results-directory "$root/test-results" \
  "${filter[@]}" "$@" || status=$?
node "$root/scripts/test-summary.mjs" "$root/test-results/results.trx"
exit $status
