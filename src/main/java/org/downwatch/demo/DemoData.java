package org.downwatch.demo;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.downwatch.catalog.Catalog;
import org.downwatch.catalog.ProblemType;
import org.downwatch.catalog.Service;
import org.downwatch.detect.HistoryImported;
import org.downwatch.region.FrenchPlaces;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

/**
 * Fills the dev/demo database with 14 days of report history and keeps it going minute by minute,
 * so that the run command shows a site worth looking at. Enabled by {@code downwatch.demo.enabled},
 * which only the dev profile sets: demo data never reaches production or the tests.
 * Raw JDBC with COPY: hundreds of thousands of rows in a second or two.
 */
@ApplicationScoped
public class DemoData {

    private static final Logger LOG = Logger.getLogger(DemoData.class);
    private static final Duration STALE_AFTER = Duration.ofMinutes(10);
    private static final String[] COUNTRIES = { "FR", "FR", "FR", "FR", "BE", "CH", "DE", "GB", "US", "ES", "IT", "CA" };
    /** French cities (INSEE, via the map data): a département drawn by its population, then one of its towns by theirs. */
    private static final List<List<FrenchPlaces.City>> FR_TOWNS = new java.util.ArrayList<>();
    private static final List<long[]> FR_TOWN_WEIGHTS = new java.util.ArrayList<>();
    private static final long[] FR_DEPARTEMENTS;

    static {
        Map<String, List<FrenchPlaces.City>> byDep = new java.util.LinkedHashMap<>();
        for (FrenchPlaces.City c : FrenchPlaces.get().cities()) {
            byDep.computeIfAbsent(c.departement(), d -> new java.util.ArrayList<>()).add(c);
        }
        List<Long> weights = new java.util.ArrayList<>();
        byDep.forEach((dep, towns) -> {
            FR_TOWNS.add(towns);
            FR_TOWN_WEIGHTS.add(cumulative(towns.stream().mapToLong(FrenchPlaces.City::population).toArray()));
            weights.add(FrenchPlaces.get().populations().getOrDefault(dep, 0L));
        });
        FR_DEPARTEMENTS = cumulative(weights.stream().mapToLong(Long::longValue).toArray());
    }

    private final boolean enabled;
    private final Duration history;
    private final AgroalDataSource dataSource;
    private final Catalog catalog;
    private final Event<HistoryImported> generated;
    private volatile Instant until;

    DemoData(DemoConfig config, AgroalDataSource dataSource, Catalog catalog, Event<HistoryImported> generated) {
        this.enabled = config.enabled();
        this.history = config.history();
        this.dataSource = dataSource;
        this.catalog = catalog;
        this.generated = generated;
    }

    void onStart(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        try {
            Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
            Instant last = lastGenerated();
            if (last != null && Duration.between(last, now).compareTo(STALE_AFTER) < 0) {
                until = last;
                tick();
                LOG.infof("Demo data: keeping the history generated up to %s", last);
                return;
            }
            long t0 = System.nanoTime();
            long rows = regenerate(now.minus(history), now);
            LOG.infof("Demo data: %d reports over the last %d days generated in %d ms", rows, history.toDays(),
                    (System.nanoTime() - t0) / 1_000_000);
            generated.fire(new HistoryImported(now.minus(history), now));
        } catch (SQLException e) {
            LOG.error("Demo data could not be generated", e);
        }
    }

    /** Adds the minutes that went by since the last run, so that the demo stays alive. */
    @Scheduled(every = "60s", delayed = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        Instant from = until;
        if (!enabled || from == null) {
            return;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        if (!now.isAfter(from)) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            write(c, from, now, false);
            c.commit();
            until = now;
        } catch (SQLException e) {
            LOG.warn("Demo data: could not add the last minutes", e);
        }
    }

