#!/usr/bin/env bash
# Faults bench: two packaged instances behind a local nginx (round robin), one PostgreSQL, one Redis,
# under a report flood (wrk), through five faults:
#   1. the flood through both (same person through both counted once, the limit across both, one
#      evaluation of each minute);  2. kill -9 of the evaluating instance;  3. PostgreSQL restarted;
#   4. rolling restart of both instances;  5. Redis stopped and started.
# For each: reports answered, 201s, new rows, lost (201s without their row), 5xx, the slowest answer,
# and the time to recover. Every fault must lose 0 acknowledged reports.
#   bench/faults/run.sh   (SKIP_BUILD=1 to reuse target/quarkus-app; FLOOD=40 seconds per scenario; CONNECTIONS=64;
#                          SCENARIOS="1 2 3 4 5"; ports PORT_A=8191 PORT_B=8192 NGINX_PORT=8190 REDIS_PORT=6391)
# Scenario 3 restarts the local PostgreSQL cluster (pg_ctlcluster): run it on a machine of your own.
# Redis is a redis-server of this script's own (REDIS_PORT), so that stopping it disturbs nobody.
set -euo pipefail
cd "$(dirname "$0")/../.."

PGHOST=${PGHOST:-127.0.0.1}; PGPORT=${PGPORT:-5432}; PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER
DB=${BENCH_DB:-downwatch_cluster_faults}
PORT_A=${PORT_A:-8191}; PORT_B=${PORT_B:-8192}; NGINX_PORT=${NGINX_PORT:-8190}; REDIS_PORT=${REDIS_PORT:-6391}
FLOOD=${FLOOD:-40}; CONNECTIONS=${CONNECTIONS:-64}; THREADS=${THREADS:-2}
SCENARIOS=${SCENARIOS:-1 2 3 4 5}
PG_VERSION=${PG_VERSION:-$(ls /etc/postgresql | sort -n | tail -n 1)}
REPORT_TIMEOUT=${DOWNWATCH_REPORT_TIMEOUT:-PT10S}
OUT=$PWD/target/bench-faults
mkdir -p "$OUT"
: >"$OUT/summary.txt"

command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
command -v nginx >/dev/null || apt-get install -y -qq nginx-light >/dev/null
command -v redis-server >/dev/null || apt-get install -y -qq redis-server >/dev/null

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "== Build"
  ./mvnw -B -q package -DskipTests
fi

