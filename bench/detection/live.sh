#!/usr/bin/env bash
# Live detection at scale: the packaged app's live detector on 10,000 services, database included. Where
# Cost.java times the detector's maths alone, this times whole evaluations as the app runs them every
# minute: the counts of the minute read from report_minute, every detector stepped, incidents written, the
# 10,000 service_status rows upserted, committed (the app's downwatch.detect.evaluation timer).
#   bench/detection/live.sh     (SKIP_PACKAGE=1 reuses target/quarkus-app; SERVICES=10000 HISTORY_HOURS=3 MINUTES=10 OUTAGE_AFTER=5)
# A fresh database downwatch_bench_live gets SERVICES services (the catalog's, then generated ones) and
# their per-minute counts (live_data.py: 0.05–20 reports a minute each, 50 outages ×20 starting OUTAGE_AFTER
# minutes after the data was generated, within the measured minutes once the app has replayed the history), from HISTORY_HOURS before the start to the end of the run. The app replays that
# history (DOWNWATCH_DETECT_REPLAY), then evaluates each minute as it ends; the script reads the timer from
# /q/metrics every 2 s and prints each evaluation's duration. Needs python3 with numpy, and a JDK 17.
set -euo pipefail
cd "$(dirname "$0")/../.."
PGHOST=${PGHOST:-127.0.0.1}; PGPORT=${PGPORT:-5432}; PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER
DB=downwatch_bench_live
PORT=${PORT:-8083}
SERVICES=${SERVICES:-10000}
HISTORY_HOURS=${HISTORY_HOURS:-3}
MINUTES=${MINUTES:-10}
OUTAGE_AFTER=${OUTAGE_AFTER:-5}
OUT=target/bench-live
mkdir -p "$OUT"
URL=http://127.0.0.1:$PORT
MANAGEMENT_URL=http://127.0.0.1:$((PORT + 1000))  # health and metrics: the management interface
APP=

if [ "${SKIP_PACKAGE:-0}" != 1 ] || [ ! -f target/quarkus-app/quarkus-run.jar ]; then
  ./mvnw -B -q package -DskipTests
fi
python3 -c 'import numpy' 2>/dev/null || pip install -q numpy || apt-get install -y -qq python3-numpy

start_app() { # $1: the log file; the rest: environment settings
  local log=$1; shift
  env "$@" QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$((PORT + 1000)) QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB" \
    java ${JAVA_OPTS:--Xmx2g} -jar target/quarkus-app/quarkus-run.jar > "$log" 2>&1 &
  APP=$!
  for _ in $(seq 1 240); do
    curl -fs "$MANAGEMENT_URL/q/health/ready" > /dev/null 2>&1 && return 0
    kill -0 $APP 2>/dev/null || { echo "the app stopped:"; tail -30 "$log"; exit 1; }
    sleep 0.5
  done
  echo "the app did not get ready"; exit 1
}
stop_app() {
  [ -n "$APP" ] && kill $APP 2>/dev/null && wait $APP 2>/dev/null || true
  APP=
}
trap stop_app EXIT

echo "== Fresh database $DB, migrated by the app (detection off)"
psql -qX -d postgres -c "drop database if exists $DB with (force)" -c "create database $DB"
start_app "$OUT/migrate.log" DOWNWATCH_DETECT_ENABLED=false
stop_app

echo "== $SERVICES services and $HISTORY_HOURS hours of per-minute counts"
psql -qX -d "$DB" -v ON_ERROR_STOP=1 <<SQL
insert into service (slug, name, category)
select 'bench-' || g, 'Bench service ' || g, c.slug
from generate_series(1, $SERVICES - (select count(*) from service)) g
join (select slug, row_number() over (order by position, slug) - 1 as i from category) c
  on c.i = g % (select count(*) from category);
