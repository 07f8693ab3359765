#!/usr/bin/env bash
# The attack kit of issue 22 against a packaged instance: what is refused, what is counted, how many 5xx.
# Usage: bench/abuse/run.sh            (starts target/quarkus-app on $PORT with $DB, stops it at the end)
#        DOWNWATCH_URL=http://host:port bench/abuse/run.sh   (an instance already running)
# The instance must trust this machine as a proxy (the default: loopback) so that X-Forwarded-For
# simulates many clients.
set -u
PORT=${PORT:-8171}
DB=${DB:-jdbc:postgresql://127.0.0.1:5432/downwatch_abuse}
SLUG=${SLUG:-la-poste}
cd "$(dirname "$0")/../.."
PID=
if [ -z "${DOWNWATCH_URL:-}" ]; then
  [ -f target/quarkus-app/quarkus-run.jar ] || { echo "build first: ./mvnw package -DskipTests"; exit 1; }
  QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=${MANAGEMENT_PORT:-$((PORT + 1000))} QUARKUS_DATASOURCE_JDBC_URL=$DB \
    java -jar target/quarkus-app/quarkus-run.jar >/tmp/abuse-bench-app.log 2>&1 &
  PID=$!
  trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null' EXIT
  DOWNWATCH_URL=http://127.0.0.1:$PORT
  for _ in $(seq 60); do curl -fs "$DOWNWATCH_URL/" -o /dev/null && break; sleep 1; done
fi
U=$DOWNWATCH_URL
API="$U/api/v1/services/$SLUG/reports"
TALLY=$(mktemp)   # one line per request ("5xx" or "ok"): code() runs in $(...) subshells
# code METHOD URL [curl args...]: prints the status code, counts 5xx and "no answer" (000)
code() {
  local m=$1 url=$2; shift 2
  local c
  c=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -X "$m" "$@" "$url")
  if [ "${c:0:1}" = 5 ] && [ "$c" != 503 ] || [ "$c" = 000 ]; then echo 5xx >>"$TALLY"; echo "  5xx/none: $c $m $url $*" >&2
  else echo ok >>"$TALLY"; fi
  echo "$c"
}
json='{"problem":"parcel-tracking"}'
run=$(date +%s%N | tail -c 6)

echo "== Cross-site"
echo "beacon (no Content-Type, Origin evil, cross-site): $(code POST "$API" -H 'Origin: https://evil.example' -H 'Sec-Fetch-Site: cross-site' --data-binary "$json" -H 'Content-Type:')"
echo "text/plain beacon:                                 $(code POST "$API" -H 'Content-Type: text/plain' --data-binary "$json")"
echo "JSON fetch from evil.example:                      $(code POST "$API" -H 'Content-Type: application/json' -H 'Origin: https://evil.example' --data-binary "$json")"
echo "JSON fetch, Sec-Fetch-Site: same-site:             $(code POST "$API" -H 'Content-Type: application/json' -H 'Sec-Fetch-Site: same-site' --data-binary "$json")"
echo "health and metrics on the public port (404: they are on the management port): $(code GET "$U/q/health/ready") $(code GET "$U/q/metrics")"
echo "framing allowed? CSP: $(curl -sI "$U/" | grep -i '^content-security-policy' | grep -o "frame-ancestors [^;]*")"

count() { # label [slug], then lines "address|user-agent" on stdin: how many counted (201)
  local n=0 all=0 c url="$U/api/v1/services/${2:-$SLUG}/reports"
  while IFS='|' read -r a ua; do
    c=$(code POST "$url" -H 'Content-Type: application/json' -H "X-Forwarded-For: $a" -H "User-Agent: $ua" --data-binary "$json")
    all=$((all + 1)); [ "$c" = 201 ] && n=$((n + 1))
  done
  echo "$1: $n of $all counted"
}
status() { # slug: "level=... networks=... observed=..." from the API
  curl -s "$U/api/v1/services/$1" | python3 -c 'import json,sys; s=json.load(sys.stdin)["status"]; print("level=%s networks=%s observed=%s" % (s["level"], s.get("networks"), s["observed"]))'
}
echo "== Sybils (each on a service of its own, without history: 20 reports in 15 minutes are a problem)"
# wide cap: 10 counted per /24 or /48 per service per 30 min; a level needs 5 distinct /24 or /48 in the hour
b=$((RANDOM % 200 + 20))
S48=${SYBIL48_SLUG:-colissimo}; S24=${SYBIL24_SLUG:-chronopost}; CROWD=${CROWD_SLUG:-mondial-relay}
for i in $(seq 25); do printf '2001:db8:%x:%x::1|ua-%s\n' $b $i $run; done | count "25 reports from one /48 (25 /64s) on $S48" "$S48"
for ua in a b c; do for i in $(seq 8); do echo "198.51.$b.$i|ua-$ua-$run"; done; done | count "24 reports from one /24, 3 User-Agents, on $S24" "$S24"
for i in $(seq 25); do echo "203.$((i + 10)).$b.7|crowd-$run"; done | count "25 people on 25 networks on $CROWD" "$CROWD"
# the detector evaluates each finished minute at second 5: wait for the minute of the last report
sent=$(( $(date +%s) / 60 ))
while [ $(( ($(date +%s) - 10) / 60 )) -le "$sent" ]; do sleep 1; done
for _ in $(seq 30); do status "$CROWD" | grep -q 'level=problem' && break; sleep 2; done
echo "one /48:             $(status "$S48")   (goal: none)"
echo "one /24, 3 UAs:      $(status "$S24")   (goal: none)"
echo "25 on 25 networks:   $(status "$CROWD")   (goal: problem)"