declare -A PID PORT=([a]=$PORT_A [b]=$PORT_B)
REDIS=""; NGINX=""; PROBE=""
cleanup() {
  for p in "${PID[@]}" $REDIS $NGINX $PROBE; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

now_ms() { date +%s%3N; }
log() { echo "[$(date -u +%H:%M:%S)] $*"; }

start_redis() {
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no >>"$OUT/redis.log" 2>&1 &
  REDIS=$!
  until redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; do sleep 0.1; done
}

start() { # start NAME: one instance of the packaged jar, waits until it is ready
  local n=$1
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB" QUARKUS_HTTP_PORT=${PORT[$n]} QUARKUS_MANAGEMENT_PORT=$((PORT[$n] + 1000)) \
    QUARKUS_REDIS_HOSTS="redis://127.0.0.1:$REDIS_PORT" DOWNWATCH_REPORT_TIMEOUT=$REPORT_TIMEOUT \
    java ${JAVA_OPTS:--Xmx384m} -jar target/quarkus-app/quarkus-run.jar >>"$OUT/$n.log" 2>&1 &
  PID[$n]=$!
  for _ in $(seq 1 240); do
    curl -sf "http://127.0.0.1:$((PORT[$n] + 1000))/q/health/ready" >/dev/null && return 0
    kill -0 "${PID[$n]}" 2>/dev/null || { echo "instance $n stopped:"; tail -30 "$OUT/$n.log"; exit 1; }
    sleep 0.25
  done
  echo "instance $n not ready"; exit 1
}

stop() { kill "${PID[$1]}" 2>/dev/null || true; wait "${PID[$1]}" 2>/dev/null || true; }

evaluations() { # evaluations counted by instance NAME since it started (its timer), or "-" when it is down
  curl -sf "http://127.0.0.1:$((PORT[$1] + 1000))/q/metrics" 2>/dev/null \
    | awk '/^downwatch_detect_evaluation_seconds_count/ {n += $NF} END {printf "%d", n}' || echo -
}
evaluated_until() { psql -qXAt -d "$DB" -c "select coalesce((select extract(epoch from value::timestamptz)::bigint / 60 from app_setting where key = 'detect.evaluated-until'), -1)"; }
counts() { psql -qXAt -d "$DB" -F' ' -c "select (select count(*) from report), (select coalesce(sum(count), 0) from report_minute)"; }
mode() { curl -s -m 5 "http://127.0.0.1:$((PORT[$1] + 1000))/q/health/ready" | grep -o '"mode" *: *"[a-z]*"' | grep -o '[a-z]*"$' | tr -d '"' || echo "?"; }

echo "== Fresh database $DB, Redis on :$REDIS_PORT, instances on :$PORT_A and :$PORT_B, nginx on :$NGINX_PORT"
psql -qX -d postgres -c "drop database if exists $DB with (force)" -c "create database $DB"
start_redis
start a
start b

# nginx: round robin over both; a refused connection (an instance down) is retried on the other one, a
# request already sent is not (a report is not idempotent). X-Forwarded-For is passed on with the
# simulated client first (the app trusts loopback); docker/nginx.conf overwrites it instead.
mkdir -p "$OUT/nginx"
nginx_conf() { # nginx_conf [DRAINED]: the instance DRAINED (a or b) gets no new requests
  local da="" db=""; [[ ${1:-} == a ]] && da=" down"; [[ ${1:-} == b ]] && db=" down"
  cat >"$OUT/nginx/nginx.conf" <<NGINX
worker_processes 1;
error_log $OUT/nginx/error.log warn;
pid $OUT/nginx/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $OUT/nginx/body;
  proxy_temp_path $OUT/nginx/proxy;
  upstream downwatch {
    server 127.0.0.1:$PORT_A max_fails=0$da;
    server 127.0.0.1:$PORT_B max_fails=0$db;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://downwatch;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_next_upstream error timeout;
      proxy_connect_timeout 1s;
      proxy_read_timeout 30s;
    }
  }
}
NGINX
}
nginx_reload() { nginx_conf "${1:-}"; nginx -p "$OUT/nginx" -c "$OUT/nginx/nginx.conf" -g 'user root;' -s reload; sleep 1; }
nginx_conf
nginx -p "$OUT/nginx" -c "$OUT/nginx/nginx.conf" -g 'daemon off; user root;' &
NGINX=$!
until curl -sf "http://127.0.0.1:$NGINX_PORT/favicon.svg" >/dev/null; do sleep 0.1; done
LB="http://127.0.0.1:$NGINX_PORT"

export TARGETS="$OUT/targets.lua"
{ echo "return {"
  psql -qXAt -d "$DB" -c "select '{\"' || s.slug || '\",\"' || p.slug || '\"},' from service_problem_types p join service s on s.id = p.service_id order by 1"
  echo "}"; } >"$TARGETS"

# the probe: one report every 0.2 s through nginx from a client of its own, "ms status seconds" per line
PROBE_FILE=$OUT/probe.txt
probe_start() { # probe_start KEY: the probe's clients are its own in each scenario (172.16+scenario.x.y)
  PROBE_FILE=$OUT/$1-probe.txt; : >"$PROBE_FILE"
  local net=$((16 + ${1:1:1}))
  ( i=0; while true; do
      i=$((i + 1))
      r=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -m 30 -H 'Content-Type: application/json' \
        -H "X-Forwarded-For: 172.$net.$((i / 250 % 250)).$((i % 250 + 1))" -H "User-Agent: probe/$i" \
        -d '{"problem":"parcel-tracking"}' "$LB/api/v1/services/la-poste/reports" || true)
      echo "$(now_ms) $r" >>"$PROBE_FILE"
      sleep 0.2
    done ) &
  PROBE=$!
}
probe_stop() { kill $PROBE 2>/dev/null || true; wait $PROBE 2>/dev/null || true; PROBE=""; }
# time from T0 (ms) to the first probe 201 after the last probe failure that follows T0, in seconds
recovered_after() {
  awk -v t0="$1" '$1 >= t0 {if ($2 != "201") {bad = 1; ok = 0} else if (bad && !ok) {ok = $1}} END {if (!bad) print "no failure"; else if (ok) printf "%.1f s", (ok - t0) / 1000; else print "not recovered"}' "$PROBE_FILE"
}

