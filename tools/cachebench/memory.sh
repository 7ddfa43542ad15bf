#!/usr/bin/env bash
# Starts the server on a seeded database and reports what a memory
# measurement needs: the time until it answers, p99 of the first 30
# seconds of loadgen, resident memory at start, after the first minute and
# at the end of a loadgen run, and the heap profile's top entries.
#
# Needs: go, curl. The database must be seeded already, e.g.
#   observatory seed --db /tmp/p100k.db --demo --scale 100000
#
# Usage: tools/cachebench/memory.sh DSN [minutes (default 10)] [connections (default 8)] [rate (0: as fast as possible)]
set -euo pipefail
dsn=$1 minutes=${2:-10} conc=${3:-8} rate=${4:-0}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/memory.XXXXXX)
port=${APP_PORT:-18180} debug=${DEBUG_PORT:-18181}
(cd "$root" && go build -o "$work/observatory" ./cmd/observatory)
rss() {
	awk '/VmRSS/ {printf "%.0f MB", $2/1024}' "/proc/$pid/status"
	# Go's heap in use, and the anonymous memory Go did not map (SQLite's
	# page caches, statements and its allocator's pool).
	curl -fs "http://127.0.0.1:$debug/metrics" | awk -v anon="$(awk '/RssAnon/ {print $2 * 1024}' "/proc/$pid/status")" '
		/^go_memstats_heap_inuse_bytes / {g = $2}
		/^go_memstats_sys_bytes / {sys = $2}
		/^go_memstats_heap_released_bytes / {rel = $2}
		END {printf " (Go heap in use %.0f MB; outside Go about %.0f MB)", g / 1048576, (anon - sys + rel) / 1048576}'
}

start=$(date +%s.%N)
OBSERVATORY_API_LIMIT=-1 OBSERVATORY_DB="$dsn" "$work/observatory" serve --addr "127.0.0.1:$port" --debug-addr "127.0.0.1:$debug" >"$work/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait 2>/dev/null || true; echo "work folder: $work" >&2' EXIT
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do sleep 0.1; done
echo "answering after $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}') s; RSS at start: $(rss)"
lg() { "$work/observatory" loadgen --url "http://127.0.0.1:$port" --concurrency "$conc" --rate "$rate" --warmup 0s --duration "$1"; }
echo "== the first 30 s after the start"
lg 30s
echo "RSS after the first 30 s: $(rss)"
lg 30s >/dev/null
echo "RSS after the first minute: $(rss)"
curl -fs "http://127.0.0.1:$debug/debug/pprof/heap" -o "$work/heap-1min.pb.gz"
if [ "$minutes" -gt 1 ]; then
	echo "== steady state: the next $((minutes - 1)) minutes"
	lg "$((minutes - 1))m"
fi
echo "RSS after $minutes minutes: $(rss)"
curl -fs "http://127.0.0.1:$debug/debug/pprof/heap" -o "$work/heap-end.pb.gz"
go tool pprof -top -inuse_space -nodecount 12 "$work/heap-end.pb.gz" 2>/dev/null | sed -n '1,20p'