echo "== Junk X-Forwarded-For (each should be the proxy itself, i.e. one person)"
for j in not-an-ip-1 not-an-ip-2 'evil.example' '1.2.3.4.5' '999.1.1.1' ''; do echo "$j|junk-$run"; done | count "6 junk entries"

echo "== 6 heavy backtests in parallel while reports are timed"
csv=$(mktemp); python3 - "$csv" <<'PY'
import sys, datetime
t = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
with open(sys.argv[1], "w") as f:
    f.write("timestamp,count\n")
    for i in range(200000):
        f.write((t + datetime.timedelta(minutes=5 * i)).strftime("%Y-%m-%dT%H:%M:%SZ") + ",%d\n" % (i % 7))
PY
BT=()
for i in $(seq 6); do curl -s -o /dev/null -w 'backtest %{http_code} %{time_total}s\n' -H 'Content-Type: text/csv' --data-binary @"$csv" "$U/api/v1/backtest" & BT+=($!); done
sleep 0.5
for i in $(seq 10); do
  curl -s -o /dev/null -w 'report %{http_code} %{time_total}s\n' -H 'Content-Type: application/json' -H "X-Forwarded-For: 192.0.2.$i" -H "User-Agent: timed-$run" --data-binary "$json" "$API"
done
wait "${BT[@]}"; rm -f "$csv"

