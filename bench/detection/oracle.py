"""How far can any detector go on the bench's series? Detectors that are told (part of) the truth.

For the same series as bench.py / tune.py (same seeds, same random stream), four "oracles" test sliding
windows (3, 5, 10, 15, 30 and 60 minutes) of the counts against a Poisson expectation they were told:
- "knows the usual rate": the exact usual volume of every minute, with its noise and events but without
  the outages (an upper bound: no detector can know the noise of the current minute);
- "knows it 10 (30) minutes late": the noise-free daily/weekly/trend profile of every minute, times the
  noise multiplier (the ratio of the usual volume to that profile) of 10 (30) minutes earlier: a detector
  that has learned the profile perfectly and follows the noise as fast as it can follow it without
  learning the outage itself. During an outage they still know the noise as it would have been, which no
  real detector can;
- "knows it 10 minutes late, frozen during outages": the same, but from the start of each outage to its end
  it only knows the multiplier of 10 minutes before the start (as a detector that stops learning at the
  right moment): what the drift during the outage itself costs.
Each oracle's threshold is tuned in sample to the bench's false-alarm budget (0.1 per service-week),
like the reference detectors of bench.py. Recall is on the same clear outages.
  python3 bench/detection/oracle.py --seeds 1-9 [--noise hourly] [--drift 0.5]
"""
import argparse, json, os, statistics, sys
from concurrent.futures import ProcessPoolExecutor
import numpy as np
from scipy.stats import poisson
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import simulate as sim
from bench import BUDGET, MIN_COUNT, parse_seeds, score, summarise, tune, window_sum

WINDOWS = (3, 5, 10, 15, 30, 60)
ORACLES = ("knows the usual rate", "knows it 10 minutes late", "knows it 30 minutes late",
           "knows it 10 minutes late, frozen during outages")


def statistic(counts, expected):
    """Per minute, the highest -log10 P(X >= x) over the windows (windows with fewer than MIN_COUNT reports: none)."""
    best = np.full(len(counts), -np.inf)
    for w in WINDOWS:
        x = window_sum(counts, w)
        e = np.maximum(window_sum(expected, w), 1e-6)
        s = -poisson.logsf(x - 1, e) / np.log(10)
        s[x < MIN_COUNT] = -np.inf
        best = np.maximum(best, s)
    return best


def one_seed(arg):
    seed, services, noise, drift = arg
    rng = np.random.default_rng(seed)
    out = {name: [] for name in ORACLES}
    sets = []
    for _ in range(services):
        counts, truth, eval_start = sim.series(rng, noise=noise, drift=drift)
        usual, det = sim.series.usual, sim.series.det
        mult = usual / det
        expected = {ORACLES[0]: usual}
        for lag, name in ((10, ORACLES[1]), (30, ORACLES[2])):
            late = np.concatenate([np.full(lag, 1.0), mult[:-lag]])
            expected[name] = det * late
        frozen = np.concatenate([np.full(10, 1.0), mult[:-10]])
        for o in truth:
            frozen[o["start"]:o["end"]] = frozen[o["start"]]
        expected[ORACLES[3]] = det * frozen
        for name in ORACLES:
            out[name].append(statistic(counts, expected[name]))
        sets.append((truth, eval_start))
    return out, sets


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="1-9")
    ap.add_argument("--services", type=int, default=60)
    ap.add_argument("--noise", choices=sim.NOISES, default=sim.DEFAULT_NOISE)
    ap.add_argument("--drift", type=float, default=1.0, help="a factor on the noise multiplier's sd (simulate.py)")
    args = ap.parse_args()
    seeds = parse_seeds(args.seeds)
    stats = {name: [] for name in ORACLES}
    sets = []
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as ex:
        for out, s in ex.map(one_seed, [(seed, args.services, args.noise, args.drift) for seed in seeds]):
            for name in ORACLES:
                stats[name] += out[name]
            sets += s
    rows = []
    for name in ORACLES:
        thr = tune(stats[name], sets, BUDGET)
        res, fa, weeks = [], 0, 0
        for z, (truth, eval_start) in zip(stats[name], sets):
            f, w, r = score(z >= thr, truth, eval_start)
            fa += f; weeks += w; res += r
        row = summarise(f"oracle: {name}", res, fa, weeks)
        row["threshold_log10_p"] = round(thr, 2)
        rows.append(row)
    print(json.dumps(dict(noise=args.noise, drift=args.drift, seeds=args.seeds, oracles=rows), indent=1))


if __name__ == "__main__":
    main()
