#!/usr/bin/env bash
# Ingest bench: the packaged app against a fresh database, wrk with many simulated clients for 30 s,
# then checks that the database holds exactly as many reports and per-minute counts as 201s answered,
# then pgbench's single-row INSERT rate (8 clients, 30 s) on the same PostgreSQL for comparison.
#   bench/ingest/run.sh            (SKIP_BUILD=1 to reuse target/quarkus-app; DURATION=30s WARMUP=30 CONNECTIONS=256 THREADS=2;
#                                   APP_DIR=<another quarkus-app> with SKIP_BUILD=1 for A/B runs of two builds)
set -euo pipefail
cd "$(dirname "$0")/../.."

PGHOST=${PGHOST:-127.0.0.1}; PGPORT=${PGPORT:-5432}; PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER
DB=${BENCH_DB:-downwatch_bench_ingest}
PORT=${PORT:-8081}
DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-256}
THREADS=${THREADS:-2}
APP_DIR=${APP_DIR:-target/quarkus-app}
OUT=target/bench-ingest
mkdir -p "$OUT"

# wrk and pgbench come from Debian
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
command -v pgbench >/dev/null || apt-get install -y -qq postgresql-client >/dev/null

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "== Build"
  ./mvnw -B -q package -DskipTests
fi

echo "== Fresh database $DB"
psql -qX -d postgres -c "drop database if exists $DB with (force)" -c "create database $DB"

echo "== Start the app on :$PORT"
QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB" QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$((PORT + 1000)) \
  java ${JAVA_OPTS:--Xmx1g} -jar "$APP_DIR/quarkus-run.jar" >"$OUT/app.log" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null || true; wait $APP 2>/dev/null || true' EXIT
for i in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$((PORT + 1000))/q/health/ready" >/dev/null && break
  kill -0 $APP 2>/dev/null || { echo "the app stopped:"; tail -30 "$OUT/app.log"; exit 1; }
  sleep 0.5
done

echo "== Targets: every (service, problem type) pair of the catalog"
export TARGETS="$OUT/targets.lua"
{ echo "return {"
  psql -qXAt -d "$DB" -F' ' -c "select '{\"' || s.slug || '\",\"' || p.slug || '\"},' from service_problem_types p join service s on s.id = p.service_id order by 1"
  echo "}"; } >"$TARGETS"

counts() {
  psql -qXAt -d "$DB" -F' ' -c "select (select count(*) from report), (select coalesce(sum(count), 0) from report_minute)"
}
# 201s the server sent (its own metric): wrk does not see the answers still in flight when it stops
served201() {
  curl -sf "http://127.0.0.1:$((PORT + 1000))/q/metrics" | awk '/^http_server_requests_seconds_count/ && /status="201"/ && /reports/ {n += $NF} END {printf "%d", n}'
}

# 30 s: with 10 s the JIT's C2 compiler still used a quarter of a core during the measured run
WARMUP=${WARMUP:-30}
echo "== Warm-up ($WARMUP s, not measured)"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$((WARMUP + 2))s" -s bench/ingest/report.lua "http://127.0.0.1:$PORT" -- "$WARMUP" >"$OUT/warmup.txt"
read -r R0 M0 <<<"$(counts)"
S0=$(served201)

# CPU time (user + system, clock ticks) of the app, of PostgreSQL's processes and of wrk, and the machine's idle time
ticks() { for p in "$@"; do awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null; done | awk '{s += $1} END {print s + 0}'; }
idle() { awk '/^cpu / {print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8}' /proc/stat; }
cpu_sample() { echo "$(ticks $APP) $(ticks $(pgrep -x postgres)) $(ticks $(pgrep -x wrk)) $(idle)"; }

