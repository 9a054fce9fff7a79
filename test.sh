#!/usr/bin/env bash
# Installs what the tests need, builds, runs every test project and prints one line:
# "N passed, N failed[, N skipped]", counted from the test results (TRX files).
set -uo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
apt_updated=0
need_pkg() { # need_pkg <command-path-or-name> <debian-package>
  if [ -x "$1" ] || command -v "$1" >/dev/null 2>&1; then return 0; fi
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq || true; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null || echo "test.sh: could not install $2; the tests that need it will fail" >&2
}
need_pkg /usr/bin/chromium chromium
need_pkg redis-server redis-server
# Real database servers for the SQL panel's tests (PostgreSQL and MariaDB), started below on loopback only.
# Debian's packages start a system-wide server when installed: stop it, the tests start their own.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  need_pkg /nonexistent/initdb postgresql
  as_root service postgresql stop >/dev/null 2>&1 || true
fi
if [ ! -x /usr/sbin/mariadbd ]; then
  need_pkg /usr/sbin/mariadbd mariadb-server
  as_root service mariadb stop >/dev/null 2>&1 || true
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
results=TestResults
rm -rf "$results"
mkdir -p "$results"

if ! dotnet build Toolbar.sln -c Release 2>&1 | tee "$results/build.log" | grep -E "error|Warn|Build succeeded|Elapsed"; then :; fi
if ! grep -q "Build succeeded" "$results/build.log"; then
  echo "build failed (see $results/build.log)"
  echo "0 passed, 1 failed"
  exit 1
fi

# Each server in its own temporary directory on a free loopback port; stopped on exit, also when tests fail.
servers_env=$(tests/servers.sh start)
eval "$servers_env"
trap 'tests/servers.sh stop "${TOOLBAR_TEST_SERVERS_DIR:-}"' EXIT

status=0
format_failed=0
echo "== dotnet format --verify-no-changes"
if ! dotnet format Toolbar.sln --verify-no-changes --no-restore >"$results/format.log" 2>&1; then
  echo "code style check failed (see $results/format.log; run 'dotnet format Toolbar.sln' to fix)"
  format_failed=1; status=1
fi

for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  echo "== $name"
  # Tests that measure the whole process (GC heap, RSS) run in a process of their own ([Trait("Process", "Alone")]):
  # what hundreds of other tests leave in memory is not theirs to measure.
  dotnet test "$project" -c Release --no-build --filter "Process!=Alone" --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" || status=1
  if grep -rqs --include='*.cs' 'Trait("Process", "Alone")' "$(dirname "$project")"; then
    echo "== $name (alone)"
    dotnet test "$project" -c Release --no-build --filter "Process=Alone" --logger "trx;LogFileName=$name.alone.trx" --logger "console;verbosity=minimal" \
      --results-directory "$results" || status=1
  fi
done

passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  p=$(get passed); f=$(get failed); e=$(get error); t=$(get timeout); a=$(get aborted); total=$(get total); executed=$(get executed)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0} + ${a:-0}))
  skipped=$((skipped + ${total:-0} - ${executed:-0}))
done
expected=$(ls tests/*/*.csproj | wc -l)
if [ "$files" -lt "$expected" ]; then
  echo "test.sh: only $files of $expected test projects produced results" >&2
  failed=$((failed + expected - files)); status=1
fi
failed=$((failed + format_failed))
[ "$failed" -gt 0 ] && status=1

if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
exit $status
