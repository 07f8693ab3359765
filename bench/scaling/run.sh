#!/usr/bin/env bash
# Reads through nginx with one and with two instances: requests/s of the service page and of the series
# API (wrk, 20 s each), nginx's cache off (what the instances do) and on (what a flash crowd of readers
# gets from docker/nginx.conf's shared cache). One database with two days of demo history.
#   bench/scaling/run.sh   (SKIP_BUILD=1 to reuse target/quarkus-app; DURATION=20; CONNECTIONS=32;
#                           ports PORT_A=8191 PORT_B=8192 NGINX_PORT=8190)
set -euo pipefail
cd "$(dirname "$0")/../.."

PGHOST=${PGHOST:-127.0.0.1}; PGPORT=${PGPORT:-5432}; PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER
DB=${BENCH_DB:-downwatch_cluster_scaling}
PORT_A=${PORT_A:-8191}; PORT_B=${PORT_B:-8192}; NGINX_PORT=${NGINX_PORT:-8190}
DURATION=${DURATION:-20}; CONNECTIONS=${CONNECTIONS:-32}
OUT=$PWD/target/bench-scaling
mkdir -p "$OUT/nginx"
: >"$OUT/summary.txt"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  ./mvnw -B -q package -DskipTests
fi

PIDS=(); NGINX=""
cleanup() { for p in "${PIDS[@]}" $NGINX; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

start() { # start PORT DEMO
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB" QUARKUS_HTTP_PORT=$1 QUARKUS_MANAGEMENT_PORT=$(($1 + 1000)) \
    DOWNWATCH_DEMO_ENABLED=$2 DOWNWATCH_DEMO_HISTORY=P2D DOWNWATCH_API_RATE_LIMIT_ENABLED=false \
    java ${JAVA_OPTS:--Xmx384m} -jar target/quarkus-app/quarkus-run.jar >>"$OUT/app-$1.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$(($1 + 1000))/q/health/ready" >/dev/null && return 0; sleep 0.5; done
  echo "instance on :$1 not ready"; exit 1
}

nginx_with() { # nginx_with CACHE PORT...: (re)starts nginx over these instances
  local cache=$1; shift
  [[ -n $NGINX ]] && { kill $NGINX; wait $NGINX 2>/dev/null || true; }
  { echo "worker_processes 1; error_log $OUT/nginx/error.log warn; pid $OUT/nginx/nginx.pid; events { worker_connections 4096; }"
    echo "http { access_log off; client_body_temp_path $OUT/nginx/body; proxy_temp_path $OUT/nginx/proxy;"
    echo "  proxy_cache_path $OUT/nginx/cache keys_zone=pages:10m use_temp_path=off;"
    echo "  upstream downwatch {"; for p in "$@"; do echo "    server 127.0.0.1:$p;"; done; echo "    keepalive 64; }"
    echo "  server { listen 127.0.0.1:$NGINX_PORT; location / { proxy_pass http://downwatch; proxy_http_version 1.1;"
    echo "    proxy_set_header Connection \"\"; proxy_set_header X-Forwarded-For \$remote_addr;"
    [[ $cache == on ]] && echo "    proxy_cache pages; proxy_cache_lock on; proxy_cache_use_stale updating; proxy_cache_background_update on;"
    echo "  } } }"; } >"$OUT/nginx/nginx.conf"
  nginx -p "$OUT/nginx" -c "$OUT/nginx/nginx.conf" -g 'daemon off; user root;' &
  NGINX=$!
  until curl -sf "http://127.0.0.1:$NGINX_PORT/favicon.svg" >/dev/null; do sleep 0.1; done
}

measure() { # measure LABEL PATH
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$NGINX_PORT$2" >"$OUT/wrk.txt"
  local rps p99 non2xx
  rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$OUT/wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$OUT/wrk.txt")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$OUT/wrk.txt")
  printf "%-44s %-32s %7s req/s  p99 %8s  non-2xx %s  (load %s)\n" "$1" "$2" "$rps" "$p99" "${non2xx:-0}" "$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$OUT/summary.txt"
}

echo "== Fresh database $DB with two days of demo history"
psql -qX -d postgres -c "drop database if exists $DB with (force)" -c "create database $DB"
start "$PORT_A" true
start "$PORT_B" false
PAGE=/services/la-poste; API="/api/v1/services/la-poste/series?bucket=PT15M"
curl -sf "http://127.0.0.1:$PORT_A$PAGE" >/dev/null; curl -sf "http://127.0.0.1:$PORT_B$PAGE" >/dev/null

for cache in off on; do
  for n in 1 2; do
    if [[ $n == 1 ]]; then nginx_with $cache "$PORT_A"; else nginx_with $cache "$PORT_A" "$PORT_B"; fi
    wrk -t2 -c"$CONNECTIONS" -d5s "http://127.0.0.1:$NGINX_PORT$PAGE" >/dev/null # warm-up
    measure "$n instance(s), nginx cache $cache" "$PAGE"
    measure "$n instance(s), nginx cache $cache" "$API"
  done
done
echo; echo "== Summary ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores)"; cat "$OUT/summary.txt"
