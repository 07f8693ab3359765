package org.downwatch.catalog;

import static io.restassured.RestAssured.given;
import static org.downwatch.catalog.CatalogAdminProfile.admin;
import static org.downwatch.catalog.CatalogAdminProfile.unique;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.downwatch.detect.DetectionJob;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(CatalogAdminProfile.class)
class CatalogMergeTest {

    @Inject
    CatalogTestData data;

    @Inject
    DetectionJob live;

    private long id(String slug) {
        return data.number("select id from service where slug = '" + slug + "'");
    }

    private void minute(String slug, String problem, Instant minute, int count) {
        data.execute("insert into report_minute (service_id, problem_type_id, minute, count) select " + id(slug)
                + ", id, '" + minute + "', " + count + " from problem_type where slug = '" + problem + "'");
    }

    private void incident(String slug, Instant start, Instant end) {
        data.execute("insert into incident (service_id, started_at, detected_at, ended_at, report_count) values (" + id(slug)
                + ", '" + start + "', '" + start.plusSeconds(300) + "', " + (end == null ? "null" : "'" + end + "'") + ", 10)");
    }

    @Test
    void aMergeAddsBothHistoriesUpAndTheMergedSlugRedirects() {
        String source = CatalogAdminTest.create(unique("credit-x"), "Credit Source", "bank", "");
        String target = CatalogAdminTest.create(unique("target"), "Target Bank", "bank", "");
        Instant t1 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(3, ChronoUnit.HOURS);
        Instant t2 = t1.plus(1, ChronoUnit.MINUTES);
        Instant t3 = t1.plus(2, ChronoUnit.MINUTES);
        minute(source, "online-banking", t1, 3);
        minute(source, "login", t2, 2);
        minute(target, "online-banking", t1, 4);
        minute(target, "login", t3, 5);
        data.execute("insert into works_minute (service_id, minute, count) values (" + id(source) + ", '" + t1 + "', 2), ("
                + id(target) + ", '" + t1 + "', 1)");
        incident(source, t1.minus(2, ChronoUnit.DAYS), t1.minus(1, ChronoUnit.DAYS));
        incident(source, t1, null);
        incident(target, t1, null);
        long sourceId = id(source);
        long targetId = id(target);

        admin().contentType("application/json").body("{\"into\": \"" + target + "\"}")
                .post("/api/v1/admin/services/{slug}/merge", source).then().statusCode(200)
                .body("slug", equalTo(target)).body("oldSlugs", hasItem(source)).body("aliases", hasItem("Credit Source"));

        // the history adds up: per minute and problem type, and in the series the API serves
        assertEquals(0, data.number("select count(*) from report_minute where service_id = " + sourceId));
        assertEquals(14, data.number("select sum(count) from report_minute where service_id = " + targetId));
        assertEquals(7, data.number("select count from report_minute rm join problem_type pt on pt.id = rm.problem_type_id "
                + "where service_id = " + targetId + " and minute = '" + t1 + "' and pt.slug = 'online-banking'"));
        List<Integer> counts = given().get("/api/v1/services/{slug}/series?bucket=PT1M&from={from}&to={to}", target, t1.toString(),
                t1.plus(5, ChronoUnit.MINUTES).toString()).then().statusCode(200).extract().jsonPath().getList("points.count");
        assertEquals(List.of(7, 2, 5, 0, 0), counts);
        // "it works for me" follows the reports
        assertEquals(0, data.number("select count(*) from works_minute where service_id = " + sourceId));
        assertEquals(3, data.number("select sum(count) from works_minute where service_id = " + targetId));
        // incidents move with it; only the target's stays open
        assertEquals(3, data.number("select count(*) from incident where service_id = " + targetId));
        assertEquals(1, data.number("select count(*) from incident where service_id = " + targetId + " and ended_at is null"));

        given().redirects().follow(false).get("/api/v1/services/{slug}", source).then().statusCode(301)
                .header("Location", endsWith("/api/v1/services/" + target)).body("slug", equalTo(target));
        given().redirects().follow(false).get("/services/{slug}", source).then().statusCode(301)
                .header("Location", endsWith("/services/" + target));
        given().get("/api/v1/services?q=credit source").then().statusCode(200).body("items.slug", hasItem(target));
        admin().get("/api/v1/admin/audit?subject=service:{slug}", source).then().statusCode(200)
                .body("items[0].action", equalTo("service.merge")).body("items[0].details.into", equalTo(target))
                .body("items[0].details.moved.minutes", equalTo(2)).body("items[0].details.moved.incidents", equalTo(2));
    }

    @Test
    void detectionGoesOnFromTheMergedSeries() throws Exception {
        String source = CatalogAdminTest.create(unique("busy"), "Busy Source", "telecom", "");
        String target = CatalogAdminTest.create(unique("quiet"), "Quiet Target", "telecom", "");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        // three days of 5 reports a minute at the source, nothing at the target
        data.execute("insert into report_minute (service_id, problem_type_id, minute, count) select " + id(source)
                + ", (select id from problem_type where slug = 'internet'), m, 5 from generate_series(timestamptz '"
                + now.minus(3, ChronoUnit.DAYS) + "', timestamptz '" + now.minus(2, ChronoUnit.MINUTES) + "', interval '1 minute') m");
        live.evaluateUntil(now);
        String from = now.minus(3, ChronoUnit.HOURS).toString();
        assertEquals(0.0, baselines(target, from).stream().mapToDouble(Double::doubleValue).max().orElse(0), 0.5,
                "the target learned nothing yet");

        admin().contentType("application/json").body("{\"into\": \"" + target + "\"}")
                .post("/api/v1/admin/services/{slug}/merge", source).then().statusCode(200);
        // its detector relearned from the merged series: about 5 a minute, 300 an hour
        for (double b : baselines(target, from)) {
            assertTrue(b > 200 && b < 400, "baseline " + b);
        }
    }

    private static List<Double> baselines(String slug, String from) {
        return given().get("/api/v1/services/{slug}/series?bucket=PT1H&from={from}", slug, from).then().statusCode(200)
                .extract().jsonPath().getList("points.findAll { !it.partial }.baseline", Double.class);
    }

    @Test
    void aServiceIsNotMergedIntoItselfNorIntoNothing() {
        String slug = CatalogAdminTest.create(unique("lonely"), "Lonely", "bank", "");
        admin().contentType("application/json").body("{\"into\": \"" + slug + "\"}").post("/api/v1/admin/services/{slug}/merge", slug)
                .then().statusCode(400).body("errors[0].field", equalTo("into"));
        admin().contentType("application/json").body("{\"into\": \"no-such-service\"}")
                .post("/api/v1/admin/services/{slug}/merge", slug).then().statusCode(400).body("errors[0].field", equalTo("into"));
        given().get("/api/v1/services/{slug}", slug).then().statusCode(200);
    }
}
