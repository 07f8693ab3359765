#!/usr/bin/env bash
# The catalog as managed data: two instances of the packaged app over one database.
#  1. the import of 10,000 services (CSV) through the admin API, then the same file again (a no-op);
#  2. how long a change made through instance A takes to be served by instance B (ROUNDS renames).
#   bench/catalog/run.sh      (SKIP_BUILD=1 reuses target/quarkus-app; SERVICES=10000 ROUNDS=20)
set -euo pipefail
cd "$(dirname "$0")/../.."

PGHOST=${PGHOST:-127.0.0.1}; PGPORT=${PGPORT:-5432}; PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER
DB=${BENCH_DB:-downwatch_bench_catalog}
PORT_A=${PORT_A:-8096}
PORT_B=${PORT_B:-8097}
SERVICES=${SERVICES:-10000}
ROUNDS=${ROUNDS:-20}
TOKEN=bench-admin-token
OUT=target/bench-catalog
mkdir -p "$OUT"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  ./mvnw -B -q package -DskipTests
fi
psql -qX -d postgres -c "drop database if exists $DB with (force)" -c "create database $DB"

start() { # port log
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB" QUARKUS_HTTP_PORT=$1 QUARKUS_MANAGEMENT_PORT=$(($1 + 1000)) \
    DOWNWATCH_API_ADMIN_TOKEN=$TOKEN DOWNWATCH_API_RATE_LIMIT_ENABLED=false DOWNWATCH_DETECT_ENABLED=false \
    java ${JAVA_OPTS:--Xmx512m} -jar target/quarkus-app/quarkus-run.jar >"$2" 2>&1 &
  echo $!
}
ready() { # port pid log
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$(($1 + 1000))/q/health/ready" >/dev/null && return 0
    kill -0 "$2" 2>/dev/null || { echo "the app stopped:"; tail -30 "$3"; exit 1; }
    sleep 1
  done
  echo "not ready: $3"; exit 1
}
A=$(start $PORT_A "$OUT/a.log")
ready $PORT_A "$A" "$OUT/a.log" # A migrates the database first
B=$(start $PORT_B "$OUT/b.log")
trap 'kill $A $B 2>/dev/null || true; wait $A $B 2>/dev/null || true' EXIT
ready $PORT_B "$B" "$OUT/b.log"

python3 - "$SERVICES" >"$OUT/catalog.csv" <<'PY'
import sys
n = int(sys.argv[1])
print("kind,slug,name,name_fr,category,country,website_url,aliases,problem_types,position,hidden")
for i in range(n):
    cat = ["bank", "telecom", "postal", "streaming"][i % 4]
    print(f"service,bench-{i},Bench Service {i},,{cat},FR,https://s{i}.example,Bench Alias {i},{'login' if i % 3 == 0 else ''},,false")
PY
echo "== Import of $SERVICES services (CSV, $(wc -c <"$OUT/catalog.csv") bytes) through A"
for run in first again; do
  curl -s -o "$OUT/import-$run.json" -w "$run: %{http_code} in %{time_total} s\n" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: text/csv; charset=UTF-8' --data-binary @"$OUT/catalog.csv" "http://127.0.0.1:$PORT_A/api/v1/admin/catalog"
  cat "$OUT/import-$run.json"; echo
done

echo "== A change made through A, served by B ($ROUNDS renames of bench-1; B polls catalog_version every 2 s)"
python3 - "$PORT_A" "$PORT_B" "$TOKEN" "$ROUNDS" <<'PY'
import json, sys, time, urllib.request, random
a, b, token, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
def patch(name):
    req = urllib.request.Request(f"http://127.0.0.1:{a}/api/v1/admin/services/bench-1", method="PATCH",
                                 data=json.dumps({"name": name}).encode(),
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    urllib.request.urlopen(req).read()
def name_on_b():
    with urllib.request.urlopen(f"http://127.0.0.1:{b}/api/v1/services/bench-1") as r:
        return json.load(r)["name"]
times = []
for i in range(rounds):
    time.sleep(random.uniform(0, 2))  # not in step with B's poll
    name = f"Bench Renamed {i}"
    t0 = time.monotonic()
    patch(name)
    while name_on_b() != name:
        time.sleep(0.02)
    times.append(time.monotonic() - t0)
times.sort()
print(f"seen by B after: median {times[len(times)//2]:.2f} s, max {times[-1]:.2f} s, min {times[0]:.2f} s ({rounds} changes)")
PY
grep -h "Catalog: version" "$OUT/b.log" | tail -1
