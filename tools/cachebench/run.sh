#!/usr/bin/env bash
# Compares the server's cached public answers with nginx serving the very
# same bytes pre-compressed (gzip_static), in the same run on the same
# machine, and prints a table per page: requests per second, p99 at 16
# connections and processor time per request (user and system, from
# /proc: on a shared machine the figure that moves least with the others'
# load) for both, and their ratio; and the same for a plain Go handler
# serving those bytes (tools/cachebench/static), the ceiling of a Go
# server. It also times uncached renders (an address with a query the
# cache has not seen twice is rendered anew).
#
# Needs: go, curl, wrk, nginx (Debian: apt-get install -y wrk nginx-light).
#
# OBSERVATORY_BIN=path measures that build of the server instead of this tree's.
#
# Usage: tools/cachebench/run.sh [--scale N] [--cities N] [--duration 5s] [--db DSN] [--only RE] [--keep]
#   --scale N     add N generated practices to the demo content (default 0)
#   --cities N    add N invented member cities to it first (default 0)
#   --db DSN      use this database (already seeded) instead of a new SQLite file
#   --duration D  how long wrk runs per page and server (default 5s)
#   --only RE     measure only the addresses that match the extended regular expression RE
#   --keep        leave the work folder (database, pages, logs) in place
set -euo pipefail

scale=0 cities=0 duration=5s dsn="" keep=0 only=""
while [ $# -gt 0 ]; do
	case "$1" in
	--scale) scale=$2; shift 2 ;;
	--cities) cities=$2; shift 2 ;;
	--duration) duration=$2; shift 2 ;;
	--db) dsn=$2; shift 2 ;;
	--only) only=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	*) echo "unknown argument $1" >&2; exit 2 ;;
	esac
done
for tool in go curl wrk nginx; do
	command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install -y wrk nginx-light curl)" >&2; exit 2; }
done

root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/cachebench.XXXXXX)
app_port=${APP_PORT:-18080} nginx_port=${NGINX_PORT:-18081} static_port=${STATIC_PORT:-18082}
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	[ "$keep" = 1 ] && echo "work folder: $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT

echo "building …" >&2
(cd "$root" && go build -o "$work/static" ./tools/cachebench/static)
if [ -n "${OBSERVATORY_BIN:-}" ]; then
	cp "$OBSERVATORY_BIN" "$work/observatory" # another build of the server, to compare
else
	(cd "$root" && go build -o "$work/observatory" ./cmd/observatory)
fi
if [ -z "$dsn" ]; then
	dsn="$work/bench.db"
	args=(--demo)
	[ "$cities" -gt 0 ] && args+=(--cities "$cities")
	[ "$scale" -gt 0 ] && args+=(--scale "$scale")
	echo "seeding the demo content (cities $cities, scale $scale) …" >&2
	"$work/observatory" seed --db "$dsn" "${args[@]}" >"$work/seed.log" 2>&1
fi

echo "starting the server …" >&2
OBSERVATORY_API_LIMIT=-1 OBSERVATORY_DB="$dsn" "$work/observatory" serve --addr "127.0.0.1:$app_port" >"$work/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 600); do
	curl -fs "http://127.0.0.1:$app_port/healthz" >/dev/null 2>&1 && break
	sleep 0.2
done
base="http://127.0.0.1:$app_port"

# The pages: the first address of each kind the sitemap lists, the lists,
# feeds and API answers.
curl -fs "$base/sitemap.xml" >"$work/sitemap.xml"
first() { grep -o "<loc>[^<]*</loc>" "$work/sitemap.xml" | sed -e 's/<[^>]*>//g' -e "s|^https\?://[^/]*||" | grep -E "$1" | head -1; }
pages=(/en/ /en/cities /en/practices /en/summits /en/declarations /en/figures /en/news /en/ideas /en/exchanges/network
	/en/practices/feed.atom /en/news/feed.atom /api/v1/cities /api/v1/practices /api/v1/summits /api/v1/declarations /api/v1/figures)
for kind in '^/en/cities/[0-9]' '^/en/practices/[0-9]' '^/en/summits/[^/]+$' '^/en/summits/[^/]+/programme$' '^/en/declarations/[^/]+$' '^/en/news/[0-9]' '^/en/ideas/[^/]+$'; do
	p=$(first "$kind") && [ -n "$p" ] && pages+=("$p")
done
if [ -n "$only" ]; then
	kept=()
	for p in "${pages[@]}"; do [[ $p =~ $only ]] && kept+=("$p"); done
	pages=("${kept[@]}")
fi

