#!/usr/bin/env bash
# Load soak of the sample app with the toolbar on (Release build, wrk on loopback only).
#
#   bench/soak.sh [seconds] [connections]        default: 60 s, 64 connections
#
# Every request carries its own marker (?marker=<thread>-<n>) on /products (HTML, 11 queries) and
# /api/products (JSON). Afterwards every stored record is fetched from the JSON API and checked: its
# queryString is a marker, no marker appears twice, and the request panel of the record saw the same
# path and query (a record mixed with another request's data fails). 5xx responses must be zero.
# RSS is reported before and after. The script stops the app by itself and cleans up.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${1:-60}
CONNECTIONS=${2:-64}
THREADS=${THREADS:-2}
MAX_REQUESTS=${MAX_REQUESTS:-500}

command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

echo "building the sample (Release)..." >&2
dotnet publish samples/SampleApp -c Release -o "$work/app" --nologo -v q >/dev/null

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
base="http://127.0.0.1:$port"
ASPNETCORE_ENVIRONMENT=Development Toolbar__MaxRequests=$MAX_REQUESTS ConnectionStrings__Main="Data Source=$work/soak.db" \
  Logging__LogLevel__Default=Warning Logging__LogLevel__Microsoft=Warning \
  dotnet "$work/app/SampleApp.dll" --urls "$base" >"$work/app.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -fs -o /dev/null "$base/api/products" && break; sleep 0.2; done
curl -fs -o /dev/null "$base/api/products" || { echo "the sample did not start:" >&2; cat "$work/app.log" >&2; exit 1; }

rss() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status"; }

cat >"$work/marker.lua" <<'LUA'
local threads = {}
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  n = 0
  e5 = 0
  statuses = 0
end
function request()
  n = n + 1
  local path = (n % 2 == 0) and "/api/products" or "/products"
  return wrk.format("GET", path .. "?marker=" .. tid .. "-" .. n)
end
function response(status, headers, body)
  statuses = statuses + 1
  if status >= 500 then e5 = e5 + 1 end
end
function done(summary, latency, requests)
  local total5, seen = 0, 0
  for _, t in ipairs(threads) do
    total5 = total5 + t:get("e5")
    seen = seen + t:get("statuses")
  end
  io.write(string.format("RESULT responses=%d status5xx=%d errors_connect=%d errors_read=%d errors_write=%d errors_timeout=%d p99_ms=%.1f\n",
    seen, total5, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout, latency:percentile(99) / 1000))
end
LUA

echo "warming up..." >&2
wrk -t1 -c4 -d3s "$base/products" >/dev/null
wrk -t1 -c4 -d2s "$base/api/products" >/dev/null
rss_before=$(rss)

echo "soak: $CONNECTIONS connections for ${DURATION}s..." >&2
timeout $((DURATION + 30)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s "$work/marker.lua" "$base" >"$work/wrk.txt"
rss_after=$(rss)
result=$(grep '^RESULT' "$work/wrk.txt")
rps=$(awk '/Requests\/sec:/ { print $2 }' "$work/wrk.txt")

verify=$(python3 - "$base" <<'PY'
import json, re, sys, urllib.request
base = sys.argv[1]
def get(path):
    with urllib.request.urlopen(base + path, timeout=30) as r:
        return json.load(r)
summaries = get("/_toolbar/api/requests")
marker = re.compile(r"^\?marker=\d+-\d+$")
checked, mixed, markers, problems = 0, 0, set(), []
for s in summaries:
    if s["path"] not in ("/products", "/api/products"):
        continue
    d = get("/_toolbar/api/requests/" + s["id"])
    qs = d["queryString"]
    req = d["panels"].get("request") or {}
    ok = (marker.match(qs) is not None and qs not in markers and d["path"] == s["path"]
          and req.get("queryString") == qs and req.get("path") == d["path"] and d["statusCode"] < 500)
    markers.add(qs)
    checked += 1
    if not ok:
        mixed += 1
        problems.append(f'{s["id"]} path={d["path"]} qs={qs} panel.path={req.get("path")} panel.qs={req.get("queryString")}')
print(f"checked={checked} mixed={mixed}")
for p in problems[:10]:
    print("  " + p, file=sys.stderr)
PY
)
toolbar_errors=$(grep -c -E '^(fail|crit):' "$work/app.log" || true)

echo "| soak | value |"
echo "|---|---|"
echo "| duration / connections | ${DURATION} s / $CONNECTIONS (wrk -t$THREADS), /products + /api/products alternating |"
echo "| requests/s | $rps |"
echo "| wrk | ${result#RESULT } |"
echo "| stored records verified | $verify (store size $MAX_REQUESTS) |"
echo "| app log errors (fail/crit) | $toolbar_errors |"
echo "| RSS before / after | $rss_before MiB / $rss_after MiB |"
echo
echo "$(nproc) cores; $(date -u +%Y-%m-%d)"

status5=$(sed -n 's/.*status5xx=\([0-9]*\).*/\1/p' <<<"$result")
mixed=$(sed -n 's/.*mixed=\([0-9]*\).*/\1/p' <<<"$verify")
checked=$(sed -n 's/.*checked=\([0-9]*\).*/\1/p' <<<"$verify")
if [ "$status5" != 0 ] || [ "$mixed" != 0 ] || [ "$checked" = 0 ] || [ "$toolbar_errors" != 0 ]; then
  echo "SOAK FAILED" >&2
  sed -n '1,40p' "$work/app.log" >&2
  exit 1
fi
echo "SOAK PASSED" >&2
