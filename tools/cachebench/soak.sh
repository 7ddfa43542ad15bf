#!/usr/bin/env bash
# A soak test: the server under a steady open-loop load for a number of
# minutes, with, for every minute, the resident memory at its end, the
# live Go heap, the collector's longest stop-the-world pause and loadgen's
# p99 and maximum. At the end: whether the resident memory stayed within
# 20 % of the first minute's.
#
# The longest pause is read two ways: "longest GC" is the largest of the
# last 256 collections' pauses (go_gc_duration_seconds{quantile="1"}),
# sampled every 5 s, so exact while the collector runs fewer than 50 times
# a second; "GC bucket" is the highest bucket of the pause histogram
# (go_sched_pauses_total_gc_seconds) that grew within the minute: it sees
# every pause, but its buckets are a factor of 11 apart.
#
# Needs: go, curl. A missing database is seeded first with the demo and
# SCALE practices (default 2000):
#   observatory seed --db DSN --demo --scale 2000
#
# Usage: tools/cachebench/soak.sh DSN [minutes (default 10)] [rate (default 300)] [connections (default 16)]
set -euo pipefail
dsn=$1 minutes=${2:-10} rate=${3:-300} conc=${4:-16}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/soak.XXXXXX)
port=${APP_PORT:-18190} debug=${DEBUG_PORT:-18191}
(cd "$root" && go build -o "$work/observatory" ./cmd/observatory)
if [[ $dsn != postgres* && ! -e $dsn ]]; then
	echo "seeding $dsn with the demo and ${SCALE:-2000} practices …"
	"$work/observatory" seed --db "$dsn" --demo --scale "${SCALE:-2000}" >"$work/seed.log" 2>&1
fi

OBSERVATORY_API_LIMIT=-1 OBSERVATORY_DB="$dsn" "$work/observatory" serve --addr "127.0.0.1:$port" --debug-addr "127.0.0.1:$debug" >"$work/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait 2>/dev/null || true; echo "work folder: $work" >&2' EXIT
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do sleep 0.1; done

rss() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$pid/status"; }
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; } # clock ticks
# pauses prints "le count" for every bucket of the collector's pauses.
pauses() {
	curl -fs "http://127.0.0.1:$debug/metrics" |
		sed -n 's/^go_sched_pauses_total_gc_seconds_bucket{le="\([^"]*\)"} \(.*\)$/\1 \2/p'
}
# longest reads two bucket lists (before, after) and prints the smallest
# upper bound whose count grew as much as the total: no pause of the
# interval was longer.
longest() {
	awk 'NR == FNR {before[$1] = $2; next}
		{le[++n] = $1; grew[n] = $2 - before[$1]}
		END {total = grew[n]; if (total == 0) {print "none"; exit}
			for (i = 1; i <= n; i++) if (grew[i] == total) {
				if (le[i] == "+Inf") printf "> %.4g ms\n", le[i - 1] * 1000; else printf "≤ %.4g ms\n", le[i] * 1000; exit}}' "$1" "$2"
}
# sample appends the largest of the last 256 pauses, in ms, to $work/max
# every 5 s.
sample() {
	while kill -0 "$pid" 2>/dev/null; do
		curl -fs "http://127.0.0.1:$debug/metrics" |
			awk '/^go_gc_duration_seconds\{quantile="1"\}/ {printf "%.1f\n", $2 * 1000}' >>"$work/max" || true
		sleep 5
	done
}
heap() {
	curl -fs "http://127.0.0.1:$debug/metrics" | awk '/^go_memstats_heap_alloc_bytes / {printf "%.0f", $2 / 1048576}'
}

echo "serving $dsn; RSS at start: $(rss) MB; load: $(uptime | sed 's/.*load average: //')"
printf '%-6s %8s %9s %11s %12s %9s %9s %10s %9s\n' minute "RSS MB" "heap MB" "longest GC" "GC bucket" p99 max "requests" "CPU ms/r"
pauses >"$work/pauses.0"
sample &
longestAll=0
first=0
for m in $(seq 1 "$minutes"); do
	c0=$(cpu)
	: >"$work/max"
	"$work/observatory" loadgen --url "http://127.0.0.1:$port" --rate "$rate" --concurrency "$conc" \
		--warmup 0s --duration 1m >"$work/loadgen.$m" 2>&1
	c1=$(cpu)
	pauses >"$work/pauses.$m"
	r=$(rss)
	[ "$m" -eq 1 ] && first=$r
	read -r n p99 max < <(awk '$1 == "all" {print $2, $6, $7}' "$work/loadgen.$m")
	gc=$(sort -n "$work/max" | tail -1)
	longestAll=$(awk -v a="$longestAll" -v b="${gc:-0}" 'BEGIN {print (b > a) ? b : a}')
	printf '%-6s %8s %9s %11s %12s %9s %9s %10s %9s\n' "$m" "$r" "$(heap)" "${gc:-?} ms" "$(longest "$work/pauses.$((m - 1))" "$work/pauses.$m")" \
		"$p99" "$max" "$n" "$(awk -v t="$((c1 - c0))" -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", n ? t * 1000 / hz / n : 0}')"
done
echo "longest GC pause of the whole run: $longestAll ms (histogram: $(longest "$work/pauses.0" "$work/pauses.$minutes"))"
awk -v a="$first" -v b="$r" 'BEGIN {printf "RSS after minute 1: %d MB, at the end: %d MB (%+.0f %%): %s\n", a, b, (b - a) * 100 / a, (b <= a * 1.2) ? "stays within 20 %" : "grew more than 20 %"}'
echo "load at the end: $(uptime | sed 's/.*load average: //')"