flood_start() { # flood_start NAME: wrk through nginx for FLOOD seconds (and a few more to collect the answers)
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$((FLOOD + 4))s" -T 30s --latency -s bench/faults/flood.lua "$LB" -- "$FLOOD" >"$OUT/$1-wrk.txt" 2>&1 &
  WRK=$!
}

# snapshot / report of one scenario: rows and per-minute counts against the 201s of wrk and of the probe
begin() { read -r R0 M0 <<<"$(counts)"; probe_start "$1"; }
finish() { # finish KEY LABEL RECOVERY (KEY as given to flood_start)
  local key=$1 name=$2 recovery=$3
  wait $WRK || true
  probe_stop
  sleep 3 # the last batches commit
  read -r R1 M1 <<<"$(counts)"
  local res created answered s5xx
  res=$(grep '^RESULT' "$OUT/$key-wrk.txt" || echo "RESULT created=0 dup=0 limited=0 unavailable=0 s5xx=0 other=0 errors=0 max_ms=0")
  val() { sed -nE "s/.* $1=([0-9]+).*/\1/p" <<<" ${res#RESULT}"; }
  local pc pa p5
  pc=$(awk '$2 == "201"' "$PROBE_FILE" | wc -l); pa=$(awk '$2 != "000"' "$PROBE_FILE" | wc -l)
  p5=$(awk '$2 ~ /^5/' "$PROBE_FILE" | wc -l)
  local pmax; pmax=$(awk '{if ($3 > m) m = $3} END {printf "%.1f", m}' "$PROBE_FILE")
  created=$(( $(val created) + pc ))
  answered=$(( $(val created) + $(val dup) + $(val limited) + $(val unavailable) + $(val s5xx) + $(val other) + pa ))
  s5xx=$(( $(val unavailable) + $(val s5xx) + p5 ))
  local rows=$((R1 - R0)) minutes=$((M1 - M0))
  local lost=$((created > rows ? created - rows : 0))
  local line
  line=$(printf "%-26s answered %7d  201s %7d  rows %7d  per-minute %7d  lost %d  5xx %5d (503 %d)  errors %s  slowest %s ms (probe %s s)  recovered %s" \
    "$name" "$answered" "$created" "$rows" "$minutes" "$lost" "$s5xx" "$(( $(val unavailable) + $(awk '$2 == "503"' "$PROBE_FILE" | wc -l) ))" \
    "$(val errors)" "$(val max_ms)" "$pmax" "$recovery")
  echo "$line" | tee -a "$OUT/summary.txt"
  [[ $lost == 0 && $rows == "$minutes" ]] || { echo "  LOST or MISMATCH in $name" | tee -a "$OUT/summary.txt"; FAILED=1; }
}
FAILED=0

# waits until second S of the minute (or a few seconds later, on a busy machine)
at_second() { local s; while s=$(date +%-S); (( s < $1 || s >= $1 + 10 )); do sleep 0.2; done; }
# the instance that evaluated the last minute: the one whose counter moved between second 1 and second 15
leader() {
  at_second 1; local a0 b0; a0=$(evaluations a); b0=$(evaluations b)
  at_second 15; if [[ $(evaluations a) != "$a0" ]]; then echo a; elif [[ $(evaluations b) != "$b0" ]]; then echo b; else echo "?"; fi
}

