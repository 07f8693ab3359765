#!/usr/bin/env bash
# The flash crowd: the page of a service in an outage read by many, while reports pour in, in one run next
# to the references measured on the same machine at the same time:
#   - nginx serving the very bytes of the app's page (and of chart.svg, and of the home page) from files;
#   - pgbench's single-row INSERT rate into the report table.
# Steps: package the app, fresh database with 14 days of demo history, a report flood on la-poste until its
# status is `problem` (the outage), then wrk (64 connections) on the page, chart.svg, home and the API's
# reads of the service (detail and default series) of the app and of nginx, a report flood alone, the flood with 64 page readers, a check that every 201 is in the database,
# and pgbench. Prints each rate as a ratio to its reference, with p50/p99.
#   bench/flashcrowd/run.sh   (SKIP_BUILD=1 reuses target/quarkus-app; DURATION=20 s per measurement, WARMUP=10 s per path,
#                              CONNECTIONS=64, FLOOD_CONNECTIONS=64, PORT=8087, NGINX_PORT=8088, DAYS=14)
set -euo pipefail
cd "$(dirname "$0")/../.."

PGHOST=${PGHOST:-127.0.0.1}; PGPORT=${PGPORT:-5432}; PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER
DB=${BENCH_DB:-downwatch_bench_flash}
PORT=${PORT:-8087}
NGINX_PORT=${NGINX_PORT:-8088}
DAYS=${DAYS:-14}
DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-64}
FLOOD_CONNECTIONS=${FLOOD_CONNECTIONS:-64}
APP_DIR=${APP_DIR:-target/quarkus-app}
OUT=target/bench-flashcrowd
SERVICE=la-poste
mkdir -p "$OUT"
rm -rf "$OUT/nginx"; mkdir -p "$OUT/nginx/www/services/$SERVICE" "$OUT/nginx/www/api/v1/services/$SERVICE"
PATHS=("/services/$SERVICE" "/services/$SERVICE/chart.svg" "/" "/api/v1/services/$SERVICE" "/api/v1/services/$SERVICE/series")

for tool in wrk pgbench nginx; do
  command -v $tool >/dev/null || { echo "$tool is needed: apt-get install -y wrk postgresql-client nginx"; exit 1; }
done

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "== Build"
  ./mvnw -B -q package -DskipTests
fi

echo "== Fresh database $DB, the app on :$PORT with $DAYS days of demo history"
psql -qX -d postgres -c "drop database if exists $DB with (force)" -c "create database $DB"
QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB" QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$((PORT + 1000)) \
  DOWNWATCH_DEMO_ENABLED=true DOWNWATCH_DEMO_HISTORY="P${DAYS}D" DOWNWATCH_API_RATE_LIMIT_ENABLED=false \
  java ${JAVA_OPTS:--Xmx2g} -jar "$APP_DIR/quarkus-run.jar" >"$OUT/app.log" 2>&1 &
