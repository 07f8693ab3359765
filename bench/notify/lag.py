"""Summarises the receiver's log: deliveries, duplicates, and the lag (event written -> received)."""
import json
import sys

rows = [json.loads(l) for l in open(sys.argv[1])]
lags = sorted(r["lag"] for r in rows)
keys = {(r["id"], r["path"]) for r in rows}


def q(p):
    return lags[min(len(lags) - 1, int(p * len(lags)))] * 1000


print(json.dumps({"deliveries": len(rows), "duplicates": len(rows) - len(keys), "p50_ms": round(q(0.5)),
                  "p95_ms": round(q(0.95)), "p99_ms": round(q(0.99)), "max_ms": round(lags[-1] * 1000)}))
