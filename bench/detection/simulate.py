"""Realistic per-minute report series for the detection bench (numpy, seeded).

A series is a usual volume with a daily rhythm (morning, lunch and evening peaks) and a weekly one
(weekends busier or quieter by kind of service), over-dispersion, a slow trend over the five weeks, and,
in the evaluated weeks:
- outages of many sizes (1.5x to 40x) that ramp up over 1 to 20 minutes and last 20 minutes to 3 hours;
- things that are not outages (a `problem` during one is a false alarm, a `possible` is not):
  - a slow rise (+60% over six hours), a single noisy spike (one minute with several extra reports), a holiday
    (a weekday that looks like a Sunday, or busier);
  - what crowds do besides outages (issue 23): surges from news or a viral post (x1.5 to x3 at their peak,
    rising over 5 to 20 minutes and gone within the hour; one per service-week on average), collateral
    reports (half the series: people report their ISP or mobile network while a big service is down, a step
    of +30% to +100% for 30 minutes to 3 hours), and a news day (half the series: the level rises over one to
    three hours to x2 to x4 and stays for 8 to 16 hours).

Over-dispersion ("noise"):
- "crowd" (the default): a log-normal multiplier that drifts from minute to minute (an AR(1) in the log),
  calibrated on real crowd counts (NAB's realTweets, issue 23): a log sd of 0.31 to 0.57 and a correlation
  time of 20 to 60 minutes, so that drift.py reads about 0.45 and 55 minutes (seeds 1-6), as it reads 0.46 and
  about 50 minutes on the real series;
- "realistic": the previous default, the same multiplier with a correlation time of 1 to 3 hours and the
  variance of the Gamma below (drift.py reads 0.26): kept for comparison with the earlier sessions' numbers;
- "hourly": an independent Gamma multiplier per hour (mean 1, variance 1/shape, shape 8 to 30), which
  jumps at each hour; the first version of the bench.
The outages, holidays, rises and spikes are the same for a seed whichever noise is chosen, and whatever
`drift`: a factor on the multiplier's standard deviation (1 as drawn, 0.5 half as much, 0 none: Poisson counts
around the profile), for asking how the scores depend on how far real traffic drifts. The crowd events have a
random stream of their own, so adding them left the other events and the "realistic" noise of a seed as they were.
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


NOISES = ("crowd", "realistic", "hourly")
DEFAULT_NOISE = "crowd"
# bumped when a seed's series change (cached series, as tune.py keeps them, are then made again)
VERSION = 2


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


def series(rng, weeks=5, peak=None, eval_weeks=2, outages=3, extras=True, noise=DEFAULT_NOISE, drift=1.0):
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
    # the noise's and the crowd events' own random streams (spawned from the seed, not drawn from rng), so that
    # the outages and the other events stay the same whichever noise is chosen
    child = rng.bit_generator.seed_seq.spawn(1)[0]
    crowd_rng = np.random.default_rng(child.spawn(1)[0])
    own = np.random.default_rng(child)
    sd = drift * np.sqrt(1 / shape)
    if noise == "hourly":
        # scaled about its mean, so that the random stream (hence the events) stays the same
        rate = rate * np.repeat(np.maximum(0.01, 1 + drift * (hourly - 1)), 60)[:n]
    elif noise == "realistic":
        rate = rate * drifting(own, n, drift * drift / shape, own.uniform(60, 180))
    elif noise == "crowd":
        log_sd = own.uniform(0.31, 0.57)
        sd = drift * log_sd
        rate = rate * drifting(own, n, np.expm1(sd * sd), own.uniform(20, 60))
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
        # the crowd events' extra reports are drawn on their own stream below, after the counts
        crowd = np.ones(n)
        events += crowd_events(crowd_rng, crowd, eval_start, eval_weeks)
    series.usual = rate * crowd if extras else rate.copy()  # the usual volume with its noise and events, before the outages (oracle.py)
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
                          usual=float(np.mean(usual)), extra=extra_first_hour, drift=float(sd),
                          clear=factor >= 3 and extra_first_hour >= 20))
    counts = rng.poisson(rate)
    if extras:
        # the crowd events' extra reports on their own stream (Poisson counts add up), so that the draws above,
        # hence the rest of the seed, are the same as without them
        counts += crowd_rng.poisson(rate * (crowd - 1))
    if extras:
        # a single noisy spike: one minute with several extra reports (not an outage)
        s = eval_start + int(rng.integers(0, eval_weeks * MIN_PER_WEEK))
        if all(not (o["start"] - 60 <= s < o["end"] + 60) for o in truth):
            counts[s] += max(4, int(3 * rate[s]))
            events.append(("spike", s, s + 1))
    series.events = events
    return counts.astype(np.int64), truth, eval_start


EVENT_KINDS = ("holiday", "slow rise", "spike", "surge", "collateral", "news day")


def crowd_events(rng, mult, eval_start, eval_weeks):
    """What crowds do besides outages, multiplied into mult in place over the evaluated weeks:
    returns the events as (kind, start, end)."""
    n = len(mult)
    span = eval_weeks * MIN_PER_WEEK
    events = []
    # news or a viral post: a surge that rises over 5 to 20 minutes to x1.5 to x3 and falls within the hour
    for _ in range(int(rng.poisson(eval_weeks))):
        s = eval_start + int(rng.integers(0, span - 60))
        peak = float(np.exp(rng.uniform(np.log(1.5), np.log(3))))
        rise = rng.uniform(5, 20)
        fall = rng.uniform(6, 15)  # time constant: under 1.1x by 60 minutes
        t = np.arange(60, dtype=float)
        shape = np.where(t < rise, (t + 1) / rise, np.exp(-(t - rise) / fall))
        mult[s:s + 60] *= 1 + (peak - 1) * np.minimum(1, shape)
        events.append(("surge", s, s + 60))
    # collateral reports: a big service is down and people report their ISP or mobile network too, a step of
    # +30% to +100% that ramps up over 1 to 10 minutes, lasts 30 minutes to 3 hours and fades over 15 minutes
    if rng.random() < 0.5:
        length = int(rng.integers(30, 181))
        s = eval_start + int(rng.integers(0, span - length))
        extra = rng.uniform(0.3, 1.0)
        ramp = rng.uniform(1, 10)
        t = np.arange(length, dtype=float)
        mult[s:s + length] *= 1 + extra * np.minimum(1, (t + 1) / ramp) * np.minimum(1, (length - t) / 15)
        events.append(("collateral", s, s + length))
    # a news day: the level rises over one to three hours to x2 to x4, stays 8 to 16 hours and eases over two
    if rng.random() < 0.5:
        ramp = int(rng.integers(60, 181))
        hold = int(rng.integers(8 * 60, 16 * 60 + 1))
        length = ramp + hold + 120
        s = eval_start + int(rng.integers(0, span - length))
        k = rng.uniform(2, 4)
        t = np.arange(length, dtype=float)
        up = np.minimum(1, (t + 1) / ramp) * np.clip((length - t) / 120, 0, 1)
        e = min(n, s + length)
        mult[s:e] *= (1 + (k - 1) * up)[:e - s]
        events.append(("news day", s, e))
    return events


def known_rate(rng, lam, k, weeks=3, step_at=None):
    """A constant Poisson rate lam that jumps to k*lam for two hours."""
    n = weeks * MIN_PER_WEEK + 240
    rate = np.full(n, lam, dtype=float)
    if step_at is None:
        step_at = weeks * MIN_PER_WEEK + int(rng.integers(0, 60))
    rate[step_at:step_at + 120] = k * lam
    return rng.poisson(rate).astype(np.int64), step_at
