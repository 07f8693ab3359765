package org.downwatch.api;

import org.downwatch.testing.TestData;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class IncidentGroupsApiTest {

    @Inject
    TestData data;

    @Test
    void groupsSimultaneousIncidentsAndNamesTheirProvider() {
        Instant t = Instant.parse("2024-02-10T06:04:00Z");
        for (String s : new String[] { "facebook", "instagram", "messenger", "free", "linkedin" }) {
            data.clearIncidents(s);
        }
        data.incident("facebook", t, t.plusSeconds(3600), 500, 500);
        data.incident("instagram", t.plusSeconds(120), t.plusSeconds(3600), 300, 300);
        data.incident("messenger", t.plusSeconds(240), t.plusSeconds(3600), 100, 100);
        data.incident("free", t.plusSeconds(300), t.plusSeconds(1800), 40, 40);
        data.incident("linkedin", t.plusSeconds(7200), t.plusSeconds(9000), 40, 40);
        given().get("/api/v1/incident-groups?from=2024-02-10T00:00:00Z&to=2024-02-11T00:00:00Z").then().statusCode(200)
                .body("window", equalTo("PT10M")).body("items", hasSize(1))
                .body("items[0].startedAt", equalTo("2024-02-10T06:04:00Z")).body("items[0].serviceCount", equalTo(4))
                .body("items[0].likelyCause.provider", equalTo("Meta")).body("items[0].likelyCause.affected", equalTo(3))
                .body("items[0].likelyCause.services", equalTo(4))
                .body("items[0].incidents.find { it.service == 'free' }.collateral", equalTo(true))
                .body("items[0].incidents.find { it.service == 'facebook' }.collateral", equalTo(false))
                .body("items[0].incidents.find { it.service == 'facebook' }.provider", equalTo("Meta"));
        given().get("/api/v1/incident-groups?from=2024-02-10T00:00:00Z&to=2024-02-11T00:00:00Z&window=PT2M").then()
                .statusCode(200).body("items[0].serviceCount", equalTo(2));
        given().get("/api/v1/incident-groups?window=P1D").then().statusCode(400).body("errors[0].field", equalTo("window"));
    }
}