for s in $SCENARIOS; do case $s in
1)
  log "1. flood through both instances ($FLOOD s, wrk -c$CONNECTIONS)"
  # same person through both (round robin: two requests in a row go to both), then one client over the limit
  c1=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -H 'X-Forwarded-For: 192.0.2.1' -H 'User-Agent: same/1' -d '{"problem":"parcel-tracking"}' "$LB/api/v1/services/la-poste/reports")
  c2=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -H 'X-Forwarded-For: 192.0.2.1' -H 'User-Agent: same/1' -d '{"problem":"parcel-tracking"}' "$LB/api/v1/services/la-poste/reports")
  L0=$(now_ms); allowed=0; for i in $(seq 1 60); do
    c=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -H 'X-Forwarded-For: 192.0.2.2' -H "User-Agent: limit/$i" -d '{"problem":"parcel-tracking"}' "$LB/api/v1/services/la-poste/reports")
    [[ $c != 429 ]] && allowed=$((allowed + 1))
  done
  L1=$(now_ms)
  echo "same person through both: $c1 then $c2 (201 then 200: counted once); one client, 60 reports in a row in $(( (L1 - L0) / 1000 )) s: $allowed accepted (limit 30 a minute across both, refilling: $(( 30 + (L1 - L0) / 2000 )) by then)" | tee -a "$OUT/summary.txt"
  at_second 8
  e0=$(evaluated_until); ea=$(evaluations a); eb=$(evaluations b)
  begin s1-flood; flood_start s1-flood; finish s1-flood "1 flood through both" "-"
  at_second 8 # the minute after the flood evaluated too
  e1=$(evaluated_until); da=$(( $(evaluations a) - ea )); db=$(( $(evaluations b) - eb ))
  dupes=$(psql -qXAt -d "$DB" -c "select count(*) from (select service_id from incident group by service_id having count(*) > 1) d")
  echo "evaluations: minutes $e0..$e1 ($((e1 - e0)) minutes), by a $da + by b $db = $((da + db)) (once each: $([[ $((da + db)) == $((e1 - e0)) ]] && echo yes || echo NO)); services with more than one incident: $dupes; incidents: $(psql -qXAt -d "$DB" -c 'select count(*) from incident')" | tee -a "$OUT/summary.txt"
  ;;
2)
  log "2. kill -9 of the evaluating instance during the flood"
  L=$(leader); [[ $L == "?" ]] && L=a; S=$([[ $L == a ]] && echo b || echo a)
  begin s2-kill; flood_start s2-kill
  sleep 10; T0=$(now_ms); killed_minute=$(evaluated_until)
  kill -9 "${PID[$L]}"; wait "${PID[$L]}" 2>/dev/null || true
  log "   killed $L (it evaluated the last minute); $S goes on"
  s0=$(evaluations $S)
  for _ in $(seq 1 100); do (( $(evaluated_until) > killed_minute )) && break; sleep 1; done
  takeover=$(( ($(now_ms) - T0) / 1000 ))
  finish s2-kill "2 kill -9 the leader" "$(recovered_after "$T0") (reports); detection by $S after ${takeover} s: evaluations +$(( $(evaluations $S) - s0 )), evaluated until minute $(evaluated_until) (killed at $killed_minute)"
  start "$L"
  ;;
3)
  log "3. PostgreSQL restarted during the flood"
  begin s3-postgres; flood_start s3-postgres
  sleep 10; T0=$(now_ms)
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main restart
  until pg_isready -q -h "$PGHOST" -p "$PGPORT"; do sleep 0.1; done
  TB=$(now_ms)
  log "   PostgreSQL back after $(( (TB - T0) / 1000 )).$(( (TB - T0) % 1000 / 100 )) s"
  finish s3-postgres "3 PostgreSQL restarted" "$(recovered_after "$TB") after PostgreSQL was back ($(( (TB - T0) ))ms down)"
  ;;
4)
  log "4. rolling restart of both instances during the flood"
  begin s4-rolling; flood_start s4-rolling
  sleep 5; T0=$(now_ms)
  # each in turn: out of nginx (drained), stopped, started, back in once ready
  for n in a b; do nginx_reload $n; stop $n; start $n; nginx_reload; log "   $n restarted"; done
  finish s4-rolling "4 rolling restart" "$(recovered_after "$T0")"
  ;;
5)
  log "5. Redis stopped and started during the flood"
  begin s5-redis; flood_start s5-redis
  sleep 8; kill -9 $REDIS; wait $REDIS 2>/dev/null || true; T0=$(now_ms)
  sleep 4; m1="$(mode a)/$(mode b)"
  sleep 8; start_redis; TR=$(now_ms)
  for _ in $(seq 1 40); do [[ "$(mode a)/$(mode b)" == shared/shared ]] && break; sleep 0.5; done
  back=$(( ($(now_ms) - TR) ))
  finish s5-redis "5 Redis stopped, started" "modes while down $m1, shared again $back ms after Redis returned"
  grep -h "Rate limits" "$OUT/a.log" "$OUT/b.log" | tail -4 | sed 's/^/  /' | tee -a "$OUT/summary.txt"
  ;;
esac; done

echo; echo "== Summary ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, report timeout $REPORT_TIMEOUT)"; cat "$OUT/summary.txt"
exit $FAILED