SECONDS_OF_REPORTS=${DURATION%s}
echo "== Measured run: $SECONDS_OF_REPORTS s of reports, wrk -t$THREADS -c$CONNECTIONS --latency (load before: $(cut -d' ' -f1-3 /proc/loadavg))"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$((SECONDS_OF_REPORTS + 3))s" --latency -s bench/ingest/report.lua "http://127.0.0.1:$PORT" -- "$SECONDS_OF_REPORTS" | tee "$OUT/wrk.txt" &
WRK=$!
sleep 1; read -r A0 P0 W0 I0 T0 <<<"$(cpu_sample)"
sleep $((SECONDS_OF_REPORTS - 2)); read -r A1 P1 W1 I1 T1 <<<"$(cpu_sample)"
wait $WRK
HZ=$(getconf CLK_TCK); SPAN=$((SECONDS_OF_REPORTS - 2))
CPU=$(awk -v a=$((A1 - A0)) -v p=$((P1 - P0)) -v w=$((W1 - W0)) -v i=$((I1 - I0)) -v t=$((T1 - T0)) -v hz="$HZ" -v s="$SPAN" \
  'BEGIN {printf "app %.2f, PostgreSQL %.2f, wrk %.2f cores; machine idle %.0f %%", a / hz / s, p / hz / s, w / hz / s, 100 * i / t}')
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
sleep 2
read -r R1 M1 <<<"$(counts)"
S1=$(served201)
RESULT=$(grep '^RESULT' "$OUT/wrk.txt")
CREATED=$(sed -E 's/.*created=([0-9]+).*/\1/' <<<"$RESULT")
DUPS=$(sed -E 's/.*duplicates=([0-9]+).*/\1/' <<<"$RESULT")
OTHER=$(sed -E 's/.*other=([0-9]+).*/\1/' <<<"$RESULT")
SECS=$SECONDS_OF_REPORTS
RPS=$(awk -v c="$CREATED" -v d="$DUPS" -v o="$OTHER" -v s="$SECS" 'BEGIN {printf "%.0f", (c + d + o) / s}')
P50=$(sed -E 's/.*p50_us=([0-9]+).*/\1/' <<<"$RESULT"); P99=$(sed -E 's/.*p99_us=([0-9]+).*/\1/' <<<"$RESULT")
COUNTED_PER_S=$(awk -v c="$CREATED" -v s="$SECS" 'BEGIN {printf "%.0f", c / s}')

echo "== Check: database vs 201s"
SERVED=$((S1 - S0))
echo "201s seen by wrk: $CREATED; 201s sent by the app: $SERVED; new report rows: $((R1 - R0)); new sum(report_minute.count): $((M1 - M0))"
CHECK=ok
# exact: every 201 is one row in report and one count in report_minute, and there is nothing more
if [[ $((R1 - R0)) != "$CREATED" || $((M1 - M0)) != "$CREATED" || "$SERVED" != "$CREATED" ]]; then CHECK=MISMATCH; fi
echo "check: $CHECK"

echo "== pgbench: single-row INSERT, 8 clients, $DURATION"
kill $APP; wait $APP 2>/dev/null || true
pgbench -n -c 8 -j 2 -T "${DURATION%s}" -M prepared -f bench/ingest/insert.sql "$DB" | tee "$OUT/pgbench.txt"
TPS=$(awk '/^tps/ {print $3; exit}' "$OUT/pgbench.txt")
RATIO=$(awk -v a="$COUNTED_PER_S" -v b="$TPS" 'BEGIN {printf "%.2f", a / b}')

cat <<SUMMARY | tee "$OUT/summary.txt"

== Summary ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load before/after: see above / $LOAD_AFTER)
report requests/s:     $RPS  (answered 201, 200 or other, over the ${SECS} s of reports)
counted reports/s:     $COUNTED_PER_S  (201s seen by wrk: $CREATED in ${SECS}s; $RESULT)
CPU while measuring:   $CPU
latency p50 / p99:     $(awk -v x="$P50" 'BEGIN {printf "%.1f", x / 1000}') ms / $(awk -v x="$P99" 'BEGIN {printf "%.1f", x / 1000}') ms
database check:        $CHECK (201s sent $SERVED, seen by wrk $CREATED; reports +$((R1 - R0)), report_minute +$((M1 - M0)))
pgbench insert tps:    $TPS
counted/s ÷ pgbench:   $RATIO
SUMMARY
[[ $CHECK == ok ]]
