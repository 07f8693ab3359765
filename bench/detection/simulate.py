"""Realistic per-minute report series for the detection bench (numpy, seeded).

A series is a usual volume with a daily rhythm (morning, lunch and evening peaks) and a weekly one
(weekends busier or quieter by kind of service), over-dispersion, a slow trend over the five weeks, and,
in the evaluated weeks:
- outages of many sizes (1.5x to 40x) that ramp up over 1 to 20 minutes and last 20 minutes to 3 hours;
- things that are not outages: a slow rise (+60% over six hours), a single noisy spike (one minute with
  several extra reports), a holiday (a weekday that looks like a Sunday, or busier).

Over-dispersion ("noise"):
- "realistic" (the default): a log-normal multiplier that drifts from minute to minute (an AR(1) in the
  log with a correlation time of 1 to 3 hours), so that a busy afternoon stays busy and fades, as real
  traffic does; mean 1 and the same variance as the Gamma below;
- "hourly": an independent Gamma multiplier per hour (mean 1, variance 1/shape, shape 8 to 30), which
  jumps at each hour; the first version of the bench.
The outages, holidays, rises and spikes are the same for a seed whichever noise is chosen, and whatever
`drift`: a factor on the multiplier's standard deviation (1 as drawn, 0.5 half as much, 0 none: Poisson counts
around the profile), for asking how the scores depend on how far real traffic drifts.
"""
import numpy as np

MIN_PER_DAY = 1440
MIN_PER_WEEK = 7 * MIN_PER_DAY
T0 = 1767571200 // 60  # 2026-01-05T00:00Z, a Monday, in epoch minutes


def daily_shape(minutes):
    hour = (minutes % MIN_PER_DAY) / 60.0

    def bump(c, w):
        d = np.abs(hour - c)
        d = np.minimum(d, 24 - d)
        return np.exp(-0.5 * (d / w) ** 2)

    return np.minimum(1.0, 0.06 + 0.55 * bump(9.5, 2.2) + 0.45 * bump(13, 1.8) + 0.75 * bump(20.5, 2.4))


NOISES = ("realistic", "hourly")


def drifting(rng, n, variance, tau):
    """A log-normal multiplier per minute, mean 1, the given variance, AR(1) in the log with time constant tau."""
    s2 = np.log1p(variance)
    a = np.exp(-1.0 / tau)
    e = rng.standard_normal(n) * np.sqrt(1 - a * a)
    z = np.empty(n)
    prev = rng.standard_normal()
    for i, x in enumerate(e.tolist()):
        prev = a * prev + x
        z[i] = prev
    return np.exp(np.sqrt(s2) * z - s2 / 2)


def series(rng, weeks=5, peak=None, eval_weeks=2, outages=3, extras=True, noise="realistic", drift=1.0):
    """Returns (counts, truth) where truth is a list of outage dicts (start, end, factor, ramp, clear)."""
    n = weeks * MIN_PER_WEEK
    t = np.arange(n)
    if peak is None:
        peak = float(np.exp(rng.uniform(np.log(0.3), np.log(30))))
    weekend = ((t // MIN_PER_DAY) % 7) >= 5
    weekend_factor = rng.choice([0.55, 0.85, 1.25])
    rate = peak * daily_shape(t) * np.where(weekend, weekend_factor, 1.0)
    trend = 1 + rng.uniform(-0.25, 0.25) * t / n
    rate = rate * trend
    series.det = rate.copy()  # the usual volume without noise (for bench/detection/oracle.py)
    shape = rng.uniform(8, 30)
    hourly = rng.gamma(shape, 1 / shape, size=n // 60 + 1)
    if noise == "hourly":
        # scaled about its mean, so that the random stream (hence the events) stays the same
        rate = rate * np.repeat(np.maximum(0.01, 1 + drift * (hourly - 1)), 60)[:n]
    elif noise == "realistic":
        # its own random stream (spawned from the seed, not drawn from rng), so the events stay the same
        own = np.random.default_rng(rng.bit_generator.seed_seq.spawn(1)[0])
        rate = rate * drifting(own, n, drift * drift / shape, own.uniform(60, 180))
    else:
        raise ValueError(f"noise is one of {NOISES}")
    eval_start = (weeks - eval_weeks) * MIN_PER_WEEK
    events = []  # the things that are not outages: (kind, start, end)
    if extras:
        # a holiday: a weekday of the evaluated weeks looks like a Sunday (or busier)
        day = eval_start // MIN_PER_DAY + int(rng.integers(0, 5))
        sl = slice(day * MIN_PER_DAY, (day + 1) * MIN_PER_DAY)
        rate[sl] *= rng.choice([0.5, 1.3])
        events.append(("holiday", sl.start, sl.stop))
        # a slow rise: +60% over six hours, then stays for a day
        s = eval_start + int(rng.integers(0, eval_weeks * MIN_PER_WEEK - 2 * MIN_PER_DAY))
        ramp = np.clip((t[s:s + MIN_PER_DAY] - s) / 360.0, 0, 1)
        rate[s:s + MIN_PER_DAY] *= 1 + 0.6 * ramp
        events.append(("slow rise", s, s + MIN_PER_DAY))
    series.usual = rate.copy()  # the usual volume with its noise and events, before the outages (oracle.py)
    truth = []
    taken = []
    for _ in range(outages):
        for _try in range(50):
            start = eval_start + int(rng.integers(60, eval_weeks * MIN_PER_WEEK - 300))
            if all(abs(start - o) > 600 for o in taken):
                break
        taken.append(start)
        factor = float(rng.choice([1.5, 2, 3, 5, 10, 40]))
        ramp_min = int(rng.integers(1, 21))
        length = int(rng.integers(20, 181))
        seg = np.arange(length)
        mult = 1 + (factor - 1) * np.minimum(1, (seg + 1) / ramp_min)
        usual = rate[start:start + length].copy()
        rate[start:start + length] = usual * mult
        extra_first_hour = float(np.sum(usual[:60] * (mult[:60] - 1)))
        truth.append(dict(start=start, end=start + length, factor=factor, ramp=ramp_min,
                          usual=float(np.mean(usual)), extra=extra_first_hour, drift=float(drift * np.sqrt(1 / shape)),
                          clear=factor >= 3 and extra_first_hour >= 20))
    counts = rng.poisson(rate)
    if extras:
        # a single noisy spike: one minute with several extra reports (not an outage)
        s = eval_start + int(rng.integers(0, eval_weeks * MIN_PER_WEEK))
        if all(not (o["start"] - 60 <= s < o["end"] + 60) for o in truth):
            counts[s] += max(4, int(3 * rate[s]))
            events.append(("spike", s, s + 1))
    series.events = events
    return counts.astype(np.int64), truth, eval_start


def known_rate(rng, lam, k, weeks=3, step_at=None):
    """A constant Poisson rate lam that jumps to k*lam for two hours."""
    n = weeks * MIN_PER_WEEK + 240
    rate = np.full(n, lam, dtype=float)
    if step_at is None:
        step_at = weeks * MIN_PER_WEEK + int(rng.integers(0, 60))
    rate[step_at:step_at + 120] = k * lam
    return rng.poisson(rate).astype(np.int64), step_at
