package org.downwatch.demo;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The demo's model of report traffic: a usual volume per service with a daily and weekly rhythm and
 * over-dispersed noise, plus a few outages, among them La Poste's of this morning (parcel tracking,
 * online registered letters and stamp printing, as on 19 October 2023, with Colissimo and Chronopost of the
 * same group and an ISP people blamed within minutes) and a morning two days ago when
 * Meta's apps went down together and people reported their ISP too. Plain Java, no framework.
 */
public final class DemoTraffic {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    /** Reports per minute at the busiest hour of a weekday, for the services people report most. */
    private static final Map<String, Double> PEAK_RATE = Map.ofEntries(
            Map.entry("la-poste", 0.9), Map.entry("orange", 1.6), Map.entry("sfr", 1.1),
            Map.entry("bouygues-telecom", 0.8), Map.entry("free", 1.0), Map.entry("free-mobile", 0.7),
            Map.entry("facebook", 1.2), Map.entry("instagram", 1.3), Map.entry("whatsapp", 1.4),
            Map.entry("youtube", 1.0), Map.entry("netflix", 0.8), Map.entry("x", 0.9),
            Map.entry("credit-agricole", 0.6), Map.entry("bnp-paribas", 0.5), Map.entry("sncf-connect", 0.7),
            Map.entry("gmail", 0.6), Map.entry("outlook", 0.5), Map.entry("steam", 0.5),
            Map.entry("playstation-network", 0.5), Map.entry("ameli", 0.4), Map.entry("caf", 0.4));

    /** One outage: a service, the problem types reported (weights), when it ramps up and how big. */
    record Outage(String service, Instant start, Instant end, double peakFactor, int rampMinutes,
            Map<String, Double> problems) {

        /** How many times the usual volume, at {@code t} (1 outside the outage). */
        double factor(Instant t) {
            if (t.isBefore(start) || !t.isBefore(end)) {
                return 1;
            }
            double minutes = ChronoUnit.SECONDS.between(start, t) / 60.0;
            double ramp = Math.min(1, minutes / rampMinutes);
            double toEnd = ChronoUnit.SECONDS.between(t, end) / 60.0;
            double fade = Math.min(1, toEnd / 30.0); // the last half hour fades out
            // after three hours the outage slowly eases, as people give up or things partly work again
            double easing = minutes > 180 ? Math.max(0.3, Math.exp(-(minutes - 180) / 300.0)) : 1;
            return 1 + (peakFactor - 1) * ramp * fade * easing;
        }
    }

    private final List<Outage> outages;

    public DemoTraffic(Instant now) {
        this.outages = outagesAround(now);
    }

    /** The demo's outages as seen from {@code now}: La Poste this morning, and a few older ones. */
    static List<Outage> outagesAround(Instant now) {
        ZonedDateTime paris = now.atZone(PARIS);
        LocalDate day = paris.toLocalDate();
        if (paris.toLocalTime().isBefore(java.time.LocalTime.of(6, 45))) {
            day = day.minusDays(1); // "this morning" has not happened yet: show yesterday's
        }
        Instant laPosteStart = day.atTime(6, 4).atZone(PARIS).toInstant();
        Instant laPosteEnd = day.atTime(22, 0).atZone(PARIS).toInstant();
        Instant orangeStart = day.minusDays(3).atTime(18, 10).atZone(PARIS).toInstant();
        Instant instagramStart = day.minusDays(9).atTime(14, 2).atZone(PARIS).toInstant();
        Instant steamStart = day.minusDays(5).atTime(21, 30).atZone(PARIS).toInstant();
        // many services at once: Meta's apps within minutes, and people blaming their ISP too (collateral)
        Instant metaStart = day.minusDays(2).atTime(9, 12).atZone(PARIS).toInstant();
        return List.of(
                new Outage("facebook", metaStart, metaStart.plus(80, ChronoUnit.MINUTES), 20, 4,
                        Map.of("feed", 0.5, "login", 0.3, "posting", 0.2)),
                new Outage("instagram", metaStart.plus(2, ChronoUnit.MINUTES), metaStart.plus(85, ChronoUnit.MINUTES), 18, 4,
                        Map.of("feed", 0.6, "posting", 0.25, "login", 0.15)),
                new Outage("whatsapp", metaStart.plus(1, ChronoUnit.MINUTES), metaStart.plus(75, ChronoUnit.MINUTES), 22, 3,
                        Map.of("sending-messages", 0.6, "connection", 0.3, "calls", 0.1)),
                new Outage("messenger", metaStart.plus(4, ChronoUnit.MINUTES), metaStart.plus(70, ChronoUnit.MINUTES), 15, 5,
                        Map.of("sending-messages", 0.7, "connection", 0.3)),
                new Outage("orange", metaStart.plus(5, ChronoUnit.MINUTES), metaStart.plus(60, ChronoUnit.MINUTES), 4, 5,
                        Map.of("internet", 0.6, "mobile-network", 0.4)),
                new Outage("sfr", metaStart.plus(6, ChronoUnit.MINUTES), metaStart.plus(55, ChronoUnit.MINUTES), 4, 5,
                        Map.of("internet", 0.6, "mobile-network", 0.4)),
                new Outage("la-poste", laPosteStart, laPosteEnd, 30, 35,
                        Map.of("parcel-tracking", 0.55, "registered-letter", 0.22, "stamp-printing", 0.13,
                                "website", 0.06, "login", 0.04)),
                // the same morning, the group's other brands share its parcel systems (provider Groupe La Poste),
                // and a few people blame their ISP: many services at once, with a collateral ISP
                new Outage("colissimo", laPosteStart.plus(2, ChronoUnit.MINUTES), laPosteEnd, 40, 8,
                        Map.of("parcel-tracking", 0.75, "delivery", 0.15, "website", 0.1)),
                new Outage("chronopost", laPosteStart.plus(3, ChronoUnit.MINUTES), laPosteEnd, 60, 5,
                        Map.of("parcel-tracking", 0.7, "delivery", 0.2, "website", 0.1)),
                new Outage("orange", laPosteStart.plus(6, ChronoUnit.MINUTES), laPosteStart.plus(75, ChronoUnit.MINUTES), 8, 4,
                        Map.of("internet", 0.7, "mobile-network", 0.3)),
                new Outage("orange", orangeStart, orangeStart.plus(140, ChronoUnit.MINUTES), 12, 10,
                        Map.of("internet", 0.7, "tv", 0.15, "landline", 0.1, "mobile-network", 0.05)),
                new Outage("instagram", instagramStart, instagramStart.plus(95, ChronoUnit.MINUTES), 25, 5,
                        Map.of("feed", 0.5, "login", 0.3, "posting", 0.2)),
                new Outage("steam", steamStart, steamStart.plus(50, ChronoUnit.MINUTES), 6, 15,
                        Map.of("game-servers", 0.5, "login", 0.3, "store", 0.2)));
    }