APP=$!
NGINX_PID=""
LOADS=""
cleanup() {
  [[ -n "$LOADS" ]] && kill "$LOADS" 2>/dev/null || true
  kill $APP 2>/dev/null || true; wait $APP 2>/dev/null || true
  [[ -n "$NGINX_PID" ]] && kill "$NGINX_PID" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$((PORT + 1000))/q/health/ready" >/dev/null && break
  kill -0 $APP 2>/dev/null || { echo "the app stopped:"; tail -30 "$OUT/app.log"; exit 1; }
  sleep 1
done
for _ in $(seq 1 300); do
  # the detector saves its state once its warm-up (the replay of the demo history) is done
  grep -q "Demo data:" "$OUT/app.log" && grep -qE "Detection: (saved|restored) the state" "$OUT/app.log" && break
  sleep 1
done

counts() { psql -qXAt -d "$DB" -c "select count(*) from report where source = 'api'"; }
served201() {
  curl -sf "http://127.0.0.1:$((PORT + 1000))/q/metrics" | awk '/^http_server_requests_seconds_count/ && /status="201"/ && /reports/ {n += $NF} END {printf "%d", n}'
}
level() {
  curl -sf "http://127.0.0.1:$PORT/api/v1/services/$SERVICE" | sed -nE 's/.*"level":"([a-z]+)".*/\1/p'
}
flood() { # seconds, connections, output file
  FLOOD_SERVICE=$SERVICE wrk -t2 -c"$2" -d"$(($1 + 3))s" --latency -s bench/flashcrowd/flood.lua \
    "http://127.0.0.1:$PORT" -- "$1" >"$3"
}
# wrk on a URL: "req/s p50 p99 non2xx"
read_rate() { # url, seconds, connections, [extra wrk args...]
  local url=$1 secs=$2 conns=$3; shift 3
  wrk -t2 -c"$conns" -d"${secs}s" --latency "$@" "$url" | awk '
    /Requests\/sec/ {rps = $2} $1 == "50%" {p50 = $2} $1 == "99%" {p99 = $2} /Non-2xx/ {bad = $NF}
    END {printf "%s %s %s %s", rps, p50, p99, bad + 0}'
}
ms() { awk -v x="$1" 'BEGIN { if (x ~ /us$/) v = x / 1000; else if (x ~ /ms$/) v = x + 0; else if (x ~ /s$/) v = x * 1000; printf "%.1f", v }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {r = 0; if (b > 0) r = a / b; printf "%.2f", r}'; }

echo "== The outage: reports on $SERVICE until its status is problem"
flood 5 8 "$OUT/outage-0.txt"
for i in $(seq 1 8); do
  [[ "$(level)" == problem ]] && break
  flood 20 8 "$OUT/outage-$i.txt"
done
echo "level of $SERVICE: $(level)"
# the minute of the outage's start is evaluated: wait for the next evaluation so pages show the incident
sleep 5

echo "== nginx serving the same bytes (files fetched from the app just now)"
curl -sf "http://127.0.0.1:$PORT/services/$SERVICE" -o "$OUT/nginx/www/services/$SERVICE/index.html"
curl -sf "http://127.0.0.1:$PORT/services/$SERVICE/chart.svg" -o "$OUT/nginx/www/services/$SERVICE/chart.svg"
curl -sf "http://127.0.0.1:$PORT/" -o "$OUT/nginx/www/index.html"
curl -sf "http://127.0.0.1:$PORT/api/v1/services/$SERVICE" -o "$OUT/nginx/www/api/v1/services/$SERVICE/index.json"
curl -sf "http://127.0.0.1:$PORT/api/v1/services/$SERVICE/series" -o "$OUT/nginx/www/api/v1/services/$SERVICE/series"
ls -l "$OUT/nginx/www/index.html" "$OUT/nginx/www/services/$SERVICE/" "$OUT/nginx/www/api/v1/services/$SERVICE/"
cat >"$OUT/nginx/nginx.conf" <<NGINX
worker_processes auto;
pid $PWD/$OUT/nginx/nginx.pid;
error_log $PWD/$OUT/nginx/error.log;
daemon off;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 100000;
  types { text/html html; image/svg+xml svg; }
  client_body_temp_path $PWD/$OUT/nginx/tmp; proxy_temp_path $PWD/$OUT/nginx/tmp;
  fastcgi_temp_path $PWD/$OUT/nginx/tmp; uwsgi_temp_path $PWD/$OUT/nginx/tmp; scgi_temp_path $PWD/$OUT/nginx/tmp;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $PWD/$OUT/nginx/www;
    location = /services/$SERVICE { default_type text/html; try_files /services/$SERVICE/index.html =404; }
    location = /api/v1/services/$SERVICE { default_type application/json; try_files /api/v1/services/$SERVICE/index.json =404; }
    location = /api/v1/services/$SERVICE/series { default_type application/json; try_files /api/v1/services/$SERVICE/series =404; }
  }
}
NGINX
mkdir -p "$OUT/nginx/tmp"
nginx -c "$PWD/$OUT/nginx/nginx.conf" &
NGINX_PID=$!
sleep 1

APP_URL="http://127.0.0.1:$PORT"; NGINX_URL="http://127.0.0.1:$NGINX_PORT"
declare -A R
# The JIT first: on a loaded machine the app's read path takes longer than 3 s to be compiled, and the page,
# measured first, paid for it (0.14-0.18x nginx alone, then 0.7-1.2x during the flood, in the same runs)
echo "== Warm-up of the app's read paths, ${WARMUP:=10} s each"
for path in "${PATHS[@]}"; do read_rate "http://127.0.0.1:$PORT$path" "$WARMUP" "$CONNECTIONS" >/dev/null; done
echo "== Readers alone, $CONNECTIONS connections, ${DURATION} s each (after 3 s of warm-up)"
# the machine's load (1-minute average) every 5 s while measuring: the bench shares the machine
( while true; do cut -d' ' -f1 /proc/loadavg; sleep 5; done ) >"$OUT/load.txt" &
LOADS=$!
for path in "${PATHS[@]}"; do
  read_rate "$NGINX_URL$path" 3 "$CONNECTIONS" >/dev/null
  R["nginx $path"]=$(read_rate "$NGINX_URL$path" "$DURATION" "$CONNECTIONS")
  read_rate "$APP_URL$path" 3 "$CONNECTIONS" >/dev/null
  R["app $path"]=$(read_rate "$APP_URL$path" "$DURATION" "$CONNECTIONS")
done

echo "== Report flood alone ($FLOOD_CONNECTIONS connections, ${DURATION} s)"
R0=$(counts); S0=$(served201)
flood "$DURATION" "$FLOOD_CONNECTIONS" "$OUT/flood-alone.txt"
SOLO=$(grep '^RESULT' "$OUT/flood-alone.txt")

