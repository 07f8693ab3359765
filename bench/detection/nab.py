"""Real crowd counts: NAB's realTweets series through POST /api/v1/backtest, scored with NAB's rules.

  python3 bench/detection/nab.py --url http://127.0.0.1:8082 [--data DIR]
  python3 bench/detection/nab.py --classes target/classes   # in process (NabBacktest.java), no app: for trying changes

The data folder (default $DOWNWATCH_NAB_DATA, else ../shared/data/nab-realtweets beside the repo) holds the
five series, their labelled windows (windows.json) and the rules (README.md). Two detectors are scored:
- "score swept": the backtest's `score` column, one threshold for the five files swept over every score
  and "none", as NAB sweeps it;
- "run onsets": the first row of each run of `anomaly` = 1 is a detection (one threshold: all or none).
Pure Python (no numpy), so the scorer runs on any python3.

NAB's rules, as published in its sweeper (re-implemented here):
- probation: the first min(floor(15 % of the rows), 750) rows are not scored at all;
- a row in a window at index i (window rows l..r, width w = r - l + 1) is worth, if it is the window's
  best detection, tp * sig(-(r - i + 1) / w) / sig(-1), where sig(y) = 2 / (1 + e^(5y)) - 1: the left edge
  is worth exactly tp, the right edge about a tenth of it; an undetected window costs -fn;
- every detected row outside the windows costs fp * sig(|i - r_prev| / (w_prev - 1)), r_prev and w_prev
  being the previous window's right edge and width, or -fp when no window precedes it (or 3 widths past):
  just after a window a detection costs almost nothing, far from it the full weight;
- normalised: 100 * (S - S_null) / (S_perfect - S_null), S_null = -fn per window, S_perfect = tp per window.
"""
import argparse
import json
import math
import os
import sys
import urllib.request
from datetime import datetime

HERE = os.path.dirname(os.path.abspath(__file__))


def default_data():
    """$DOWNWATCH_NAB_DATA, else shared/data/nab-realtweets beside the repo (or beside one of its parents,
    for a worktree kept one level down)."""
    if os.environ.get("DOWNWATCH_NAB_DATA"):
        return os.environ["DOWNWATCH_NAB_DATA"]
    d = os.path.normpath(os.path.join(HERE, "..", ".."))
    first = os.path.join(os.path.dirname(d), "shared", "data", "nab-realtweets")
    while os.path.dirname(d) != d:
        d = os.path.dirname(d)
        if os.path.isdir(os.path.join(d, "shared", "data", "nab-realtweets")):
            return os.path.join(d, "shared", "data", "nab-realtweets")
    return first


DEFAULT_DATA = default_data()
FILES = ("AAPL", "AMZN", "CRM", "CVS", "FB")
STANDARD = dict(tp=1.0, fn=1.0, fp=0.11)
PROBATION = 0.15
PROBATION_MAX = 750

# NAB's published scores on these five files (README.md of the data folder)
REFERENCE = [("ARTime", 88.1), ("CAD OSE (contextOSE)", 76.0), ("Numenta HTM", 67.4), ("Twitter ADVec", 66.0),
             ("windowed Gaussian", 64.8), ("Etsy Skyline", 59.5), ("random", 37.7)]


def sig(y):
    """NAB's scaled sigmoid: 2 / (1 + e^(5y)) - 1, and -1 from 3 on."""
    if y >= 3.0:
        return -1.0
    return 2.0 / (1.0 + math.exp(5.0 * y)) - 1.0


def row_weights(n, windows, profile=STANDARD):
    """Per row: (window id or None, weight if detected), or None for a probation row.
    windows: sorted, non-overlapping (left, right) row indices, inclusive."""
    probation = min(math.floor(PROBATION * n), PROBATION_MAX)
    out = [None] * n
    max_tp = sig(-1.0)
    prev = None  # (right, width) of the previous window
    k = 0
    for i in range(n):
        while k < len(windows) and windows[k][1] < i:
            prev = (windows[k][1], windows[k][1] - windows[k][0] + 1)
            k += 1
        if k < len(windows) and windows[k][0] <= i <= windows[k][1]:
            left, right = windows[k]
            w = right - left + 1
            item = (k, profile["tp"] * sig(-(right - i + 1) / w) / max_tp)
        else:
            past = 3.0 if prev is None else abs(i - prev[0]) / (prev[1] - 1)
            item = (None, profile["fp"] * sig(past))
        if i >= probation:
            out[i] = item
    return out


def sweep(files, profile=STANDARD):
    """files: [(scores, windows)] with one score per row (higher = more anomalous; None or a value never
    reached = no detection). Returns (best raw score, its threshold or None for "none", S_null, S_perfect):
    one threshold for all files, detected rows being those with score >= threshold."""
    points = []  # (score, file id, window id or None, weight)
    parts = {}  # (file, window) -> best weight so far; -fn until detected
    n_windows = 0
    for f, (scores, windows) in enumerate(files):
        weights = row_weights(len(scores), windows, profile)
        seen = set()
        for i, item in enumerate(weights):
            if item is None:
                continue
            win, w = item
            if win is not None:
                seen.add(win)
            if scores[i] is not None:
                points.append((scores[i], f, win, w))
        for win in seen:
            parts[(f, win)] = -profile["fn"]
        n_windows += len(seen)
    s_null = -profile["fn"] * n_windows
    s_perfect = profile["tp"] * n_windows
    points.sort(key=lambda p: -p[0])
    fp_total = 0.0
    win_total = s_null
    best, best_t = s_null, None
    j = 0
    while j < len(points):
        t = points[j][0]
        while j < len(points) and points[j][0] == t:
            _, f, win, w = points[j]
            if win is None:
                fp_total += w
            else:
                old = parts[(f, win)]
                if w > old:
                    parts[(f, win)] = w
                    win_total += w - old
            j += 1
        s = fp_total + win_total
        if s > best:
            best, best_t = s, t
    return best, best_t, s_null, s_perfect


