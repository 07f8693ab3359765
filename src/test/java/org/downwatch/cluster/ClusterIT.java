package org.downwatch.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two instances of the packaged application on one database and the machine's Redis, as processes of
 * their own: what they share (de-duplication in PostgreSQL, rate limits in Redis), one evaluation of each
 * minute between them, and the survivor taking over detection after a {@code kill -9} of the evaluating
 * one without a second incident. Takes about two minutes: detection works minute by minute.
 * <p>
 * Database: {@code DOWNWATCH_IT_DB_URL}, else the tests' database name with {@code _it} appended (dropped
 * and created here).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final String EVALUATIONS = "downwatch_detect_evaluation_seconds_count";
    private static final int REPORT_LIMIT = 5;
    private static String dbUrl;
    private static Instance a;
    private static Instance b;

    @BeforeAll
    static void start() throws Exception {
        String testDb = System.getenv().getOrDefault("DOWNWATCH_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:5432/downwatch_test");
        dbUrl = System.getenv().getOrDefault("DOWNWATCH_IT_DB_URL", testDb.replaceFirst("(\\?.*)?$", "_it$1"));
        String name = dbUrl.replaceFirst("^.*/([^/?]+)(\\?.*)?$", "$1");
        try (Connection c = DriverManager.getConnection(dbUrl.replace("/" + name, "/postgres"), "postgres", "");
                Statement st = c.createStatement()) {
            st.execute("drop database if exists " + name + " with (force)");
            st.execute("create database " + name);
        }
        Map<String, String> env = Map.of("QUARKUS_DATASOURCE_JDBC_URL", dbUrl,
                "QUARKUS_REDIS_HOSTS", "redis://127.0.0.1:6379",
                "DOWNWATCH_RATE_LIMIT_REDIS_PREFIX", "downwatch-it:" + UUID.randomUUID() + ":",
                "DOWNWATCH_REPORT_RATE_LIMIT", Integer.toString(REPORT_LIMIT));
        // one after the other: the first one migrates the empty database
        a = Instance.start("a", env);
        b = Instance.start("b", env);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (Instance i : new Instance[] {a, b}) {
            if (i != null) {
                i.close();
            }
        }
    }

    private static <T> T sql(String query, Class<T> type) throws SQLException {
        try (Connection c = DriverManager.getConnection(dbUrl, "postgres", ""); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            return rs.next() ? rs.getObject(1, type) : null;
        }
    }

    /** The last minute the cluster evaluated (epoch minutes), or -1. */
    private static long evaluatedUntil() throws SQLException {
        String v = sql("select value from app_setting where key = 'detect.evaluated-until'", String.class);
        return v == null ? -1 : Instant.parse(v).getEpochSecond() / 60;
    }

    private static void await(String what, Duration timeout, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            assertTrue(System.nanoTime() < deadline, "still not " + what + " after " + timeout);
            Thread.sleep(250);
        }
    }

    @Test
    @Order(1)
    void samePersonReportingThroughBothInstancesIsCountedOnce() throws Exception {
        HttpResponse<String> first = a.report("sncf-connect", "booking", "203.0.113.10", "it/same-person");
        assertEquals(201, first.statusCode(), first.body());
        HttpResponse<String> again = b.report("sncf-connect", "booking", "203.0.113.10", "it/same-person");
        assertEquals(200, again.statusCode(), again.body());
        assertTrue(again.body().contains("\"counted\":false"), again.body());
        assertEquals(1L, sql("select count(*) from report r join service s on s.id = r.service_id where s.slug = 'sncf-connect'", Long.class));
        assertEquals(1L, sql("select coalesce(sum(m.count), 0) from report_minute m join service s on s.id = m.service_id "
                + "where s.slug = 'sncf-connect'", Long.class));
    }

    @Test
    @Order(2)
    void reportLimitHoldsAcrossBothInstances() throws Exception {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4 * REPORT_LIMIT; i++) {
            Instance via = i % 2 == 0 ? a : b;
            statuses.add(via.report("sncf-connect", "booking", "203.0.113.20", "it/limit-" + i).statusCode());
        }
        long accepted = statuses.stream().filter(s -> s != 429).count();
        // the limit once across both (each alone would accept it: twice the limit), give or take a token or
        // two let through on a stale view (a decision does not wait for Redis: the other instance's last
        // token, or an answer still on its way), which the shared bucket then owes
        assertTrue(accepted >= REPORT_LIMIT && accepted <= REPORT_LIMIT + 2, "statuses " + statuses);
        assertEquals(429, statuses.get(statuses.size() - 1), "statuses " + statuses);
    }

    @Test
    @Order(3)
    void oneEvaluationPerMinuteAndTheSurvivorTakesOverWithoutASecondIncident() throws Exception {
        // both instances evaluated or followed at least one minute: they are warm
        await("a first evaluation", Duration.ofSeconds(75), () -> evaluatedUntil() >= 0);
        // clear of second 5, when the minute is evaluated, so that the counts below start between two evaluations
        while (Instant.now().getEpochSecond() % 60 >= 2 && Instant.now().getEpochSecond() % 60 <= 12) {
            Thread.sleep(250);
        }
        // the planted outage: 25 people within a minute (a service without history: 20 in 15 minutes), on 25
        // networks (a /24 counts 10 at most, and a level needs 5 distinct /24s)
        for (int i = 0; i < 25; i++) {
            HttpResponse<String> r = (i % 2 == 0 ? a : b).report("la-poste", "parcel-tracking", "198.18." + (100 + i) + ".7", "it/outage");
            assertEquals(201, r.statusCode(), r.body());
        }
        long planted = Instant.now().getEpochSecond() / 60;
        Watch watch = new Watch();
        long from = evaluatedUntil();
        await("the planted minute evaluated", Duration.ofSeconds(80), () -> watch.update() && evaluatedUntil() >= planted);
        long until = evaluatedUntil();
        watch.update();
        // every minute once, by one instance or the other: never both
        assertEquals(until - from, (long) (watch.da + watch.db), "evaluations a " + watch.da + ", b " + watch.db
                + " for minutes " + from + ".." + until);
        assertEquals(1L, incidents(), "one incident for the planted outage");
        assertEquals(1L, sql("select count(*) from incident i join service s on s.id = i.service_id "
                + "where s.slug = 'la-poste' and i.ended_at is null", Long.class));

        // kill -9 the one that evaluated last (the "leader"); the other one takes the lock at the next minute
        Instance leader = watch.last;
        Instance survivor = leader == a ? b : a;
        double s0 = survivor.metric(EVALUATIONS);
        long killedAt = evaluatedUntil();
        leader.kill();
        await("the survivor evaluating", Duration.ofSeconds(80), () -> evaluatedUntil() > killedAt);
        assertTrue(survivor.metric(EVALUATIONS) > s0, "the survivor evaluated");
        assertEquals(1L, incidents(), "still one incident: the survivor adopted the open one");
        assertEquals(1L, sql("select count(*) from incident i join service s on s.id = i.service_id "
                + "where s.slug = 'la-poste' and i.ended_at is null", Long.class));
        // no minute lost: the status of every service is the last evaluated minute's
        assertEquals(0L, sql("select count(*) from service_status where evaluated_at <> (select max(evaluated_at) from service_status)", Long.class));
        assertTrue(survivor.alive());
    }

    private static long incidents() throws SQLException {
        return sql("select count(*) from incident i join service s on s.id = i.service_id where s.slug = 'la-poste'", Long.class);
    }

    /** Evaluations counted by each instance since it was made, and which one counted the last. */
    private static final class Watch {
        private final double a0;
        private final double b0;
        double da;
        double db;
        Instance last;

        Watch() throws Exception {
            a0 = a.metric(EVALUATIONS);
            b0 = b.metric(EVALUATIONS);
        }

        boolean update() throws Exception {
            double na = a.metric(EVALUATIONS) - a0;
            double nb = b.metric(EVALUATIONS) - b0;
            if (na > da) {
                last = a;
            }
            if (nb > db) {
                last = b;
            }
            da = na;
            db = nb;
            return true;
        }
    }
}