echo "== Report flood and $CONNECTIONS page readers together (${DURATION} s)"
flood "$DURATION" "$FLOOD_CONNECTIONS" "$OUT/flood-with-readers.txt" &
FLOOD=$!
sleep 1
R["app+flood /services/$SERVICE"]=$(read_rate "$APP_URL/services/$SERVICE" "$((DURATION - 2))" "$CONNECTIONS")
wait $FLOOD
BOTH=$(grep '^RESULT' "$OUT/flood-with-readers.txt")

echo "== Check: every 201 is in the database"
sleep 3
R1=$(counts); S1=$(served201)
field() { sed -E "s/.*$1=([0-9]+).*/\1/" <<<"$2"; }
CREATED=$(( $(field created "$SOLO") + $(field created "$BOTH") ))
SERVED=$((S1 - S0))
CHECK=ok
if [[ $((R1 - R0)) != "$SERVED" || "$SERVED" != "$CREATED" ]]; then CHECK=MISMATCH; fi
echo "201s seen by wrk: $CREATED; sent by the app: $SERVED; new report rows: $((R1 - R0)); check: $CHECK"
psql -qXAt -d "$DB" -c "select 'last evaluated minute: ' || value from app_setting where key like 'detect.%' limit 1" 2>/dev/null || true

kill $LOADS 2>/dev/null || true
LOAD_RANGE=$(sort -n "$OUT/load.txt" | awk 'NR == 1 {lo = $1} {hi = $1; s += $1; n++} END {printf "%s-%s (mean %.1f)", lo, hi, s / n}')
echo "== pgbench: single-row INSERT, 8 clients, ${DURATION} s"
kill $APP; wait $APP 2>/dev/null || true
pgbench -n -c 8 -j 2 -T "$DURATION" -M prepared -f bench/ingest/insert.sql "$DB" >"$OUT/pgbench.txt" 2>&1
TPS=$(awk '/^tps/ {print $3; exit}' "$OUT/pgbench.txt")

solo_rate=$(awk -v c="$(field created "$SOLO")" -v s="$DURATION" 'BEGIN {printf "%.0f", c / s}')
both_rate=$(awk -v c="$(field created "$BOTH")" -v s="$DURATION" 'BEGIN {printf "%.0f", c / s}')
us() { awk -v x="$1" 'BEGIN {printf "%.1f", x / 1000}'; }
{
echo
echo "== Summary ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg); load while measuring $LOAD_RANGE; wrk -t2, ${DURATION} s per figure)"
printf '%-40s %10s %10s %9s %9s %s\n' "what" "req/s" "ratio" "p50 ms" "p99 ms" "non-2xx"
for path in "${PATHS[@]}"; do
  read -r n_rps n50 n99 nbad <<<"${R["nginx $path"]}"
  read -r a_rps a50 a99 abad <<<"${R["app $path"]}"
  printf '%-40s %10s %10s %9s %9s %s\n' "nginx $path" "$n_rps" "1" "$(ms "$n50")" "$(ms "$n99")" "$nbad"
  printf '%-40s %10s %10s %9s %9s %s\n' "app $path ($CONNECTIONS conn.)" "$a_rps" "$(ratio "$a_rps" "$n_rps")x nginx" "$(ms "$a50")" "$(ms "$a99")" "$abad"
done
read -r n_rps _ <<<"${R["nginx /services/$SERVICE"]}"
read -r b_rps b50 b99 bbad <<<"${R["app+flood /services/$SERVICE"]}"
printf '%-40s %10s %10s %9s %9s %s\n' "app page during the flood" "$b_rps" "$(ratio "$b_rps" "$n_rps")x nginx" "$(ms "$b50")" "$(ms "$b99")" "$bbad"
printf '%-40s %10s %10s %9s %9s %s\n' "pgbench single-row INSERT (8 clients)" "$TPS" "1" "" "" ""
printf '%-40s %10s %10s %9s %9s %s\n' "flood alone, counted/s" "$solo_rate" "$(ratio "$solo_rate" "$TPS")x pgbench" "$(us "$(field p50_us "$SOLO")")" "$(us "$(field p99_us "$SOLO")")" "other=$(field other "$SOLO")"
printf '%-40s %10s %10s %9s %9s %s\n' "flood with readers, counted/s" "$both_rate" "$(ratio "$both_rate" "$solo_rate")x solo" "$(us "$(field p50_us "$BOTH")")" "$(us "$(field p99_us "$BOTH")")" "other=$(field other "$BOTH")"
echo "database check: $CHECK (201s sent $SERVED, seen by wrk $CREATED, new rows $((R1 - R0)))"
} | tee "$OUT/summary.txt"
[[ $CHECK == ok ]]
