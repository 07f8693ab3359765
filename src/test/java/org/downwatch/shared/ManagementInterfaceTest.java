package org.downwatch.shared;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.Test;

/** Health and metrics answer on the management interface only; the public port keeps the API's documentation. */
@QuarkusTest
class ManagementInterfaceTest {

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource("/")
    URL site;

    @Test
    void servesHealthAndMetricsOnTheManagementPortOnly() {
        assertNotEquals(site.getPort(), ready.getPort());
        assertEquals("/q/health/ready", ready.getPath(), "the management interface's root path is /q");
        given().get(ready).then().statusCode(200).body("status", equalTo("UP"));
        given().get(metrics).then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
        for (String path : new String[] {"/q/metrics", "/q/health", "/q/health/ready", "/q/health/live"}) {
            given().get(path).then().statusCode(404);
        }
    }

    @Test
    void keepsTheOpenApiDocumentOnThePublicPort() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("Downwatch API"));
    }
}
