#!/usr/bin/env bash
# Side-by-side load benchmark of the sample app (Release build, wrk on loopback).
#
#   bench/load.sh [seconds-per-run] [rounds]        throughput + p99: toolbar on vs off, not-allowed vs off
#   MODE=memory bench/load.sh                       RSS and GC heap after 2,000 and 10,000 tracked requests
#   MODE=panels PANELS="middleware threads" bench/load.sh   toolbar with those panels vs without them (both shown)
#   MODE=panel PANEL=cache bench/load.sh            the same for one panel
#   MODE=eachpanel bench/load.sh                    every panel in turn: the toolbar with all panels vs without that one
#                                                   (PANELS="timing sql ..." to choose; one instance per panel at a time)
#   MODE=redis bench/load.sh                        Redis store vs in-memory store (both shown): throughput, and how many
#                                                   of the tracked requests reached Redis (the rest were dropped)
#   MODE=cputime bench/load.sh                      CPU time per request (process user+system), toolbar on vs off:
#                                                   steadier than throughput on a machine shared with other work
#   MODE=cpupanels bench/load.sh                    CPU time per request of each panel (every panel vs all but that
#                                                   one), of the core alone, and with no toolbar (PANELS= to choose)
#
# Every configuration runs as its own process at the same time; runs are interleaved round by round
# (off, on, off, on, ...) so that machine noise hits both sides alike, and the median of the rounds is used.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${1:-10}
ROUNDS=${2:-3}
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${THREADS:-1}
PATHS=${PATHS:-"/products /api/products /slow"}
MODE=${MODE:-throughput}
# One panel is the panels mode with that one panel.
if [ "$MODE" = panel ]; then MODE=panels; PANELS=${PANEL:?set PANEL to the id of the panel to measure}; fi

. "$(dirname "$0")/lib.sh"

# start NAME ENVIRONMENT TOOLBAR_ENABLED [DISABLED_PANELS] -> prints the base URL
start() {
  local name=$1 env=$2 enabled=$3 disabled=${4:-} port i=0
  local -a extra=()
  for panel in $disabled; do extra+=("Toolbar__DisabledPanels__$i=$panel"); i=$((i + 1)); done
  port=$(free_port)
  env ${extra[@]+"${extra[@]}"} ASPNETCORE_ENVIRONMENT=$env Toolbar__Enabled=$enabled ConnectionStrings__Main="Data Source=$work/$name.db" \
    Logging__LogLevel__Default=Warning Logging__LogLevel__Microsoft=Warning \
    dotnet "$work/app/SampleApp.dll" --urls "http://127.0.0.1:$port" >"$work/$name.log" 2>&1 &
  echo "$!" >"$work/$name.pid"
  for _ in $(seq 1 100); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/api/products" && { echo "http://127.0.0.1:$port"; return; }
    sleep 0.2
  done
  echo "$name did not start:" >&2; cat "$work/$name.log" >&2; exit 1
}

# run URL -> "requests_per_second p99_ms"
run() {
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$1" | awk '
    /Requests\/sec:/ { rps = $2 }
    /^ +99%/ { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 }; p99 = v }
    END { printf "%s %s\n", rps, p99 }'
}