SQL
now=$(( $(date +%s) / 60 ))
from=$(( now - HISTORY_HOURS * 60 ))
until=$(( now + MINUTES + 10 ))
t0=$(date +%s)
psql -qXAt -d "$DB" -F, -c "select service_id, problem_type_id from service_problem_types order by service_id, position" \
  | python3 bench/detection/live_data.py $from $until $(( now + OUTAGE_AFTER )) \
  | psql -qX -d "$DB" -c "\\copy report_minute (service_id, problem_type_id, minute, count) from stdin with (format csv)"
psql -qX -d "$DB" -c "analyze report_minute"
psql -qXAt -d "$DB" -F' ' -c "select 'rows:', count(*), 'reports:', sum(count), 'services:', count(distinct service_id) from report_minute" 
echo "(generated and copied in $(( $(date +%s) - t0 )) s)"

echo "== The app, live detection on, replaying the $HISTORY_HOURS hours"
t0=$(date +%s)
start_app "$OUT/app.log" DOWNWATCH_DETECT_REPLAY=PT${HISTORY_HOURS}H
echo "ready in $(( $(date +%s) - t0 )) s; the outages start at $(date -u -d @$(( (now + OUTAGE_AFTER) * 60 )) +%H:%M)"
echo "# $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(uname -sr), $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$MANAGEMENT_URL" "$MINUTES" <<'PY' | tee "$OUT/evaluations.txt"
import statistics, sys, time, urllib.request
url, minutes = sys.argv[1], int(sys.argv[2])
def timer():
    text = urllib.request.urlopen(url + "/q/metrics", timeout=10).read().decode()
    vals = {}
    for line in text.splitlines():
        if line.startswith("downwatch_detect_evaluation_seconds_count") or line.startswith("downwatch_detect_evaluation_seconds_sum"):
            name, value = line.rsplit(" ", 1)
            vals[name.split("{")[0].rsplit("_", 1)[1]] = float(value)
    return vals.get("count", 0.0), vals.get("sum", 0.0)
count, total = timer()
while count == 0:  # the replay of the history runs beside the start: wait for it
    time.sleep(1)
    count, total = timer()
durations = []
deadline = time.time() + 60 * (minutes + 1) + 30
while time.time() < deadline and len(durations) < minutes:
    time.sleep(2)
    c, s = timer()
    if c > count:
        durations.append((s - total) / (c - count) * 1000)
        print(f"{time.strftime('%H:%M:%S', time.gmtime())} evaluation {len(durations)}: {durations[-1]:.0f} ms")
        count, total = c, s
if durations:
    print(f"evaluations: {len(durations)}, median {statistics.median(durations):.0f} ms, max {max(durations):.0f} ms")
PY
echo "== What the minutes wrote"
psql -qXAt -d "$DB" -F' ' -c "select 'service_status rows:', count(*), 'evaluated at the last minute:', count(*) filter (where evaluated_at = (select max(evaluated_at) from service_status)), 'levels problem/possible:', count(*) filter (where level = 'problem'), count(*) filter (where level = 'possible') from service_status"
psql -qXAt -d "$DB" -F' ' -c "select 'incidents:', count(*), 'open:', count(*) filter (where ended_at is null), 'started since the outages:', count(*) filter (where started_at >= to_timestamp($(( (now + OUTAGE_AFTER) * 60 )))) from incident"
echo "== One minute's count query (EXPLAIN ANALYZE)"
psql -qXAt -d "$DB" -c "explain (analyze, buffers, costs off) select (extract(epoch from minute) / 60)::bigint, service_id, sum(count)::int from report_minute where minute >= to_timestamp($(( (now + OUTAGE_AFTER) * 60 ))) and minute < to_timestamp($(( (now + OUTAGE_AFTER + 1) * 60 ))) group by 1, 2 order by 1" | grep -E "^GroupAggregate|Scan on|Execution Time"
echo "== The app's log"
grep -E "Detection:" "$OUT/app.log" | head -5
