"""In-process tuning of the detector on the bench's series, without HTTP (minutes instead of a packaged app).

Generates the same series as bench.py for a seed and noise (same random stream), runs
bench/detection/Tune.java (the Detector from target/classes, settings from -D options) and scores them
exactly like bench.py:
  ./mvnw -q compile && python3 bench/detection/tune.py --seeds 1,2,3 -- -Dalpha=4e-7
Several seeds run in parallel (--jobs, default the number of cores); the summary pools them.
--classes points at another compiled tree (A/B against a copy of target/classes).
--explain adds why: recall by how the outage-free traffic stood against its profile during each outage, and
what that traffic was doing at each false alarm (docs/benchmarks-journal.md, session 8).
--drift 0.5 scales the sd of the series' noise multiplier (0 leaves Poisson counts around the profile): how the
scores depend on how far traffic drifts (docs/benchmarks-journal.md, session 11).
--young scores young services instead: each series is cut into three windows of the detector's first
72 hours (its untrusted period, `min-history`), starting a day before the evaluated weeks and then every
four days; a fresh detector runs on each, and false alarms and outages count from its second hour
(docs/benchmarks-journal.md, session 10). The known-rate steps are not run then.
Reference detectors and cost are not run: use run.sh for the published numbers.
"""
import argparse, json, os, statistics, subprocess, sys, threading
from concurrent.futures import ThreadPoolExecutor
import numpy as np
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import simulate as sim
from bench import (add_events, alarm_starts, events_flagged, events_summary, false_alarm_starts, false_alarms_by_event,
                   parse_seeds, score, summarise)

ap = argparse.ArgumentParser()
ap.add_argument("--seeds", default="1", help="comma-separated seeds, e.g. 1,2,3 or 1-9")
ap.add_argument("--services", type=int, default=60)
ap.add_argument("--trials", type=int, default=30)
ap.add_argument("--noise", choices=sim.NOISES, default=sim.DEFAULT_NOISE)
ap.add_argument("--drift", type=float, default=1.0,
                help="a factor on the noise multiplier's sd (simulate.py): 0.5 half the drift, 0 Poisson counts around the profile")
ap.add_argument("--classes", default="target/classes")
ap.add_argument("--jobs", type=int, default=os.cpu_count())
ap.add_argument("--per-seed", action="store_true", help="also print each seed's false alarms and recall")
ap.add_argument("--explain", action="store_true",
                help="also say what the usual (outage-free) traffic was doing at each false alarm, and how often it surges")
ap.add_argument("--young", action="store_true", help="score the first 72 hours of fresh detectors instead")
ap.add_argument("java_options", nargs="*")
args = ap.parse_args()
if args.young and args.explain:
    ap.error("--explain works on the full series, not with --young")
seeds = parse_seeds(args.seeds)
tag = f"{os.getpid()}"


YOUNG_MINUTES = 72 * 60  # the untrusted period: DetectConfig's min-history
YOUNG_SKIP = 60  # the first hour (the floor against an empty history) is not scored


def young_cuts(counts, truth, eval_start):
    """Three (counts, truth) windows of YOUNG_MINUTES, in cut coordinates, for fresh detectors; outages that
    start in the skipped first hour count as not clear (no recall asked), but still excuse alarms."""
    cuts = []
    for j in range(3):
        s0 = eval_start - sim.MIN_PER_DAY + j * 4 * sim.MIN_PER_DAY + (j * 397) % sim.MIN_PER_DAY
        t = []
        for o in truth:
            if o["end"] > s0 and o["start"] < s0 + YOUNG_MINUTES:
                c = dict(o, start=max(0, o["start"] - s0), end=min(YOUNG_MINUTES, o["end"] - s0))
                c["clear"] = o["clear"] and o["start"] - s0 >= YOUNG_SKIP
                t.append(c)
        cuts.append((counts[s0:s0 + YOUNG_MINUTES], t))
    return cuts


def prepare(seed):
    d = f"target/detection-tune/v{sim.VERSION}-{'young-' if args.young else ''}{args.noise}{'' if args.drift == 1 else f'-drift{args.drift:g}'}-seed{seed}"
    os.makedirs(d, exist_ok=True)
    meta_file = f"{d}/meta.json"
    if not os.path.exists(meta_file):
        rng = np.random.default_rng(seed)
        meta = {"series": [], "known": []}
        for i in range(args.services):
            with SIM_LOCK:  # simulate.py hands the events out as an attribute of series(), shared by the threads
                c, truth, es = sim.series(rng, noise=args.noise, drift=args.drift)
                events = sim.series.events
            if args.young:
                for j, (cc, t) in enumerate(young_cuts(c, truth, es)):
                    cc.astype(">i4").tofile(f"{d}/series{i}_{j}.bin")
                    meta["series"].append(dict(file=f"series{i}_{j}.bin", truth=t, eval_start=YOUNG_SKIP))
                continue
            c.astype(">i4").tofile(f"{d}/series{i}.bin")
            meta["series"].append(dict(file=f"series{i}.bin", truth=truth, eval_start=es, events=events))
        for lam, k in [(1, 3), (1, 5), (10, 3)] if not args.young else []:
            for t in range(args.trials):
                c, step = sim.known_rate(rng, lam, k)
                c.astype(">i4").tofile(f"{d}/known_{lam}_{k}_{t}.bin")
                meta["known"].append(dict(file=f"known_{lam}_{k}_{t}.bin", lam=lam, k=k, step=step))
        json.dump(meta, open(meta_file, "w"))
    return d