if [ "$MODE" = memory ]; then
  on=$(start on Development true)
  pid=$(cat "$work/on.pid")
  rss() { awk '/VmRSS/ { print $2 * 1024 }' "/proc/$pid/status"; }
  heap() {
    local id
    id=$(curl -fs -D - -o /dev/null "$on/products" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-toolbar-id" { print $2 }')
    curl -fs "$on/_toolbar/api/requests/$id" | python3 -c 'import json,sys; d=json.load(sys.stdin); m=d["panels"].get("memory"); print(m["heapSizeBytes"] if m else "n/a")'
  }
  curl -s --no-progress-meter -o /dev/null --parallel --parallel-max 8 "$on/products?warm=[1-2000]"
  rss2k=$(rss); heap2k=$(heap)
  curl -s --no-progress-meter -o /dev/null --parallel --parallel-max 8 "$on/products?load=[1-8000]"
  rss10k=$(rss); heap10k=$(heap)
  record=$(curl -fs "$on/_toolbar/api/requests" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
  size=$(curl -fs "$on/_toolbar/api/requests/$record" | wc -c)
  echo "| after 2,000 requests | RSS $((rss2k / 1048576)) MiB | GC heap $heap2k B |"
  echo "| after 10,000 requests | RSS $((rss10k / 1048576)) MiB | GC heap $heap10k B |"
  echo "| RSS growth 2,000 -> 10,000 | $(awk -v a="$rss10k" -v b="$rss2k" 'BEGIN { printf "%.1f%%", (a - b) * 100 / b }') | |"
  echo "| stored record of /products as JSON | $size bytes | |"
  exit 0
fi

if [ "$MODE" = eachpanel ]; then
  all=$(start all Development true)
  for path in $PATHS; do wrk -t1 -c4 -d3s "$all$path" >/dev/null; done
  echo "| panel switched off | page | rps (every panel) | rps (without it) | cost of the panel (1 - ratio) |"
  echo "|---|---|---|---|---|"
  for panel in ${PANELS:-timing sql cache routes views memory cpu middleware threads request logs exceptions config history flags}; do
    without=$(start "without-$panel" Development true "$panel")
    for path in $PATHS; do wrk -t1 -c4 -d3s "$without$path" >/dev/null; done
    for path in $PATHS; do
      ra=(); rb=()
      for _ in $(seq 1 "$ROUNDS"); do
        read -r r p < <(run "$without$path"); rb+=("$r")
        read -r r p < <(run "$all$path"); ra+=("$r")
      done
      mra=$(printf '%s\n' "${ra[@]}" | median); mrb=$(printf '%s\n' "${rb[@]}" | median)
      echo "| $panel | $path | $mra | $mrb | $(awk -v a="$mra" -v b="$mrb" 'BEGIN { printf "%.3f", (b > 0) ? 1 - a / b : 0 }') |"
    done
    kill "$(cat "$work/without-$panel.pid")" 2>/dev/null || true
    rm -f "$work/without-$panel.pid"
  done
  echo
  echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $ROUNDS interleaved rounds, median; $(nproc) cores; $(date -u +%Y-%m-%d)"
  exit 0
fi

if [ "$MODE" = redis ]; then
  command -v redis-server >/dev/null || { echo "redis-server is missing (apt-get install redis-server)" >&2; exit 1; }
  rport=$(free_port)
  redis-server --port "$rport" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" --daemonize no >"$work/redis.log" 2>&1 &
  echo "$!" >"$work/redis.pid"
  for _ in $(seq 1 50); do redis-cli -p "$rport" ping >/dev/null 2>&1 && break; sleep 0.1; done
  memory=$(start memory Development true)
  redis=$(Toolbar__Store=redis Toolbar__Redis="127.0.0.1:$rport" start redisstore Development true)
  for base in "$memory" "$redis"; do
    for path in $PATHS; do wrk -t1 -c4 -d2s "$base$path" >/dev/null; done
  done
  # Records written = Redis's own count of SET calls: one per record (records are written in batches, one SET (PSETEX) each,
  # plus one list script per batch; a shared snapshot adds a SET only when first written or renewed, about once a
  # minute). Checked below at a low rate; the store's own count of dropped records is read from the History panel.
  writes() { redis-cli -p "$rport" info commandstats | tr -d '\r' | awk -F'[:=,]' '$1 ~ /^cmdstat_(set|setex|psetex)$/ { n += $3 } END { print n + 0 }'; }
  dropped() { curl -fs "$redis/_toolbar/panels/history/entries" | sed -n 's/.*"droppedRecords":\([0-9]*\).*/\1/p'; }
  # The warm-up's records are still being written for a moment: let the queue drain first.
  sleep 3
  w0=$(writes); for i in $(seq 1 50); do curl -fs -o /dev/null "$redis/api/products?probe=$i"; done; sleep 2; w1=$(writes)
  per=$(awk -v a="$w0" -v b="$w1" 'BEGIN { printf "%.2f", (b - a) / 50 }')
  echo "SET calls per record (50 requests one by one): $per; stored size of one /api/products record: $(redis-cli -p "$rport" --scan --pattern 'toolbar:rec:*' | head -1 | xargs -r redis-cli -p "$rport" strlen) B"
  echo "| page | rps (Redis store) | rps (in-memory store) | ratio | records/s reaching Redis (SET calls) | share reaching Redis | dropped by the store |"
  echo "|---|---|---|---|---|---|---|"
  for path in $PATHS; do
    ra=(); rb=(); wa=(); da=()
    for _ in $(seq 1 "$ROUNDS"); do
      read -r r p < <(run "$memory$path"); rb+=("$r")
      before=$(writes); d0=$(dropped); d0=${d0:-0}
      read -r r p < <(run "$redis$path"); ra+=("$r")
      sleep 1
      after=$(writes); d1=$(dropped); d1=${d1:-0}
      wa+=("$(awk -v a="$before" -v b="$after" -v d="$DURATION" 'BEGIN { printf "%.1f", (b - a) / d }')")
      da+=("$((d1 - d0))")
    done
    mra=$(printf '%s\n' "${ra[@]}" | median); mrb=$(printf '%s\n' "${rb[@]}" | median); mwa=$(printf '%s\n' "${wa[@]}" | median)
    echo "| $path | $mra | $mrb | $(ratio "$mra" "$mrb") | $mwa | $(ratio "$mwa" "$mra") | $(printf '%s\n' "${da[@]}" | median) |"
  done
  echo
  echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $ROUNDS interleaved rounds, median; $(nproc) cores; $(date -u +%Y-%m-%d)"
  exit 0
fi

if [ "$MODE" = cputime ]; then
  off=$(start off Development false)
  on=$(start on Development true)
  for base in "$off" "$on"; do
    for path in $PATHS; do wrk -t1 -c4 -d2s "$base$path" >/dev/null; done
  done
  ticks() { awk '{ print $14 + $15 }' "/proc/$(cat "$work/$1.pid")/stat"; }
  hz=$(getconf CLK_TCK)
  # cpu NAME URL -> microseconds of the process's CPU per request
  cpu() {
    local before after requests
    before=$(ticks "$1")
    requests=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" "$2" | awk '/requests in/ { print $1 }')
    after=$(ticks "$1")
    awk -v t=$((after - before)) -v n="$requests" -v hz="$hz" 'BEGIN { printf "%.1f", (n > 0) ? t * 1e6 / hz / n : 0 }'
  }
  echo "| page | CPU µs per request (toolbar shown) | CPU µs per request (off) | ratio |"
  echo "|---|---|---|---|"
  cpu_on() { cpu on "$on$1"; }
  cpu_off() { cpu off "$off$1"; }
  interleaved_rows cpu_on cpu_off
  echo
  echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s per run, $ROUNDS interleaved rounds, median; $(nproc) cores; $(date -u +%Y-%m-%d)"
  exit 0
fi

if [ "$MODE" = cpupanels ]; then
  # CPU per request of each panel: every panel on vs the same with that one panel off, all configurations measured
  # round by round (their processes run side by side, idle between their turns); plus the core alone and no toolbar.
  panels=${PANELS:-timing sql cache routes views memory cpu middleware threads request logs exceptions config history flags}
  ticks() { awk '{ print $14 + $15 }' "/proc/$(cat "$work/$1.pid")/stat"; }
  hz=$(getconf CLK_TCK)
  declare -A base
  base[off]=$(start off Development false)
  base[all]=$(start all Development true)
  base[core]=$(start core Development true "$panels")
  for panel in $panels; do base[no-$panel]=$(start "no-$panel" Development true "$panel"); done
  configs="off core all $(for panel in $panels; do printf 'no-%s ' "$panel"; done)"
  for name in $configs; do for path in $PATHS; do wrk -t1 -c4 -d2s "${base[$name]}$path" >/dev/null; done; done
  for path in $PATHS; do
    declare -A runs=()
    for _ in $(seq 1 "$ROUNDS"); do
      for name in $configs; do
        before=$(ticks "$name")
        requests=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" "${base[$name]}$path" | awk '/requests in/ { print $1 }')
        after=$(ticks "$name")
        runs[$name]+="$(awk -v t=$((after - before)) -v n="$requests" -v hz="$hz" 'BEGIN { printf "%.1f", (n > 0) ? t * 1e6 / hz / n : 0 }') "
      done
    done
    declare -A med=()
    for name in $configs; do med[$name]=$(printf '%s\n' ${runs[$name]} | median); done
    echo "$path: CPU µs per request: no toolbar ${med[off]}, the core alone ${med[core]} (+$(awk -v a="${med[core]}" -v b="${med[off]}" 'BEGIN { printf "%.1f", a - b }')), every panel ${med[all]} (+$(awk -v a="${med[all]}" -v b="${med[off]}" 'BEGIN { printf "%.1f", a - b }'))"
    echo
    echo "| panel | CPU µs per request without it | saved by switching it off (µs) |"
    echo "|---|---|---|"
    for panel in $panels; do
      echo "| $panel | ${med[no-$panel]} | $(awk -v a="${med[all]}" -v b="${med[no-$panel]}" 'BEGIN { printf "%.1f", a - b }') |"
    done
    echo
  done
  echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s per run, $ROUNDS interleaved rounds, median; $(nproc) cores; $(date -u +%Y-%m-%d)"
  exit 0
fi

if [ "$MODE" = panels ]; then
  with=$(start with Development true)
  without=$(start without Development true "${PANELS:-middleware threads}")
  for base in "$with" "$without"; do
    for path in $PATHS; do wrk -t1 -c4 -d2s "$base$path" >/dev/null; done
  done
  echo "| page | rps (with ${PANELS:-middleware threads}) | rps (without) | ratio | p99 ms (with) | p99 ms (without) | p99 ratio |"
  echo "|---|---|---|---|---|---|---|"
  for path in $PATHS; do
    ra=(); rb=(); pa=(); pb=()
    for _ in $(seq 1 "$ROUNDS"); do
      read -r r p < <(run "$without$path"); rb+=("$r"); pb+=("$p")
      read -r r p < <(run "$with$path"); ra+=("$r"); pa+=("$p")
    done
    mra=$(printf '%s\n' "${ra[@]}" | median); mrb=$(printf '%s\n' "${rb[@]}" | median)
    mpa=$(printf '%s\n' "${pa[@]}" | median); mpb=$(printf '%s\n' "${pb[@]}" | median)
    echo "| $path | $mra | $mrb | $(ratio "$mra" "$mrb") | $mpa | $mpb | $(ratio "$mpa" "$mpb") |"
  done
  echo
  echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $ROUNDS interleaved rounds, median; $(nproc) cores; $(date -u +%Y-%m-%d)"
  exit 0
fi

off=$(start off Development false)
on=$(start on Development true)
prod_off=$(start prod-off Production false)
prod_on=$(start prod-on Production true)

echo "warming up..." >&2
for base in "$off" "$on" "$prod_off" "$prod_on"; do
  for path in $PATHS; do wrk -t1 -c4 -d2s "$base$path" >/dev/null; done
done

echo "| page | comparison | rps (toolbar) | rps (baseline) | ratio | p99 ms (toolbar) | p99 ms (baseline) | p99 ratio |"
echo "|---|---|---|---|---|---|---|---|"
compare() { # compare LABEL PATH TOOLBAR_BASE BASELINE_BASE
  local label=$1 path=$2 a=$3 b=$4 ra=() rb=() pa=() pb=()
  for _ in $(seq 1 "$ROUNDS"); do
    read -r r p < <(run "$b$path"); rb+=("$r"); pb+=("$p")
    read -r r p < <(run "$a$path"); ra+=("$r"); pa+=("$p")
  done
  local mra mrb mpa mpb
  mra=$(printf '%s\n' "${ra[@]}" | median); mrb=$(printf '%s\n' "${rb[@]}" | median)
  mpa=$(printf '%s\n' "${pa[@]}" | median); mpb=$(printf '%s\n' "${pb[@]}" | median)
  echo "| $path | $label | $mra | $mrb | $(ratio "$mra" "$mrb") | $mpa | $mpb | $(ratio "$mpa" "$mpb") |"
}
for path in $PATHS; do
  compare "shown (Development) vs off" "$path" "$on" "$off"
done
for path in $PATHS; do
  [ "$path" = /slow ] && continue
  compare "not allowed (Production) vs off" "$path" "$prod_on" "$prod_off"
done
echo
echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $ROUNDS interleaved rounds, median; $(nproc) cores; $(date -u +%Y-%m-%d)"
