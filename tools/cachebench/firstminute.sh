#!/usr/bin/env bash
# Starts the server on a seeded database and compares the first 30 seconds
# of loadgen with the minute after: p99 per route for both, their ratio,
# and the server's CPU time per request in each (utime+stime from /proc,
# less noisy than wall-clock latency on a shared machine). It also takes a
# CPU profile of the first 30 seconds.
#
# Needs: go, curl. The database must be seeded already, e.g.
#   observatory seed --db /tmp/p100k.db --demo --scale 100000
#
# Usage: tools/cachebench/firstminute.sh DSN [connections (default 8)] [steady seconds (default 60)]
set -euo pipefail
dsn=$1 conc=${2:-8} steady=${3:-60}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/firstminute.XXXXXX)
port=${APP_PORT:-18280} debug=${DEBUG_PORT:-18281}
(cd "$root" && go build -o "$work/observatory" ./cmd/observatory)
ticks=$(getconf CLK_TCK)
cpu() { awk -v t="$ticks" '{printf "%.3f", ($14 + $15) / t}' "/proc/$pid/stat"; }

start=$(date +%s.%N)
OBSERVATORY_API_LIMIT=-1 OBSERVATORY_DB="$dsn" "$work/observatory" serve --addr "127.0.0.1:$port" --debug-addr "127.0.0.1:$debug" >"$work/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait 2>/dev/null || true; echo "work folder: $work" >&2' EXIT
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do sleep 0.1; done
echo "answering after $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}') s ($(cpu) s of CPU)"
grep -h "warm" "$work/serve.log" | tail -n 3 || true
lg() { "$work/observatory" loadgen --url "http://127.0.0.1:$port" --concurrency "$conc" --warmup 0s --duration "$1" 2>/dev/null; }

curl -fs "http://127.0.0.1:$debug/debug/pprof/profile?seconds=30" -o "$work/cpu-first30s.pb.gz" &
prof=$!
c0=$(cpu)
lg 30s >"$work/first.txt"
c1=$(cpu)
wait $prof || true
lg "${steady}s" >"$work/steady.txt"
c2=$(cpu)
echo "== the first 30 s after the start"
cat "$work/first.txt"
echo "== the next $steady s"
cat "$work/steady.txt"
reqs() { awk '$1 == "all" {print $2}' "$1"; }
echo "== p99 per route: first 30 s / next $steady s"
awk 'NR == FNR && NR > 1 && $1 != "all" && NF >= 7 { r = $0; sub(/ +[0-9]+ +[0-9.]+ +[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+$/, "", r); first[r] = $(NF - 1); next }
	FNR > 1 && NF >= 7 && /ms|s$/ { r = $0; sub(/ +[0-9]+ +[0-9.]+ +[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+$/, "", r)
		if (r in first) { a = first[r]; b = $(NF - 1)
			printf "%-22s %10s %10s %6.2fx\n", r, a, b, ms(a) / ms(b) } }
	function ms(s) { if (s ~ /ms$/) return s + 0; if (s ~ /s$/) return (s + 0) * 1000; return s + 0 }' \
	"$work/first.txt" "$work/steady.txt"
awk -v a="$c0" -v b="$c1" -v c="$c2" -v n1="$(reqs "$work/first.txt")" -v n2="$(reqs "$work/steady.txt")" \
	'BEGIN { printf "server CPU per request: first 30 s %.2f ms (%d requests), next %.2f ms (%d requests)\n", (b - a) * 1000 / n1, n1, (c - b) * 1000 / n2, n2 }'
echo "load: $(uptime)"
echo "CPU profile of the first 30 s: go tool pprof -top $work/cpu-first30s.pb.gz"
