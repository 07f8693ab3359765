#!/usr/bin/env bash
# Webhook delivery lag and the open-data export, on the packaged app:
#  - SERVICES services (10,000) with one day of counts (one report_minute row per service and quarter-hour);
#  - the export of that day (CSV, then gzip): time and size;
#  - SUBSCRIPTIONS subscriptions to everything on a local receiver (bench/notify/receiver.py), then one
#    incident alone, then INCIDENTS incidents opened in one transaction (an outage of many services):
#    the lag from the event's outbox row to its arrival at the receiver.
#   bench/notify/run.sh   (SKIP_BUILD=1 reuses target/quarkus-app; the database is dropped and recreated)
set -euo pipefail
cd "$(dirname "$0")/../.."

PGHOST=${PGHOST:-127.0.0.1}; PGPORT=${PGPORT:-5432}; PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER
DB=${BENCH_DB:-downwatch_bench_notify}
PORT=${PORT:-8095}
RECEIVER_PORT=${RECEIVER_PORT:-8180}
SERVICES=${SERVICES:-10000}
SUBSCRIPTIONS=${SUBSCRIPTIONS:-10}
INCIDENTS=${INCIDENTS:-200}
OUT=target/bench-notify
mkdir -p "$OUT"
rm -f "$OUT/received.jsonl"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  ./mvnw -B -q package -DskipTests
fi
psql -qX -d postgres -c "drop database if exists $DB with (force)" -c "create database $DB"

echo "== Start the app"
QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB" QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$((PORT + 1000)) \
  DOWNWATCH_API_RATE_LIMIT_ENABLED=false DOWNWATCH_WEBHOOKS_ALLOW_PRIVATE_TARGETS=true DOWNWATCH_DETECT_REPLAY=P2D \
  java ${JAVA_OPTS:--Xmx1g} -jar target/quarkus-app/quarkus-run.jar >"$OUT/app.log" 2>&1 &
APP=$!
python3 bench/notify/receiver.py "$RECEIVER_PORT" "$OUT/received.jsonl" &
RECEIVER=$!
trap 'kill $APP $RECEIVER 2>/dev/null || true; wait $APP $RECEIVER 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$((PORT + 1000))/q/health/ready" >/dev/null && break
  kill -0 $APP 2>/dev/null || { echo "the app stopped:"; tail -30 "$OUT/app.log"; exit 1; }
  sleep 1
done

echo "== $SERVICES services and one day of counts"
DAY=$(date -u -d yesterday +%F)
psql -qX -d "$DB" <<SQL
insert into service (slug, name, category)
select 'bench-' || lpad(n::text, 5, '0'), 'Bench ' || n, 'cloud' from generate_series(1, $SERVICES) n;
insert into report_minute (service_id, problem_type_id, minute, count)
select s.id, (select id from problem_type where slug = 'api'), m, 1 + (s.id + extract(epoch from m)::bigint / 900) % 7
from service s, generate_series('$DAY'::timestamptz, '$DAY'::timestamptz + interval '1 day' - interval '15 minutes',
     interval '15 minutes') m where s.slug like 'bench-%';
analyze report_minute;
SQL
echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
curl -s -o /dev/null "http://127.0.0.1:$PORT/api/v1/export/counts?date=$DAY" # warm up
for enc in identity gzip; do
  curl -s -H "Accept-Encoding: $enc" -o "$OUT/counts.$enc" \
    -w "export counts ($enc): %{time_total} s, %{size_download} bytes, first byte after %{time_starttransfer} s\n" \
    "http://127.0.0.1:$PORT/api/v1/export/counts?date=$DAY"
done
echo "rows: $(($(wc -l <"$OUT/counts.identity") - 1))"

echo "== Webhooks: $SUBSCRIPTIONS subscriptions to everything"
KEY="dw_bench_$(date +%s)"
psql -qX -d "$DB" -c "insert into api_key (name, key_hash, created_at) values ('bench', sha256('$KEY'::bytea), now())"
for i in $(seq 1 "$SUBSCRIPTIONS"); do
  curl -sf -H "X-Api-Key: $KEY" -H 'Content-Type: application/json' \
    -d "{\"url\": \"http://127.0.0.1:$RECEIVER_PORT/hook/$i\"}" "http://127.0.0.1:$PORT/api/v1/webhooks" >/dev/null
done
wait_for() { # deliveries expected
  for _ in $(seq 1 600); do
    [[ $(wc -l <"$OUT/received.jsonl") -ge $1 ]] && return 0
    sleep 0.5
  done
  echo "only $(wc -l <"$OUT/received.jsonl") of $1 deliveries arrived"
}
psql -qX -d "$DB" -c "insert into incident (service_id, started_at, detected_at, peak_at, peak_count, report_count)
  select id, now(), now(), now(), 10, 10 from service where slug = 'bench-00001'"
wait_for "$SUBSCRIPTIONS"
echo -n "one incident opened: "; python3 bench/notify/lag.py "$OUT/received.jsonl"
: >"$OUT/received.jsonl"
psql -qX -d "$DB" -c "insert into incident (service_id, started_at, detected_at, peak_at, peak_count, report_count)
  select id, now(), now(), now(), 10, 10 from service where slug like 'bench-%' and slug <> 'bench-00001'
  order by id limit $INCIDENTS"
wait_for $((SUBSCRIPTIONS * INCIDENTS))
echo -n "$INCIDENTS incidents opened at once: "; python3 bench/notify/lag.py "$OUT/received.jsonl"
