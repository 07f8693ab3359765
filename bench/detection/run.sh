#!/usr/bin/env bash
# Detection bench: simulated series through POST /api/v1/backtest (the packaged app), side by side with
# reference detectors, plus the cost of the live detector's maths for 10,000 services.
#   bench/detection/run.sh                 # packages the app (SKIP_PACKAGE=1 to reuse it), starts it on port 8082, stops it after
#   DOWNWATCH_URL=http://host:port bench/detection/run.sh   # uses a running app instead
# Options: SERVICES=60 (per seed) TRIALS=30 SEEDS=1-9 (pooled; SEED=N for one) NOISE=crowd|realistic|hourly (see bench.py and simulate.py). Needs python3 with numpy, and a JDK 17.
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${PORT:-8082}
URL=${DOWNWATCH_URL:-}
PID=
# the bench's own database: the app migrates it at start, Cost.java writes its scratch table there
bench_db() {
  psql -h 127.0.0.1 -U postgres -tc "select 1 from pg_database where datname = 'downwatch_bench_detection'" | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -qc "create database downwatch_bench_detection"
}
if [ -z "$URL" ]; then
  if [ "${SKIP_PACKAGE:-0}" != 1 ] || [ ! -f target/quarkus-app/quarkus-run.jar ]; then
    ./mvnw -B -q package -DskipTests
  fi
  # its own database (the backtest needs none of its data, but the app migrates one at start)
  if [ -z "${QUARKUS_DATASOURCE_JDBC_URL:-}" ]; then
    bench_db
  fi
  # the bench posts hundreds of backtests: the API rate limit is off on its own app
  QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$((PORT + 1000)) DOWNWATCH_DETECT_ENABLED=false DOWNWATCH_API_RATE_LIMIT_ENABLED=false \
  QUARKUS_DATASOURCE_JDBC_URL=${QUARKUS_DATASOURCE_JDBC_URL:-jdbc:postgresql://127.0.0.1:5432/downwatch_bench_detection} \
    java -jar target/quarkus-app/quarkus-run.jar > target/bench-detection-app.log 2>&1 &
  PID=$!
  trap 'kill $PID 2>/dev/null || true' EXIT
  URL=http://127.0.0.1:$PORT
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$((PORT + 1000))/q/health/ready" > /dev/null 2>&1 && break
    sleep 1
  done
fi
python3 -c 'import numpy' 2>/dev/null || pip install -q numpy || apt-get install -y -qq python3-numpy
echo "# $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(uname -sr), $(java -version 2>&1 | head -1)"
python3 bench/detection/bench.py --url "$URL" --services "${SERVICES:-60}" --trials "${TRIALS:-30}" $( [ -n "${SEED:-}" ] && echo "--seed $SEED" || echo "--seeds ${SEEDS:-1-9}" ) --noise "${NOISE:-crowd}"
# new services (under 3 days of history: the floor and a heavy-tailed test), then established ones
# (28 days, the weeks kept, as the live detector's cold replay: the weekly means and the pooled time-of-day
# profile; its warm-up takes about 13 minutes), each followed by the cost of saving and restoring the
# detectors' state, in memory and through PostgreSQL (a scratch table in the bench's database)
PGJAR=$(ls target/quarkus-app/lib/main/org.postgresql.postgresql-*.jar ~/.m2/repository/org/postgresql/postgresql/*/postgresql-*.jar 2>/dev/null | head -1)
if [ -z "${STATE_DB:-}" ]; then
  bench_db
  STATE_DB=jdbc:postgresql://127.0.0.1:5432/downwatch_bench_detection?user=postgres
fi
java -Xmx2g -cp "target/classes:$PGJAR" bench/detection/Cost.java 10000 1 "$STATE_DB"
java -Xmx3g -cp "target/classes:$PGJAR" bench/detection/Cost.java 10000 28 "$STATE_DB"
