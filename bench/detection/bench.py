"""Detection bench: simulated series through POST /api/v1/backtest, against reference detectors.

Usage: python3 bench.py --url http://127.0.0.1:8082 [--services 60] [--seed 1] [--noise crowd|realistic|hourly]
"""
import argparse, warnings
import json
import statistics
import sys
import time
import urllib.request
from datetime import datetime, timezone

import numpy as np

import simulate as sim

BUDGET = 0.1  # false alarms per service-week
MERGE = 30    # alarm runs closer than this (minutes) are one alarm
MIN_COUNT = 5


def post(url, counts, t0=sim.T0):
    lines = ["timestamp,count"]
    for i, c in enumerate(counts):
        ts = datetime.fromtimestamp((t0 + i) * 60, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        lines.append(f"{ts},{int(c)}")
    body = ("\n".join(lines) + "\n").encode()
    req = urllib.request.Request(url + "/api/v1/backtest", data=body, method="POST",
                                 headers={"Content-Type": "text/csv", "Accept": "text/csv"})
    t = time.perf_counter()
    with urllib.request.urlopen(req, timeout=600) as r:
        text = r.read().decode()
    elapsed = time.perf_counter() - t
    rows = text.strip().split("\n")[1:]
    anomaly = np.fromiter((int(r.rsplit(",", 1)[1]) for r in rows), dtype=np.int8, count=len(rows))
    return anomaly.astype(bool), elapsed


def alarm_starts(flags):
    """Starts of alarm episodes (runs merged when closer than MERGE minutes)."""
    idx = np.flatnonzero(flags)
    if len(idx) == 0:
        return []
    starts = [idx[0]]
    last = idx[0]
    for i in idx[1:]:
        if i - last > MERGE:
            starts.append(i)
        last = i
    return starts


def score(flags, truth, eval_start):
    """(false alarms, weeks, [(outage, delay or None)])."""
    n = len(flags)
    results = []
    for o in truth:
        hit = np.flatnonzero(flags[o["start"]:o["end"]])
        results.append((o, int(hit[0]) + 1 if len(hit) else None))
    return len(false_alarm_starts(flags, truth, eval_start)), (n - eval_start) / sim.MIN_PER_WEEK, results


def false_alarm_starts(flags, truth, eval_start):
    """Starts of the alarm episodes of the evaluated weeks that are not at an outage."""
    return [s + eval_start for s in alarm_starts(flags[eval_start:])
            if not any(o["start"] - 5 <= s + eval_start < o["end"] + MERGE for o in truth)]


def false_alarms_by_event(flags, truth, eval_start, events):
    """The false alarms by what the traffic was doing: the non-outage event (simulate.py) an alarm starts in,
    from 5 minutes before it to MERGE minutes after it, or "none". A `problem` during a news surge, collateral
    reports or a news day is a false alarm: the bench sees only `problem` (a `possible` is allowed)."""
    out = {k: 0 for k in sim.EVENT_KINDS + ("none",)}
    for a in false_alarm_starts(flags, truth, eval_start):
        kind = next((k for k, b, e in events if b - 5 <= a < e + MERGE), "none")
        out[kind] += 1
    return out


def events_flagged(flags, events):
    """Per kind of non-outage event: [events flagged at problem, events]."""
    out = {}
    for k, b, e in events:
        row = out.setdefault(k, [0, 0])
        row[0] += bool(np.any(flags[b:e]))
        row[1] += 1
    return out


def add_events(total, part):
    """Pools events_flagged or false_alarms_by_event answers into total."""
    for k, v in part.items():
        if isinstance(v, list):
            row = total.setdefault(k, [0, 0])
            row[0] += v[0]
            row[1] += v[1]
        else:
            total[k] = total.get(k, 0) + v
    return total


def events_summary(by_event, flagged, weeks):
    """What the bench prints of the non-outage events: false alarms per service-week by event, and how many of
    each kind of event were flagged at problem."""
    return dict(note="a problem during a non-outage event is a false alarm; a possible is allowed",
                false_alarms_per_week_by_event={k: round(v / weeks, 4) for k, v in by_event.items()},
                events_flagged_problem={k: f"{f} of {n}" for k, (f, n) in sorted(flagged.items())})


# ---- reference detectors (causal, per minute; statistic compared to a threshold) ----------------

def window_sum(counts, w):
    c = np.concatenate([[0], np.cumsum(counts)])
    s = c[w:] - c[:-w]
    return np.concatenate([np.full(w - 1, 0), s])


def last_week_z(counts, w=10):
    """Same-time-last-week z-score on 10-minute sums: (x - y) / sqrt(y + 1)."""
    x = window_sum(counts, w).astype(float)
    y = np.concatenate([np.full(sim.MIN_PER_WEEK, np.nan), x[:-sim.MIN_PER_WEEK]])
    z = (x - y) / np.sqrt(y + 1)
    z[np.isnan(z)] = -np.inf
    z[x < MIN_COUNT] = -np.inf
    return z


def ears_c2(counts, w=5, k=7, guard=2):
    """EARS C2 on sliding 5-minute sums: baseline = mean/sd of 7 sums lagged by 2 windows."""
    x = window_sum(counts, w).astype(float)
    n = len(x)
    base = np.full((k, n), np.nan)
    for j in range(k):
        lag = (guard + 1 + j) * w
        base[j, lag:] = x[:n - lag]
    with warnings.catch_warnings():  # the first minutes have no lagged sums yet: NaN, as intended
        warnings.simplefilter("ignore", RuntimeWarning)
        mu = np.nanmean(base, axis=0)
        sd = np.maximum(np.nanstd(base, axis=0, ddof=1), 0.5)
    z = (x - mu) / sd
    z[np.isnan(z)] = -np.inf
    z[x < MIN_COUNT] = -np.inf
    return z


def tune(stats, sets, budget):
    """The lowest threshold keeping false alarms per service-week within the budget (in-sample)."""
    lo, hi = 0.0, 200.0
    for _ in range(40):
        mid = (lo + hi) / 2
        fa = weeks = 0
        for z, (truth, eval_start) in zip(stats, sets):
            f, w, _ = score(z >= mid, truth, eval_start)
            fa += f
            weeks += w
        if fa / weeks <= budget:
            hi = mid
        else:
            lo = mid
    return hi


def summarise(name, all_results, fa, weeks):
    clear = [d for o, d in all_results if o["clear"]]
    caught = [d for d in clear if d is not None]
    busy = [d for o, d in all_results if o["clear"] and o["usual"] >= 1 and d is not None]
    sudden = [d for o, d in all_results if o["clear"] and o["usual"] >= 1 and o["ramp"] <= 3 and d is not None]
    by_factor = {}
    for o, d in all_results:
        by_factor.setdefault(o["factor"], []).append(d)
    row = dict(name=name, fa_per_week=fa / weeks, clear=len(clear),
               recall=len(caught) / max(1, len(clear)),
               median_delay=statistics.median(caught) if caught else None,
               median_delay_busy=statistics.median(busy) if busy else None,
               median_delay_busy_sudden=statistics.median(sudden) if sudden else None,
               p90_delay=float(np.percentile(caught, 90)) if caught else None,
               by_factor={f: sum(d is not None for d in v) / len(v) for f, v in sorted(by_factor.items())})
    # what the goals depend on most: how fast the outage ramps up, and how much the service's traffic
    # drifts (the sd of its noise multiplier; older cached series have no "drift")
    by_ramp = {}
    for lo, hi in [(1, 3), (4, 10), (11, 20)]:
        part = [(o, d) for o, d in all_results if o["clear"] and lo <= o["ramp"] <= hi]
        b = [d for o, d in part if o["usual"] >= 1 and d is not None]
        by_ramp[f"{lo}-{hi} min"] = dict(clear=len(part), recall=sum(d is not None for o, d in part) / max(1, len(part)),
                                         median_delay_busy=statistics.median(b) if b else None)
    row["by_ramp"] = by_ramp
    if all("drift" in o for o, d in all_results):
        by_drift = {}
        for lo, hi in [(0, 0.25), (0.25, 0.3), (0.3, 0.4), (0.4, 0.5), (0.5, 1)]:
            part = [(o, d) for o, d in all_results if o["clear"] and lo <= o["drift"] < hi]
            by_drift[f"sd {lo:.2f}-{hi:.2f}"] = dict(clear=len(part),
                                                    recall=sum(d is not None for o, d in part) / max(1, len(part)))
        row["by_drift"] = by_drift
    return row


def parse_seeds(text):
    """"1", "1,2,5" or "1-9"."""
    seeds = []
    for part in text.split(","):
        a, _, b = part.partition("-")
        seeds += list(range(int(a), int(b or a) + 1))
    return seeds


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:8082")
    ap.add_argument("--services", type=int, default=60, help="series per seed")
    ap.add_argument("--seeds", default="1-9",
                    help="seeds pooled (1-9: about 1,000 service-weeks and 90 false alarms, enough to tell 0.08 from 0.1; "
                         "one seed's rate varies by about +-0.03)")
    ap.add_argument("--seed", type=int, help="one seed only (same as --seeds N)")
    ap.add_argument("--trials", type=int, default=30, help="known-rate series per case and seed")
    ap.add_argument("--noise", choices=sim.NOISES, default=sim.DEFAULT_NOISE, help="over-dispersion of the series (simulate.py)")
    args = ap.parse_args()
    seeds = [args.seed] if args.seed is not None else parse_seeds(args.seeds)

    sets, counts_all, ours, events_all = [], [], [], []
    timings = []
    known_runs = {}
    per_seed = []
    for seed in seeds:
        # per seed, the same random stream as tune.py: the series, then the known-rate steps
        rng = np.random.default_rng(seed)
        seed_res, seed_fa, seed_weeks = [], 0, 0
        for i in range(args.services):
            counts, truth, eval_start = sim.series(rng, noise=args.noise)
            events_all.append(sim.series.events)
            flags, elapsed = post(args.url, counts)
            timings.append((len(counts), elapsed))
            sets.append((truth, eval_start))
            counts_all.append(counts)
            ours.append(flags)
            f, w, r = score(flags, truth, eval_start)
            seed_fa += f; seed_weeks += w; seed_res += r
            print(f"seed {seed}, series {i + 1}/{args.services}: {len(counts)} rows in {elapsed:.2f} s", file=sys.stderr)
        row = summarise(f"seed {seed}", seed_res, seed_fa, seed_weeks)
        per_seed.append(dict(seed=seed, fa_per_week=round(row["fa_per_week"], 3), recall=round(row["recall"], 3),
                             median_delay_busy=row["median_delay_busy"]))
        # known-rate Poisson steps: the statistical limit cases of the issue
        for lam, k in [(1, 3), (1, 5), (10, 3)]:
            kr = known_runs.setdefault(f"lambda={lam}, k={k}", [[], 0, 0])
            for _ in range(args.trials):
                counts, step = sim.known_rate(rng, lam, k)
                flags, _ = post(args.url, counts)
                hit = np.flatnonzero(flags[step:step + 120])
                kr[0].append(int(hit[0]) + 1 if len(hit) else None)
                warm = sim.MIN_PER_WEEK  # the first week learns
                kr[1] += len(alarm_starts(flags[warm:step]))
                kr[2] += (step - warm) / sim.MIN_PER_WEEK

    report = {}
    res, fa, weeks = [], 0, 0
    for flags, (truth, es) in zip(ours, sets):
        f, w, r = score(flags, truth, es)
        fa += f
        weeks += w
        res += r
    report["downwatch"] = summarise("Downwatch (backtest API)", res, fa, weeks)
    by_event, flagged = {}, {}
    for flags, (truth, es), ev in zip(ours, sets, events_all):
        add_events(by_event, false_alarms_by_event(flags, truth, es, ev))
        add_events(flagged, events_flagged(flags, ev))
    report["downwatch"]["non_outage_events"] = events_summary(by_event, flagged, weeks)
    for name, fn in [("last-week z-score (10 min)", last_week_z), ("EARS C2 (5 min sums)", ears_c2)]:
        stats = [fn(c) for c in counts_all]
        thr = tune(stats, sets, BUDGET)
        res, fa, weeks = [], 0, 0
        for z, (truth, es) in zip(stats, sets):
            f, w, r = score(z >= thr, truth, es)
            fa += f
            weeks += w
            res += r
        row = summarise(f"{name}, threshold {thr:.2f}", res, fa, weeks)
        report[name] = row

    known = {}
    for key, (delays, fas, kweeks) in known_runs.items():
        caught = [d for d in delays if d is not None]
        known[key] = dict(caught=len(caught) / len(delays), median_delay=statistics.median(caught) if caught else None,
                          fa_per_week=fas / kweeks)

    # cost of a four-week backtest (40,320 rows)
    counts, _, _ = sim.series(np.random.default_rng(seeds[0]), weeks=4, eval_weeks=1, noise=args.noise)
    runs = sorted(post(args.url, counts[:40320])[1] for _ in range(5))
    out = dict(series=len(sets), seeds=seeds, noise=args.noise, rows_per_series=len(counts_all[0]),
               detectors=report, per_seed=per_seed, known_rate=known, backtest_40320_rows_seconds=runs[2],
               backtest_rows_per_second=sum(n for n, _ in timings) / sum(t for _, t in timings))
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
