package org.downwatch.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.downwatch.testing.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** "It works for me" in the service's last hour and in the series, beside the report counts. */
@QuarkusTest
class WorksApiTest {

    @Inject
    TestData data;

    Instant now;

    @BeforeEach
    void lastHourAtColissimo() {
        data.clear();
        now = data.now();
        data.count("colissimo", "parcel-tracking", now.minus(10, ChronoUnit.MINUTES), 20);
        data.count("colissimo", "delivery", now.minus(40, ChronoUnit.MINUTES), 5);
        data.count("colissimo", "parcel-tracking", now.minus(2, ChronoUnit.HOURS), 50); // before the last hour
        data.works("colissimo", now.minus(10, ChronoUnit.MINUTES), 4);
        data.works("colissimo", now.minus(30, ChronoUnit.MINUTES), 3);
        data.works("colissimo", now.minus(3, ChronoUnit.HOURS), 9); // before the last hour
    }

    @Test
    void theServiceShowsBothSidesOfItsLastHour() {
        JsonPath body = given().get("/api/v1/services/colissimo").then().statusCode(200).extract().jsonPath();
        // the last 60 finished minutes (the test's minute may have ended since it started: both rows stay inside)
        Instant to = Instant.parse(body.getString("lastHour.to"));
        org.junit.jupiter.api.Assertions.assertEquals(to.minus(1, ChronoUnit.HOURS), Instant.parse(body.getString("lastHour.from")));
        org.junit.jupiter.api.Assertions.assertEquals(25, body.getInt("lastHour.reports"));
        org.junit.jupiter.api.Assertions.assertEquals(7, body.getInt("lastHour.works"));
        body.getString("status.level"); // the detector's verdict stays as it was: works is not part of it
    }

    @Test
    void theSeriesCarriesWorksPerBucketApartFromCount() {
        String from = now.minus(4, ChronoUnit.HOURS).toString();
        String to = now.toString();
        List<Map<String, Object>> points = given().get("/api/v1/services/colissimo/series?bucket=PT1H&from=" + from + "&to=" + to)
                .then().statusCode(200).extract().jsonPath().getList("points");
        int works = 0;
        int count = 0;
        for (Map<String, Object> p : points) {
            works += ((Number) p.get("works")).intValue();
            count += ((Number) p.get("count")).intValue();
        }
        org.junit.jupiter.api.Assertions.assertEquals(16, works, "every signal in one bucket or another");
        org.junit.jupiter.api.Assertions.assertEquals(75, count, "count holds the reports only");
        String minute = now.minus(10, ChronoUnit.MINUTES).toString();
        given().get("/api/v1/services/colissimo/series?bucket=PT1M&from=" + minute + "&to="
                + now.minus(9, ChronoUnit.MINUTES)).then().statusCode(200)
                .body("points[0].start", equalTo(minute)).body("points[0].count", equalTo(20)).body("points[0].works", equalTo(4));
    }
}