# Uncached renders: a query seen once is not kept, so each is rendered.
echo >&2
printf "%-44s %10s %10s\n" "uncached render (20 tries)" "median ms" "max ms"
for p in /en/cities "$(first '^/en/summits/[^/]+$')" "$(first '^/en/summits/1-[^/]+$')" /en/ "$(first '^/en/cities/[0-9]')"; do
	[ -n "$p" ] && [[ $p =~ $only ]] || continue
	for i in $(seq 1 20); do
		curl -s -o /dev/null -H 'Accept-Encoding: gzip' -w '%{time_total}\n' "$base$p?uncached=$RANDOM$i"
	done | sort -n | awk -v p="$p" '{t[NR]=$1*1000} END {printf "%-44s %10.2f %10.2f\n", p, t[int((NR+1)/2)], t[NR]}'
done

# The same bytes for nginx, gzip-compressed as the server sends them.
mkdir -p "$work/www/p" "$work/nginx/logs"
i=0
declare -A file
for p in "${pages[@]}"; do
	curl -fs -o /dev/null -H 'Accept-Encoding: gzip' "$base$p" || { echo "skipping $p (not 200)" >&2; continue; }
	curl -fs -H 'Accept-Encoding: gzip' -D "$work/h" -o "$work/www/p/$i.html.gz" "$base$p"
	if ! grep -qi '^x-cache: hit' "$work/h"; then
		echo "skipping $p (not kept by the cache)" >&2
		rm -f "$work/www/p/$i.html.gz"
		continue
	fi
	gzip -dc "$work/www/p/$i.html.gz" >"$work/www/p/$i.html"
	file[$p]=$i
	i=$((i + 1))
done
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes auto;
daemon off;
error_log $work/nginx/logs/error.log;
pid $work/nginx/nginx.pid;
events { worker_connections 1024; }
http {
	access_log $work/nginx/logs/access.log;  # the server logs every request too
	default_type text/html;
	sendfile on;
	keepalive_requests 1000000;
	server {
		listen 127.0.0.1:$nginx_port;
		root $work/www;
		gzip_static on;
		etag on;
	}
}
EOF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
nginx_pid=$!
pids+=($nginx_pid)
"$work/static" --addr "127.0.0.1:$static_port" --dir "$work/www/p" &
static_pid=$!
pids+=($static_pid)
sleep 0.5

# cpu PID…: the processor time (user and system, clock ticks) the
# processes and their children have used so far.
cpu() {
	local t=0 p
	for p in "$@" $(for q in "$@"; do pgrep -P "$q"; done); do
		t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
	done
	echo "$t"
}
tick=$(getconf CLK_TCK)

# wrk: requests/s, p99 (ms) and processor µs per request of one address
# served by the processes PID…
bench() {
	local url=$1; shift
	local before after
	before=$(cpu "$@")
	wrk -t2 -c16 -d"$duration" --latency -H 'Accept-Encoding: gzip' "$url" 2>/dev/null >"$work/wrk.out"
	after=$(cpu "$@")
	awk -v ticks=$((after - before)) -v tick="$tick" '
		/ requests in / {n=$1}
		/Requests\/sec/ {rps=$2}
		/^ +99%/ {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; p99=v}
		/Non-2xx/ {bad=$NF}
		END {printf "%s %s %s %.1f\n", rps, p99, bad+0, (n > 0 ? ticks * 1e6 / tick / n : 0)}' "$work/wrk.out"
}

echo >&2
uptime
printf "%-44s %7s | %8s %7s %6s | %8s %7s %6s | %8s %7s %6s | %6s\n" "page (wrk -t2 -c16 -d$duration, gzip)" "gz B" \
	"server/s" "p99 ms" "cpu µs" "nginx/s" "p99 ms" "cpu µs" "go/s" "p99 ms" "cpu µs" "ratio"
for p in "${pages[@]}"; do
	[ -n "${file[$p]:-}" ] || continue
	n=${file[$p]}
	size=$(stat -c %s "$work/www/p/$n.html.gz")
	read -r s_rps s_p99 s_bad s_cpu < <(bench "$base$p" "${pids[0]}")
	read -r n_rps n_p99 _ n_cpu < <(bench "http://127.0.0.1:$nginx_port/p/$n.html" "$nginx_pid")
	read -r g_rps g_p99 _ g_cpu < <(bench "http://127.0.0.1:$static_port/$n.html" "$static_pid")
	ratio=$(awk -v a="$s_rps" -v b="$n_rps" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')
	printf "%-44.44s %7d | %8.0f %7.2f %6.0f | %8.0f %7.2f %6.0f | %8.0f %7.2f %6.0f | %6s%s\n" "$p" "$size" \
		"$s_rps" "$s_p99" "$s_cpu" "$n_rps" "$n_p99" "$n_cpu" "$g_rps" "$g_p99" "$g_cpu" "$ratio" \
		"$([ "$s_bad" != 0 ] && echo "  ($s_bad non-2xx)")"
done
uptime
echo >&2
grep -E "VmRSS|VmHWM" "/proc/${pids[0]}/status" >&2 || true
