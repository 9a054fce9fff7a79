#!/usr/bin/env bash
# Cost of the CPU panel (Release build, wrk on loopback), side by side in one run:
#   1. throughput of unprofiled requests with the CPU panel installed vs switched off (Toolbar__DisabledPanels__0=cpu),
#      both instances running at once, runs interleaved round by round, median of the rounds;
#   2. the slowdown of a profiled request: /cpu?ms=N sent alone, unprofiled vs with X-Toolbar-Profile: cpu (median of
#      REPEATS each, alternating), and how long after the response the profile is ready (the record's panel data).
#
#   bench/cpu.sh [seconds-per-run] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${1:-5}
ROUNDS=${2:-3}
CONNECTIONS=${CONNECTIONS:-8}
PATHS=${PATHS:-"/products /api/products"}
SPIN_MS=${SPIN_MS:-200}
REPEATS=${REPEATS:-9}

. "$(dirname "$0")/lib.sh"

# start NAME [extra env assignments...] -> prints the base URL
start() {
  local name=$1 port; shift
  port=$(free_port)
  env ASPNETCORE_ENVIRONMENT=Development ConnectionStrings__Main="Data Source=$work/$name.db" \
    Logging__LogLevel__Default=Warning Logging__LogLevel__Microsoft=Warning "$@" \
    dotnet "$work/app/SampleApp.dll" --urls "http://127.0.0.1:$port" >"$work/$name.log" 2>&1 &
  echo "$!" >"$work/$name.pid"
  for _ in $(seq 1 100); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/api/products" && { echo "http://127.0.0.1:$port"; return; }
    sleep 0.2
  done
  echo "$name did not start:" >&2; cat "$work/$name.log" >&2; exit 1
}

run() { wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" "$1" | awk '/Requests\/sec:/ { print $2 }'; }

with=$(start with)
without=$(start without Toolbar__DisabledPanels__0=cpu)

echo "warming up..." >&2
for base in "$with" "$without"; do
  for path in $PATHS; do wrk -t1 -c4 -d2s "$base$path" >/dev/null; done
done

echo "| page | rps (CPU panel installed) | rps (CPU panel off) | ratio |"
echo "|---|---|---|---|"
with_cpu() { run "$with$1"; }
without_cpu() { run "$without$1"; }
interleaved_rows with_cpu without_cpu
echo
echo "wrk -t1 -c$CONNECTIONS -d${DURATION}s, $ROUNDS interleaved rounds, median; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo

# Profiled vs unprofiled /cpu?ms=N on the instance with the panel: one request at a time, alternating.
url="$with/cpu?ms=$SPIN_MS"
curl -fs -o /dev/null "$url"; curl -fs -o /dev/null -H 'X-Toolbar-Profile: cpu' "$url"
plain=(); profiled=(); ready=(); samples=()
for _ in $(seq 1 "$REPEATS"); do
  plain+=("$(curl -fs -o /dev/null -w '%{time_total}' "$url" | awk '{ print $1 * 1000 }')")
  headers=$(mktemp -p "$work")
  profiled+=("$(curl -fs -o /dev/null -D "$headers" -w '%{time_total}' -H 'X-Toolbar-Profile: cpu' "$url" | awk '{ print $1 * 1000 }')")
  id=$(tr -d '\r' <"$headers" | awk -F': ' 'tolower($1) == "x-toolbar-id" { print $2 }')
  # Reading the record waits for the profile (stop, closing rundown, resolution): the time until the panel can show it.
  read -r t n < <(curl -fs -w ' %{time_total}' "$with/_toolbar/api/requests/$id" | python3 -c 'import json,sys; raw=sys.stdin.read(); body,t=raw.rsplit(" ",1); print(float(t)*1000, json.loads(body)["panels"]["cpu"]["sampleCount"])')
  ready+=("$t"); samples+=("$n")
done
mp=$(printf '%s\n' "${plain[@]}" | median); mq=$(printf '%s\n' "${profiled[@]}" | median)
echo "| /cpu?ms=$SPIN_MS, one at a time | median of $REPEATS |"
echo "|---|---|"
echo "| unprofiled response time | $mp ms |"
echo "| profiled response time (X-Toolbar-Profile: cpu) | $mq ms (×$(ratio "$mq" "$mp")) |"
echo "| profile ready after the response (record read) | $(printf '%s\n' "${ready[@]}" | median) ms |"
echo "| samples of the request | $(printf '%s\n' "${samples[@]}" | median) |"
