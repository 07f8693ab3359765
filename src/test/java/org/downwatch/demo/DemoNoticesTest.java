package org.downwatch.demo;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.downwatch.testing.TestData;
import org.junit.jupiter.api.Test;

/** The demo's notices: La Poste's word 23 minutes after its outage began, Steam's and Ameli's maintenance. */
@QuarkusTest
class DemoNoticesTest {

    @Inject
    AgroalDataSource ds;
    @Inject
    TestData data;

    @Test
    void writesLaPostesNoticeAndTwoMaintenanceWindowsWithoutWebhookEvents() throws Exception {
        data.clear();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Instant laPoste = DemoTraffic.outagesAround(now).stream().filter(o -> o.service().equals("la-poste")).findFirst()
                .orElseThrow().start();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("delete from service_notice");
            long events = count(st, "select count(*) from webhook_outbox where type = 'notice.posted'");
            DemoNotices.write(c, now);
            DemoNotices.write(c, now); // replaced, not added
            try (ResultSet rs = st.executeQuery("select posted_at from service_notice n join service s on s.id = n.service_id "
                    + "where s.slug = 'la-poste' and kind = 'identified' and source = 'demo'")) {
                assertTrue(rs.next());
                assertEquals(Duration.ofMinutes(23), Duration.between(laPoste, rs.getTimestamp(1).toInstant()));
                assertTrue(!rs.next(), "one notice");
            }
            assertEquals(2, count(st, "select count(*) from service_notice where kind = 'maintenance'"));
            assertEquals(events, count(st, "select count(*) from webhook_outbox where type = 'notice.posted'"),
                    "the demo's notices are not sent to webhooks");
        }
        given().get("/services/ameli?lang=en").then().statusCode(200).body(containsString("Planned maintenance in progress"));
        given().get("/services/la-poste?lang=fr").then().statusCode(200).body(containsString("Ce que dit La Poste"));
    }

    private static long count(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
