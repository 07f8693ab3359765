"""In-process tuning of the detector on the bench's series, without HTTP (minutes instead of a packaged app).

Generates the same series as bench.py for a seed (same random stream), runs bench/detection/Tune.java
(the Detector from target/classes, settings from -D options) and scores them exactly like bench.py:
  ./mvnw -q compile && python3 bench/detection/tune.py --seed 2 -- -Dwindows=3,5,10,15,30 -Dalpha=7e-7
Reference detectors and cost are not run: use run.sh for the published numbers.
"""
import argparse, json, os, statistics, subprocess, sys
import numpy as np
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import simulate as sim
from bench import score, summarise, alarm_starts

ap = argparse.ArgumentParser()
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--services", type=int, default=60)
ap.add_argument("--trials", type=int, default=30)
ap.add_argument("java_options", nargs="*")
args = ap.parse_args()
d = f"target/detection-tune/seed{args.seed}"
os.makedirs(d, exist_ok=True)
meta_file = f"{d}/meta.json"
if not os.path.exists(meta_file):
    rng = np.random.default_rng(args.seed)
    meta = {"series": [], "known": []}
    for i in range(args.services):
        c, truth, es = sim.series(rng)
        c.astype(">i4").tofile(f"{d}/series{i}.bin")
        meta["series"].append(dict(file=f"series{i}.bin", truth=truth, eval_start=es))
    for lam, k in [(1, 3), (1, 5), (10, 3)]:
        for t in range(args.trials):
            c, step = sim.known_rate(rng, lam, k)
            c.astype(">i4").tofile(f"{d}/known_{lam}_{k}_{t}.bin")
            meta["known"].append(dict(file=f"known_{lam}_{k}_{t}.bin", lam=lam, k=k, step=step))
    json.dump(meta, open(meta_file, "w"))
meta = json.load(open(meta_file))
subprocess.run(["java", *args.java_options, "-cp", "target/classes", "bench/detection/Tune.java", d, "flags"], check=True)
res, fa, weeks = [], 0, 0
for s in meta["series"]:
    flags = np.fromfile(f"{d}/flags/{s['file']}", dtype=np.int8).astype(bool)
    f, w, r = score(flags, s["truth"], s["eval_start"])
    fa += f; weeks += w; res += r
out = summarise("Downwatch (in process)", res, fa, weeks)
known = {}
for m in meta["known"]:
    flags = np.fromfile(f"{d}/flags/{m['file']}", dtype=np.int8).astype(bool)
    st = m["step"]
    hit = np.flatnonzero(flags[st:st + 120])
    kk = known.setdefault(f"lambda={m['lam']}, k={m['k']}", [[], 0, 0])
    kk[0].append(int(hit[0]) + 1 if len(hit) else None)
    kk[1] += len(alarm_starts(flags[sim.MIN_PER_WEEK:st]))
    kk[2] += (st - sim.MIN_PER_WEEK) / sim.MIN_PER_WEEK
out["known_rate"] = {}
for key, (ds, f, w) in known.items():
    c = [x for x in ds if x is not None]
    out["known_rate"][key] = dict(caught=len(c) / len(ds), median_delay=statistics.median(c) if c else None, fa_per_week=f / w)
out["missed_clear"] = [dict(factor=o["factor"], ramp=o["ramp"], usual=round(o["usual"], 2)) for o, x in res if o["clear"] and x is None]
print(json.dumps(out, indent=1))