echo "== Malformed inputs on every public endpoint"
# forms over the parser's old limits: 1,100 fields, 17 KB (sent with a length, then chunked)
MANY=$(mktemp); BIG=$(mktemp)
python3 -c "print('&'.join('f%d=1' % i for i in range(1100)), end='')" >"$MANY"
python3 -c "print('problem=' + 'a' * 17000, end='')" >"$BIG"
declare -a C=(
 "POST|$API|-H|Content-Type: application/json|--data-binary|{"
 "POST|$API|-H|Content-Type: application/json|--data-binary|{\"problem\":\"parcel-tracking\"} trailing"
 "POST|$API|-H|Content-Type: application/json|--data-binary|{\"problem\":\"a\",\"problem\":\"b\"}"
 "POST|$API|-H|Content-Type: application/json|--data-binary|[]"
 "POST|$API|-H|Content-Type: application/json|--data-binary|null"
 "POST|$API|-H|Content-Type: application/json|--data-binary|{\"problem\":\"\\ud800\"}"
 "POST|$API|-H|Content-Type: application/json|--data-binary|{\"problem\":\"parcel-tracking\",\"city\":\"\\u202eevil\"}"
 "POST|$API|-H|Content-Type: application/json|--data-binary|{\"problem\":\"parcel-tracking\",\"city\":\"a\\u0000b\"}"
 "POST|$API|-H|Content-Type: application/json|--data-binary|{\"problem\":1}"
 "POST|$API|-H|Content-Type: application/json; charset=utf-16|--data-binary|{\"problem\":\"parcel-tracking\"}"
 "POST|$API|-H|Content-Type: application/json|--data-binary|{\"problem\":\"parcel-tracking\",\"country\":\"ZZ\"}"
 "POST|$API|-H|Content-Type: application/json|--data-binary|{\"problem\":\"parcel-tracking\",\"city\":\"$(printf 'x%.0s' $(seq 200))\"}"
 "POST|$U/api/v1/services/nope/reports|-H|Content-Type: application/json|--data-binary|$json"
 "POST|$U/api/v1/services/%00/reports|-H|Content-Type: application/json|--data-binary|$json"
 "GET|$API/1"
 "GET|$API/-1"
 "GET|$API/99999999999999999999"
 "GET|$U/api/v1/incidents?from=-4714-11-24T00:00:00Z"
 "GET|$U/api/v1/incidents?from=-999999999-01-01T00:00:00Z"
 "GET|$U/api/v1/incidents?to=+999999999-12-31T23:59:59Z"
 "GET|$U/api/v1/incidents?from=yesterday"
 "GET|$U/api/v1/incidents?page=0"
 "GET|$U/api/v1/incidents?page=99999999999"
 "GET|$U/api/v1/incidents?size=100000"
 "GET|$U/api/v1/services/$SLUG/series?from=-999999999-01-01T00:00:00Z&to=-999999999-01-02T00:00:00Z"
 "GET|$U/api/v1/services/$SLUG/series?bucket=PT7M"
 "GET|$U/api/v1/services/$SLUG/series?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z"
 "GET|$U/api/v1/services/$SLUG/problems?from=-999999999-01-01T00:00:00Z"
 "GET|$U/api/v1/services?q=%00"
 "GET|$U/api/v1/services?page=-1"
 "GET|$U/api/v1/categories|-H|X-Api-Key: $(printf 'k%.0s' $(seq 3000))"
 "GET|$U/api/v1/categories|-H|X-Api-Key: dw_notavalidkey"
 "GET|$U/search?q=%3Cscript%3E"
 "GET|$U/search?q=%zz"
 "GET|$U/search?q=$(printf 'a%.0s' $(seq 5000))"
 "GET|$U/%2Fevil.example"
 "GET|$U/%5Cevil.example"
 "GET|$U/services/%00"
 "GET|$U/services/$SLUG/chart.svg?range=forever"
 "GET|$U/services/$SLUG/chart.svg?size=%00"
 "GET|$U/services/$SLUG?lang=xx"
 "GET|$U/|-H|Accept-Language: $(printf 'fr,%.0s' $(seq 500))"
 "GET|$U/|-H|X-Huge: $(printf 'h%.0s' $(seq 9000))"
 "POST|$U/api/v1/backtest|-H|Content-Type: text/csv|--data-binary|timestamp,count\n-999999999-01-01T00:00:00Z,1"
 "POST|$U/api/v1/backtest|-H|Content-Type: text/csv|--data-binary|timestamp,count\n2020-01-01T00:00:00Z,1\n2020-01-01T00:00:00Z,1"
 "POST|$U/api/v1/backtest|-H|Content-Type: text/csv|--data-binary|garbage"
 "POST|$U/api/v1/backtest?bucket=PT0M|-H|Content-Type: text/csv|--data-binary|timestamp,count"
 "POST|$U/services/$SLUG/reports|-H|Content-Type: application/x-www-form-urlencoded|--data-binary|problem=%E0%A4%A"
 "POST|$U/services/$SLUG/reports|-H|Content-Type: application/x-www-form-urlencoded|--data-binary|a=%zz&problem=x"
 "POST|$U/services/$SLUG/reports|-H|Origin: https://evil.example|-H|Content-Type: application/x-www-form-urlencoded|--data-binary|problem=parcel-tracking"
 "POST|$U/services/$SLUG/reports|-H|Content-Type: application/x-www-form-urlencoded|--data-binary|problem=parcel-tracking&a=%zz"
 "POST|$U/services/$SLUG/reports|-H|Content-Type: application/x-www-form-urlencoded|--data-binary|problem=%"
 "POST|$U/services/$SLUG/reports|-H|Content-Type: application/x-www-form-urlencoded|--data-binary|problem=%C3%28"
 "POST|$U/services/$SLUG/reports|-H|Content-Type: application/x-www-form-urlencoded|--data-binary|%zz=1&problem=parcel-tracking"
 "POST|$U/services/$SLUG/reports|-H|Content-Type: application/x-www-form-urlencoded|--data-binary|problem=%00&city=%ff%fe"
 "POST|$U/services/$SLUG/reports|-H|Content-Type: application/x-www-form-urlencoded|--data-binary|&&&==&="
 "POST|$U/services/$SLUG/reports|-H|Content-Type: application/x-www-form-urlencoded|--data-binary|@/dev/null"
 "POST|$U/services/$SLUG/reports|-H|Content-Type: application/x-www-form-urlencoded|--data-binary|@$MANY"
 "POST|$U/services/$SLUG/reports|-H|Content-Type: application/x-www-form-urlencoded|--data-binary|@$BIG"
 "POST|$U/services/$SLUG/reports|-H|Content-Type: application/x-www-form-urlencoded|-H|Transfer-Encoding: chunked|--data-binary|@$BIG"
 "POST|$U/services/$SLUG/reports|-H|Content-Type: application/x-www-form-urlencoded; charset=utf-16|--data-binary|problem=parcel-tracking"
 "POST|$U/services/$SLUG/reports|-H|Content-Type: multipart/form-data; boundary=x|--data-binary|--x--"
 "POST|$API|-H|Content-Type: application/x-www-form-urlencoded|--data-binary|problem=%E0%A4%A"
)
declare -A BY=()
for entry in "${C[@]}"; do
  IFS='|' read -r -a parts <<<"$entry"
  c=$(code "${parts[0]}" "${parts[1]}" "${parts[@]:2}")
  [ "${parts[1]}" = "$U/services/$SLUG/reports" ] && printf '  form %-60s %s\n' "$(printf '%s ' "${parts[@]:2}" | tail -c 60)" "$c"
  BY[$c]=$(( ${BY[$c]:-0} + 1 ))
done
echo "${#C[@]} malformed inputs, answers by status:"; for k in "${!BY[@]}"; do echo "  $k: ${BY[$k]}"; done
echo "== $(wc -l <"$TALLY") requests, $(grep -c 5xx "$TALLY") answered 5xx (other than 503) or not at all (goal: 0)"
rm -f "$TALLY" "$MANY" "$BIG"