    List<Outage> outages() {
        return outages;
    }

    /** Reports per minute at the busiest hour of a weekday. */
    static double peakRate(String slug) {
        Double known = PEAK_RATE.get(slug);
        if (known != null) {
            return known;
        }
        // the others: between 0.08 and 0.35 a minute, stable per service
        return 0.08 + (Math.floorMod(slug.hashCode(), 1000) / 1000.0) * 0.27;
    }

    /** The usual reports per minute for this service at minute {@code t} (no outage). */
    static double usualRate(String slug, String category, Instant t) {
        ZonedDateTime local = t.atZone(PARIS);
        double hour = local.getHour() + local.getMinute() / 60.0;
        // people report when they are awake and using things: a morning rise, lunch, and an evening peak
        double daily = 0.06 + 0.55 * bump(hour, 9.5, 2.2) + 0.45 * bump(hour, 13, 1.8) + 0.75 * bump(hour, 20.5, 2.4);
        boolean weekend = local.getDayOfWeek() == DayOfWeek.SATURDAY || local.getDayOfWeek() == DayOfWeek.SUNDAY;
        double weekly = switch (category) {
            case "games", "streaming", "social", "messaging" -> weekend ? 1.25 : 1.0;
            case "bank", "postal", "public", "cloud", "email" -> weekend ? 0.55 : 1.0;
            default -> weekend ? 0.85 : 1.0;
        };
        return peakRate(slug) * Math.min(1.0, daily) * weekly;
    }

    private static double bump(double hour, double centre, double width) {
        double d = Math.abs(hour - centre);
        d = Math.min(d, 24 - d);
        return Math.exp(-0.5 * (d / width) * (d / width));
    }

    /** Expected reports at minute {@code t} for the service, outages included. */
    double rate(String slug, String category, Instant t) {
        double r = usualRate(slug, category, t);
        for (Outage o : outages) {
            if (o.service.equals(slug)) {
                r *= o.factor(t);
            }
        }
        return r;
    }

    /**
     * Expected "it works for me" signals at minute {@code t}: a few of the people who come to the page on a
     * usual day say so; during an outage the page's crowd grows, and some for whom it still works say so too.
     */
    double worksRate(String slug, String category, Instant t) {
        double usual = usualRate(slug, category, t);
        return outageAt(slug, t) == null ? usual * 0.25 : rate(slug, category, t) * 0.12;
    }

    /** The outage of this service going on at {@code t}, if any. */
    Outage outageAt(String slug, Instant t) {
        for (Outage o : outages) {
            if (o.service.equals(slug) && o.factor(t) > 1.5) {
                return o;
            }
        }
        return null;
    }

    /** A Poisson draw (Knuth for small means, a rounded normal for large ones). */
    static int poisson(SplittableRandom random, double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 40) {
            return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
        }
        double l = Math.exp(-mean);
        int k = 0;
        double p = 1;
        do {
            k++;
            p *= random.nextDouble();
        } while (p > l);
        return k - 1;
    }

    /** A Gamma(shape, 1/shape) draw: mean 1, used for over-dispersion of the hourly volume. */
    static double gammaNoise(SplittableRandom random, double shape) {
        // Marsaglia and Tsang, shape >= 1
        double d = shape - 1.0 / 3, c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = random.nextGaussian(), v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = random.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return d * v / shape;
            }
        }
    }
}
