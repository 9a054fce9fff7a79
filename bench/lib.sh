# Shared by the bench scripts (sourced): a temp dir cleaned up on exit, the published sample, ports, medians, ratios.
# The sourcing script sets ROUNDS and PATHS first.

command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }
work=$(mktemp -d)
# start() runs in a command substitution (a subshell), so servers are remembered in pid files, not a variable.
cleanup() { for f in "$work"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

echo "building the sample (Release)..." >&2
dotnet publish samples/SampleApp -c Release -o "$work/app" --nologo -v q >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0) ? a / b : 0 }'; }

# interleaved_rows MEASURE_ON MEASURE_OFF: one table row per path of $PATHS, "| path | on | off | on/off |", each the
# median of $ROUNDS runs taken off, on, off, on... so that machine noise hits both sides alike. Each measuring
# command gets the path as its argument and prints one number.
interleaved_rows() {
  # Prefixed names: bash scoping is dynamic, and the measuring commands read globals such as $on and $off.
  local ir_measure_on=$1 ir_measure_off=$2 path a b ma mb
  for path in $PATHS; do
    a=(); b=()
    for _ in $(seq 1 "$ROUNDS"); do
      b+=("$($ir_measure_off "$path")")
      a+=("$($ir_measure_on "$path")")
    done
    ma=$(printf '%s\n' "${a[@]}" | median); mb=$(printf '%s\n' "${b[@]}" | median)
    echo "| $path | $ma | $mb | $(ratio "$ma" "$mb") |"
  done
}
