"""Per-minute counts for the live detection bench, as CSV for COPY into report_minute.

Reads "service_id,problem_type_id" pairs (every service's problem types) on stdin; writes
"service_id,problem_type_id,minute,count" rows (only counts above 0, as the report endpoint writes them)
for the minutes [start, end). Each service gets a steady rate, log-uniform between 0.05 and 20 reports a
minute, shared among its problem types (the first ones more often) with Poisson counts; every 200th service
(50 of 10,000) has twenty times its rate from OUTAGE_START on, so that the minutes measured open and follow
incidents too (a service with under three days of history, as here, is tested with a wide noise: ×5 would
not be flagged).
  python3 live_data.py START_EPOCH_MINUTE END_EPOCH_MINUTE OUTAGE_START < pairs.csv > counts.csv
"""
import sys
from datetime import datetime, timezone
import numpy as np

start, end, outage = (int(a) for a in sys.argv[1:4])
pairs = {}
for line in sys.stdin:
    s, p = line.strip().split(",")
    pairs.setdefault(int(s), []).append(int(p))
rng = np.random.default_rng(1)
minutes = np.arange(start, end)
stamps = [datetime.fromtimestamp(m * 60, timezone.utc).strftime("%Y-%m-%d %H:%M:%S+00") for m in minutes]
out = sys.stdout
for i, (service, types) in enumerate(sorted(pairs.items())):
    rate = float(np.exp(rng.uniform(np.log(0.05), np.log(20))))
    share = 1.0 / np.arange(1, len(types) + 1)
    share /= share.sum()
    boost = np.where((minutes >= outage) & (i % 200 == 0), 20.0, 1.0)
    counts = rng.poisson(np.outer(rate * boost, share))  # minutes × types
    rows, cols = np.nonzero(counts)
    out.write("".join(f"{service},{types[c]},{stamps[r]},{counts[r, c]}\n" for r, c in zip(rows, cols)))