    private Instant lastGenerated() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select value from app_setting where key = 'demo.until'")) {
            return rs.next() ? Instant.parse(rs.getString(1)) : null;
        }
    }

    /** Replaces all demo reports by a fresh history over [from, to); returns the number of reports. */
    long regenerate(Instant from, Instant to) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("select ensure_report_partitions(cast('" + LocalDate.ofInstant(from, ZoneOffset.UTC).minusDays(1)
                        + "' as date), cast('" + LocalDate.ofInstant(to, ZoneOffset.UTC).plusDays(1) + "' as date))");
                st.execute("delete from report where source = 'demo'");
                st.execute("delete from works_minute");
                // the history changed under the detector: its verdicts and incidents are re-derived
                st.execute("delete from incident");
                st.execute("delete from service_status");
                // the demo pretends its services have been followed since its history starts (no "added recently")
                st.execute("update service set created_at = least(created_at, '" + from + "'::timestamptz)");
                st.execute("update catalog_version set version = version + 1, changed_at = now()");
            }
            long rows = write(c, from, to, true);
            DemoNotices.write(c, to);
            try (Statement st = c.createStatement()) {
                st.execute("delete from report_minute");
                st.execute("insert into report_minute (service_id, problem_type_id, minute, count) "
                        + "select service_id, problem_type_id, date_trunc('minute', received_at), count(*) "
                        + "from report group by 1, 2, 3");
            }
            c.commit();
            until = to;
            return rows;
        }
    }

    /**
     * Draws the demo reports of every service over [from, to) and writes them with COPY; unless
     * {@code rawOnly}, also moves the per-minute counts. Records {@code to} as the demo's end.
     */
    private long write(Connection c, Instant from, Instant to, boolean rawOnly) throws SQLException {
        DemoTraffic traffic = new DemoTraffic(to);
        SplittableRandom random = new SplittableRandom(from.getEpochSecond());
        // a stream of its own, so that the reports drawn stay those of before "it works for me" existed
        SplittableRandom worksRandom = new SplittableRandom(from.getEpochSecond() ^ 0x2A5F_0C4B_91E3_77D1L);
        HexFormat hex = HexFormat.of();
        StringBuilder copy = new StringBuilder(1 << 20);
        StringBuilder minutes = new StringBuilder();
        StringBuilder works = new StringBuilder();
        long rows = 0;
        byte[] hash = new byte[32];
        for (Service s : catalog.services()) {
            List<ProblemType> types = catalog.problemTypes(s.id);
            if (types.isEmpty()) {
                continue;
            }
            double noise = 1;
            for (Instant m = from; m.isBefore(to); m = m.plus(1, ChronoUnit.MINUTES)) {
                if (m.getEpochSecond() % 3600 == 0 || m.equals(from)) {
                    noise = DemoTraffic.gammaNoise(random, 12); // over-dispersion: the hourly volume wanders
                }
                int w = DemoTraffic.poisson(worksRandom, traffic.worksRate(s.slug, s.category, m) * noise);
                if (w > 0) {
                    works.append(s.id).append('\t').append(m).append('\t').append(w).append('\n');
                }
                int n = DemoTraffic.poisson(random, traffic.rate(s.slug, s.category, m) * noise);
                if (n == 0) {
                    continue;
                }
                DemoTraffic.Outage outage = traffic.outageAt(s.slug, m);
                int[] perType = new int[types.size()];
                for (int i = 0; i < n; i++) {
                    int t = pickType(random, types, outage);
                    perType[t]++;
                    random.nextBytes(hash);
                    String country = s.country != null && random.nextDouble() < 0.93 ? s.country
                            : COUNTRIES[random.nextInt(COUNTRIES.length)];
                    // as people fill the optional fields: most French reporters give a city, many a postcode too
                    String city = "\\N";
                    String postcode = "\\N";
                    if ("FR".equals(country) && random.nextDouble() < 0.75) {
                        FrenchPlaces.City where = frenchCity(random);
                        double u = random.nextDouble();
                        if (u < 0.85) {
                            city = where.name();
                        }
                        if (u > 0.35 && !where.postcodes().isEmpty()) {
                            postcode = where.postcodes().get(random.nextInt(where.postcodes().size()));
                        }
                    }
                    Instant at = m.plusMillis(random.nextInt(60_000));
                    copy.append(s.id).append('\t').append(types.get(t).id).append('\t').append(at).append('\t')
                            .append(country).append('\t').append(city).append('\t').append(postcode).append("\tdemo\t\\\\x")
                            .append(hex.formatHex(hash)).append('\n');
                    rows++;
                }
                if (!rawOnly) {
                    for (int t = 0; t < perType.length; t++) {
                        if (perType[t] > 0) {
                            minutes.append(s.id).append('\t').append(types.get(t).id).append('\t').append(m)
                                    .append('\t').append(perType[t]).append('\n');
                        }
                    }
                }
                if (copy.length() > (1 << 20)) {
                    copyReports(c, copy);
                }
            }
        }
        copyReports(c, copy);
        if (!rawOnly && minutes.length() > 0) {
            try (Statement st = c.createStatement()) {
                st.execute("create temporary table demo_minute (like report_minute) on commit drop");
            }
            copyIn(c, "copy demo_minute (service_id, problem_type_id, minute, count) from stdin", minutes);
            try (Statement st = c.createStatement()) {
                st.execute("insert into report_minute select * from demo_minute on conflict (service_id, minute, problem_type_id) "
                        + "do update set count = report_minute.count + excluded.count");
            }
        }
        if (works.length() > 0) {
            // "it works for me" signals: per-minute counts only, as the writer keeps them
            try (Statement st = c.createStatement()) {
                st.execute("create temporary table demo_works (like works_minute) on commit drop");
            }
            copyIn(c, "copy demo_works (service_id, minute, count) from stdin", works);
            try (Statement st = c.createStatement()) {
                st.execute("insert into works_minute select * from demo_works on conflict (service_id, minute) "
                        + "do update set count = works_minute.count + excluded.count");
            }
        }
        try (PreparedStatement ps = c.prepareStatement("insert into app_setting (key, value, updated_at) values ('demo.until', ?, now()) "
                + "on conflict (key) do update set value = excluded.value, updated_at = now()")) {
            ps.setString(1, to.toString());
            ps.executeUpdate();
        }
        return rows;
    }

    private static int pickType(SplittableRandom random, List<ProblemType> types, DemoTraffic.Outage outage) {
        if (outage != null && random.nextDouble() < 0.9) {
            double u = random.nextDouble(), acc = 0;
            for (Map.Entry<String, Double> e : outage.problems().entrySet()) {
                acc += e.getValue();
                if (u < acc) {
                    for (int i = 0; i < types.size(); i++) {
                        if (types.get(i).slug.equals(e.getKey())) {
                            return i;
                        }
                    }
                }
            }
        }
        // usual days: the first problem types are the common ones
        double total = 0;
        for (int i = 0; i < types.size(); i++) {
            total += 1.0 / (i + 1);
        }
        double u = random.nextDouble() * total;
        for (int i = 0; i < types.size(); i++) {
            u -= 1.0 / (i + 1);
            if (u <= 0) {
                return i;
            }
        }
        return types.size() - 1;
    }

    private static long[] cumulative(long[] weights) {
        long[] out = new long[weights.length];
        long sum = 0;
        for (int i = 0; i < out.length; i++) {
            sum += Math.max(1, weights[i]);
            out[i] = sum;
        }
        return out;
    }

    /** The first index whose cumulative weight is above a uniform draw: an index drawn in proportion to its weight. */
    private static int draw(SplittableRandom random, long[] cumulative) {
        long u = random.nextLong(cumulative[cumulative.length - 1]);
        int i = java.util.Arrays.binarySearch(cumulative, u + 1);
        return i >= 0 ? i : -i - 1;
    }

    /** A French town: Paris most often, but Aurillac too, as reports follow where people live. */
    private static FrenchPlaces.City frenchCity(SplittableRandom random) {
        int d = draw(random, FR_DEPARTEMENTS);
        return FR_TOWNS.get(d).get(draw(random, FR_TOWN_WEIGHTS.get(d)));
    }

    private static void copyReports(Connection c, StringBuilder rows) throws SQLException {
        copyIn(c, "copy report (service_id, problem_type_id, received_at, country, city, postcode, source, reporter_hash) from stdin", rows);
    }

    private static void copyIn(Connection c, String sql, StringBuilder rows) throws SQLException {
        if (rows.length() == 0) {
            return;
        }
        try {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, new StringReader(rows.toString()));
        } catch (java.io.IOException e) {
            throw new SQLException("COPY failed", e);
        }
        rows.setLength(0);
    }
}