def normalised(s, s_null, s_perfect):
    return 100.0 * (s - s_null) / (s_perfect - s_null)


def onsets(anomaly):
    """1 at the first row of each run of anomaly = 1, None elsewhere."""
    return [1 if a and (i == 0 or not anomaly[i - 1]) else None for i, a in enumerate(anomaly)]


def read_series(path):
    stamps, values = [], []
    with open(path) as fh:
        next(fh)
        for line in fh:
            line = line.strip()
            if line:
                ts, v = line.split(",")
                stamps.append(datetime.fromisoformat(ts))
                values.append(int(float(v)))
    return stamps, values


def window_rows(stamps, limits):
    """Row indices of the windows' edges: NAB's labels fall on rows; the first row at or after each edge."""
    import bisect
    out = []
    for a, b in limits:
        a, b = datetime.fromisoformat(a), datetime.fromisoformat(b)
        left = bisect.bisect_left(stamps, a)
        right = bisect.bisect_right(stamps, b) - 1
        out.append((left, right))
    return out


def backtest(url, stamps, values):
    body = "timestamp,count\n" + "".join(f"{s.strftime('%Y-%m-%dT%H:%M:%SZ')},{v}\n" for s, v in zip(stamps, values))
    req = urllib.request.Request(url.rstrip("/") + "/api/v1/backtest", data=body.encode(), method="POST",
                                 headers={"Content-Type": "text/csv", "Accept": "text/csv"})
    with urllib.request.urlopen(req, timeout=600) as r:
        rows = r.read().decode().strip().split("\n")[1:]
    scores, anomaly = [], []
    for row in rows:
        cols = row.split(",")
        scores.append(float(cols[4]))
        anomaly.append(int(cols[5]))
    return scores, anomaly


def backtest_in_process(classes, series):
    """The same answers as backtest(), from Backtest.run in a JVM on the compiled tree `classes`: [(scores, anomaly)]."""
    import subprocess
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        paths = []
        for i, (stamps, values) in enumerate(series):
            p = os.path.join(d, f"series{i}.csv")
            with open(p, "w") as fh:
                fh.write("timestamp,count\n" + "".join(f"{s.strftime('%Y-%m-%dT%H:%M:%SZ')},{v}\n" for s, v in zip(stamps, values)))
            paths.append(p)
        subprocess.run(["java", "-cp", classes, os.path.join(HERE, "NabBacktest.java"), *paths], check=True)
        out = []
        for p in paths:
            with open(p + ".out") as fh:
                rows = [line.split(",") for line in fh.read().split()]
            out.append(([float(r[0]) for r in rows], [int(r[1]) for r in rows]))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--url", default=os.environ.get("DOWNWATCH_URL", "http://127.0.0.1:8082"))
    ap.add_argument("--data", default=DEFAULT_DATA, help="the folder of the five series and windows.json")
    ap.add_argument("--classes", help="run the backtest in process on this compiled tree (e.g. target/classes) instead of --url")
    ap.add_argument("--json", action="store_true", help="print the results as JSON too")
    args = ap.parse_args()
    labels = json.load(open(os.path.join(args.data, "windows.json")))
    swept, runs, per_file = [], [], {}
    series = [read_series(os.path.join(args.data, f"Twitter_volume_{name}.csv")) for name in FILES]
    local = backtest_in_process(args.classes, series) if args.classes else None
    for k, name in enumerate(FILES):
        fname = f"Twitter_volume_{name}.csv"
        stamps, values = series[k]
        windows = window_rows(stamps, labels[f"realTweets/{fname}"])
        scores, anomaly = local[k] if local else backtest(args.url, stamps, values)
        swept.append((scores, windows))
        runs.append((onsets(anomaly), windows))
        n_runs = sum(1 for x in onsets(anomaly) if x)
        days = (stamps[-1] - stamps[0]).total_seconds() / 86400
        per_file[name] = dict(rows=len(values), windows=len(windows), flagged_runs=n_runs,
                              runs_per_day=round(n_runs / days, 2), flagged_rows=sum(anomaly))
    results = {}
    for label, files in (("score swept", swept), ("run onsets", runs)):
        s, t, s_null, s_perfect = sweep(files)
        results[label] = dict(normalised=round(normalised(s, s_null, s_perfect), 1), raw=round(s, 3),
                              threshold=t, null=s_null, perfect=s_perfect)
    print(f"NAB standard profile, five realTweets files ({args.data})")
    print("| detector | normalised score |")
    print("|---|---|")
    rows = REFERENCE + [("Downwatch, flagged-run onsets as detections", results["run onsets"]["normalised"]),
                        ("Downwatch, the backtest's `score` swept"
                         + (" (best: detect nothing)" if results["score swept"]["threshold"] is None
                            else f" (threshold {results['score swept']['threshold']})"),
                         results["score swept"]["normalised"])]
    for name, v in sorted(rows, key=lambda r: -r[1]):
        print(f"| {name} | {v:.1f} |")
    for name, f in per_file.items():
        print(f"{name}: {f['rows']} rows, {f['windows']} windows, {f['flagged_runs']} flagged runs "
              f"({f['runs_per_day']} a day), {f['flagged_rows']} flagged rows", file=sys.stderr)
    if args.json:
        print(json.dumps(dict(results=results, files=per_file), indent=1))


if __name__ == "__main__":
    main()