def run(seed):
    d = prepare(seed)
    out = f"flags-{tag}"
    subprocess.run(["java", *args.java_options, "-cp", args.classes, "bench/detection/Tune.java", d, out], check=True)
    meta = json.load(open(f"{d}/meta.json"))
    res, fa, weeks, by_event, flagged = [], 0, 0, {}, {}
    for s in meta["series"]:
        flags = np.fromfile(f"{d}/{out}/{s['file']}", dtype=np.int8).astype(bool)
        f, w, r = score(flags, s["truth"], s["eval_start"])
        fa += f; weeks += w; res += r
        if "events" in s:
            add_events(by_event, false_alarms_by_event(flags, s["truth"], s["eval_start"], s["events"]))
            add_events(flagged, events_flagged(flags, s["events"]))
    known = []
    for m in meta["known"]:
        flags = np.fromfile(f"{d}/{out}/{m['file']}", dtype=np.int8).astype(bool)
        st = m["step"]
        hit = np.flatnonzero(flags[st:st + 120])
        known.append((f"lambda={m['lam']}, k={m['k']}", int(hit[0]) + 1 if len(hit) else None,
                      len(alarm_starts(flags[sim.MIN_PER_WEEK:st])), (st - sim.MIN_PER_WEEK) / sim.MIN_PER_WEEK))
    explained = explain(seed, d, out, meta) if args.explain else None
    subprocess.run(["rm", "-rf", f"{d}/{out}"])
    return seed, res, fa, weeks, known, explained, (by_event, flagged)


SIM_LOCK = threading.Lock()


def explain(seed, d, out, meta):
    """Per false alarm: the planted event it falls in (or after, within 6 h) and the ratio of the usual traffic
    (noise and events, no outage) to the noise-free profile; and the simulator's own surges: episodes of 15
    minutes or more where the usual traffic is at least twice the profile, per service-week; per clear outage,
    that ratio over its span and whether it was caught."""
    rng = np.random.default_rng(seed)  # the same stream as prepare(): the series again, with what lies under them
    alarms, surges, weeks, outages = [], 0, 0, []
    for s in meta["series"]:
        with SIM_LOCK:  # simulate.py hands these out as attributes of series(), shared by the threads
            sim.series(rng, noise=args.noise, drift=args.drift)
            usual, det, events, es = sim.series.usual, sim.series.det, sim.series.events, s["eval_start"]
        ratio = usual[es:] / det[es:]
        up = np.diff(np.concatenate([[0], (ratio >= 2).astype(int), [0]]))
        surges += int(np.sum(np.flatnonzero(up == -1) - np.flatnonzero(up == 1) >= 15))
        weeks += len(ratio) / sim.MIN_PER_WEEK
        flags = np.fromfile(f"{d}/{out}/{s['file']}", dtype=np.int8).astype(bool)
        for o in s["truth"]:
            if o["clear"]:
                span = slice(o["start"], o["end"])
                outages.append((float(usual[span].mean() / det[span].mean()), bool(flags[span].any())))
        for a in false_alarm_starts(flags, s["truth"], es):
            kind = next((k for k, b, e in reversed(events) if b - 60 <= a < e + 360), "none")
            alarms.append((kind, float(usual[a] / det[a])))
    return alarms, surges, weeks, outages


with ThreadPoolExecutor(max_workers=args.jobs) as ex:
    results = list(ex.map(run, seeds))
res, fa, weeks, known = [], 0, 0, {}
alarms, surges, surge_weeks, outages = [], 0, 0, []
by_event, flagged = {}, {}
for seed, r, f, w, k, e, (be, fl) in results:
    add_events(by_event, be)
    add_events(flagged, fl)
    if e:
        alarms += e[0]; surges += e[1]; surge_weeks += e[2]; outages += e[3]
    res += r; fa += f; weeks += w
    if args.per_seed:
        row = summarise(f"seed {seed}", r, f, w)
        print(f"seed {seed}: fa/week {row['fa_per_week']:.3f} recall {row['recall']:.3f} busy delay {row['median_delay_busy']}",
              file=sys.stderr)
    for key, delay, f2, w2 in k:
        kk = known.setdefault(key, [[], 0, 0])
        kk[0].append(delay); kk[1] += f2; kk[2] += w2
out = summarise(f"Downwatch (in process, {args.noise}{'' if args.drift == 1 else f' x{args.drift:g}'}, seeds {args.seeds})", res, fa, weeks)
if by_event:
    out["non_outage_events"] = events_summary(by_event, flagged, weeks)
out["known_rate"] = {}
for key, (ds, f, w) in known.items():
    c = [x for x in ds if x is not None]
    out["known_rate"][key] = dict(caught=len(c) / len(ds), median_delay=statistics.median(c) if c else None, fa_per_week=f / w)
out["missed_clear"] = [dict(factor=o["factor"], ramp=o["ramp"], usual=round(o["usual"], 2), length=o["end"] - o["start"], start=o["start"])
                       for o, x in res if o["clear"] and x is None]
if args.explain:
    ratios = np.array([r for _, r in alarms])
    out["false_alarms_explained"] = dict(
        count=len(alarms),
        by_event={k: sum(1 for kind, _ in alarms if kind == k) for k in sim.EVENT_KINDS + ("none",)},
        usual_over_profile_at_least={f"{t}": int(np.sum(ratios >= t)) for t in (1.3, 1.5, 2.0)},
        simulated_surges_2x_15min_per_service_week=surges / surge_weeks)
    by_ratio = {}
    for lo, hi in [(0, 0.7), (0.7, 0.85), (0.85, 1), (1, 1.2), (1.2, 1.5), (1.5, 99)]:
        part = [hit for r, hit in outages if lo <= r < hi]
        by_ratio[f"{lo}-{hi}"] = dict(clear=len(part), recall=round(sum(part) / max(1, len(part)), 3))
    out["recall_by_usual_over_profile"] = by_ratio
print(json.dumps(out, indent=1))
