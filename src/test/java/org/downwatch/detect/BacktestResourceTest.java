package org.downwatch.detect;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class BacktestResourceTest {

    static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");

    /** {@code minutes} rows a minute apart at {@code rate}, then {@code stepMinutes} at {@code stepRate}. */
    static String series(int minutes, int rate, int stepMinutes, int stepRate) {
        StringBuilder sb = new StringBuilder("timestamp,count\n");
        for (int i = 0; i < minutes + stepMinutes; i++) {
            sb.append(T0.plusSeconds(60L * i)).append(',').append(i < minutes ? rate : stepRate).append('\n');
        }
        return sb.toString();
    }

    @Test
    void answersOneRowPerInputRowAsCsvAndFlagsAStep() {
        String body = given().contentType("text/csv").body(series(4 * 1440, 2, 10, 40))
                .when().post("/api/v1/backtest")
                .then().statusCode(200).contentType(startsWith("text/csv"))
                .extract().asString();
        String[] lines = body.split("\n");
        assertEquals("timestamp,count,baseline,upper,score,anomaly", lines[0]);
        assertEquals(4 * 1440 + 10 + 1, lines.length);
        assertTrue(lines[1].startsWith("2026-01-05T00:00:00Z,2,"), lines[1]);
        String day2 = lines[3 * 1440 + 600];
        assertTrue(day2.endsWith(",0"), "no anomaly on a flat series: " + day2);
        assertEquals("2.0", day2.split(",")[2].length() > 3 ? day2.split(",")[2].substring(0, 3) : day2.split(",")[2] + ".0",
                "the baseline learned 2 a minute: " + day2);
        String step = lines[4 * 1440 + 1];
        assertTrue(step.endsWith(",1"), "the step is a problem at once: " + step);
    }

    @Test
    void acceptsByteOrderMarkAndCrlfAndEchoesTimestampsAsSent() {
        String body = "\uFEFFtimestamp,count\r\n2026-01-05T06:00:00,1\r\n2026-01-05T07:01:00+01:00,0\r\n2026-01-05T06:02:00.000Z,3\r\n";
        given().contentType("text/csv").body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .when().post("/api/v1/backtest")
                .then().statusCode(200)
                .body(startsWith("timestamp,count,baseline,upper,score,anomaly\n2026-01-05T06:00:00,1,"))
                .body(containsString("\n2026-01-05T07:01:00+01:00,0,"))
                .body(containsString("\n2026-01-05T06:02:00.000Z,3,"));
    }

    @Test
    void answersJsonWithAcceptJson() {
        given().contentType("text/csv").accept("application/json").body(series(3, 1, 0, 0))
                .when().post("/api/v1/backtest")
                .then().statusCode(200).contentType(startsWith("application/json"))
                .body("$", hasSize(3))
                .body("[0].timestamp", equalTo("2026-01-05T00:00:00Z"))
                .body("[0].count", equalTo(1))
                .body("[0].anomaly", equalTo(0))
                .body("[2].upper", equalTo(19));
    }

    @Test
    void truncatingTheInputNeverChangesEarlierRows() {
        String full = series(1440 + 200, 3, 30, 25);
        String cut = full.substring(0, full.indexOf(T0.plusSeconds(60L * (1440 + 215)).toString()));
        String a = given().contentType("text/csv").body(full).post("/api/v1/backtest").then().statusCode(200).extract().asString();
        String b = given().contentType("text/csv").body(cut).post("/api/v1/backtest").then().statusCode(200).extract().asString();
        assertTrue(a.startsWith(b), "the answer to a prefix is a prefix of the answer");
    }

    @Test
    void gapsAreMissingDataAndTheBucketComesFromTheFirstTwoRows() {
        String body = "timestamp,count\n2026-01-05T06:00:00Z,4\n2026-01-05T06:05:00Z,5\n2026-01-05T06:20:00Z,3\n";
        given().contentType("text/csv").body(body).post("/api/v1/backtest").then().statusCode(200)
                .body(containsString("2026-01-05T06:20:00Z,3,"));
        given().contentType("text/csv").body(body).queryParam("bucket", "PT1M").post("/api/v1/backtest").then().statusCode(200);
        given().contentType("text/csv").body(body).queryParam("bucket", "PT10M").post("/api/v1/backtest").then().statusCode(400)
                .body("detail", containsString("Line 3"));
    }

    @Test
    void rejectsMalformedInputNamingThePhysicalLine() {
        List<String[]> cases = List.of(
                new String[] { "time,count\n2026-01-05T06:00:00Z,1\n", "Line 1" },
                new String[] { "timestamp,count\n2026-01-05T06:00:00Z,1\n2026-01-05T06:01:00Z,-1\n", "Line 3" },
                new String[] { "timestamp,count\r\n2026-01-05T06:00:00Z,1\r\n2026-01-05T06:01:00Z,1\r\nyesterday,2\r\n", "Line 4" },
                new String[] { "timestamp,count\n2026-01-05T06:00:00Z,1\n2026-01-05T06:01:00Z,1.5\n", "Line 3" },
                new String[] { "timestamp,count\n2026-01-05T06:01:00Z,1\n2026-01-05T06:00:00Z,1\n", "Line 3" },
                new String[] { "timestamp,count\n2026-01-05T06:00:00Z,1\n2026-01-05T06:02:00Z,1\n2026-01-05T06:05:00Z,1\n", "Line 4" },
                new String[] { "timestamp,count\n2026-01-05T06:00:00Z,1\n2026-01-05T08:00:00Z,1\n", "Line 3" },
                new String[] { "timestamp,count\n2026-01-05T06:00:00Z,1,2\n", "Line 2" },
                new String[] { "timestamp,count\n2026-01-05T06:00:00Z,1\n\n2026-01-05T06:01:00Z,1\n", "Line 3" },
                new String[] { "", "Line 1" });
        for (String[] c : cases) {
            given().contentType("text/csv").body(c[0])
                    .when().post("/api/v1/backtest")
                    .then().statusCode(400).contentType(startsWith("application/problem+json"))
                    .body("status", equalTo(400))
                    .body("detail", startsWith(c[1] + ":"))
                    .body("errors[0].field", equalTo(c[1].toLowerCase()));
        }
        given().contentType("text/csv").queryParam("bucket", "PT90M").body("timestamp,count\n")
                .when().post("/api/v1/backtest")
                .then().statusCode(400).body("errors[0].field", equalTo("bucket"));
    }

    @Test
    void acceptsTwoHundredThousandRowsAndRejectsMore() {
        StringBuilder sb = new StringBuilder(6_000_000).append("timestamp,count\n");
        for (int i = 0; i < 200_001; i++) {
            sb.append(T0.plusSeconds(60L * i)).append(",1\n");
        }
        given().contentType("text/csv").body(sb.toString())
                .when().post("/api/v1/backtest")
                .then().statusCode(413).contentType(startsWith("application/problem+json"));
        String ok = sb.substring(0, sb.lastIndexOf("2026-")); // 200,000 rows
        given().contentType("text/csv").body(ok).accept("text/csv")
                .when().post("/api/v1/backtest")
                .then().statusCode(200);
    }

    @Test
    void rejectsOtherMediaTypes() {
        given().contentType("application/json").body("{}")
                .when().post("/api/v1/backtest")
                .then().statusCode(415);
    }
}
