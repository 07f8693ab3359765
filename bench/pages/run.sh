#!/usr/bin/env bash
# Page speed: the packaged app over months of demo history (90 days by default, about 1.5 million
# reports), then wrk against the service page, its SVG, the home page and the series API.
#   bench/pages/run.sh      (SKIP_BUILD=1 reuses target/quarkus-app; DAYS=90 DURATION=15s CONNECTIONS=4)
set -euo pipefail
cd "$(dirname "$0")/../.."

PGHOST=${PGHOST:-127.0.0.1}; PGPORT=${PGPORT:-5432}; PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER
DB=${BENCH_DB:-downwatch_bench_pages}
PORT=${PORT:-8085}
DAYS=${DAYS:-90}
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-4}
OUT=target/bench-pages
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk"; exit 1; }

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  ./mvnw -B -q package -DskipTests
fi
psql -qX -d postgres -c "drop database if exists $DB with (force)" -c "create database $DB"

echo "== Start the app with $DAYS days of demo history"
QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB" QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$((PORT + 1000)) \
  DOWNWATCH_DEMO_ENABLED=true DOWNWATCH_DEMO_HISTORY="P${DAYS}D" DOWNWATCH_API_RATE_LIMIT_ENABLED=false \
  java ${JAVA_OPTS:--Xmx1g} -jar target/quarkus-app/quarkus-run.jar >"$OUT/app.log" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null || true; wait $APP 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$((PORT + 1000))/q/health/ready" >/dev/null && break
  kill -0 $APP 2>/dev/null || { echo "the app stopped:"; tail -30 "$OUT/app.log"; exit 1; }
  sleep 1
done
# the demo history is written after the app is ready: wait for it and for the detector's replay of it
for _ in $(seq 1 300); do
  # the detector saves its state once its warm-up (the replay of the demo history) is done
  grep -q "Demo data:" "$OUT/app.log" && grep -qE "Detection: (saved|restored) the state" "$OUT/app.log" && break
  sleep 1
done
grep -E "Demo data|Detection: (evaluated|saved|restored)" "$OUT/app.log" || true
psql -qXt -d "$DB" -c "select 'report rows: ' || count(*) from report" -c "select 'report_minute rows: ' || count(*) from report_minute"

echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), wrk -t1 -c$CONNECTIONS -d$DURATION"
for path in /services/la-poste /services/la-poste/chart.svg "/services/la-poste?range=7d" / "/api/v1/services/la-poste/series?bucket=PT15M"; do
  # warm up, then measure
  wrk -t1 -c"$CONNECTIONS" -d3s "http://127.0.0.1:$PORT$path" >/dev/null
  r=$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$PORT$path")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$r")
  p50=$(awk '$1=="50%" {print $2}' <<<"$r")
  p99=$(awk '$1=="99%" {print $2}' <<<"$r")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$r")
  printf '%-50s %8s req/s   p50 %8s   p99 %8s   non-2xx %s\n' "$path" "$rps" "$p50" "$p99" "${non2xx:-0}"
done
