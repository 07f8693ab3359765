package org.downwatch.notify;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The webhook, export and group operations and their bodies are in the OpenAPI document. */
@QuarkusTest
class NotifyOpenApiTest {

    static final List<String> PATHS = List.of("/api/v1/webhooks", "/api/v1/webhooks/{id}", "/api/v1/webhooks/{id}/enable",
            "/api/v1/webhooks/{id}/deliveries", "/api/v1/webhooks/{id}/deliveries/{deliveryId}/resend",
            "/api/v1/export/counts", "/api/v1/export/incidents", "/api/v1/incident-groups");

    @Test
    void documentsEveryOperationAndTheEventBody() {
        String json = given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        OpenAPI api = new OpenAPIV3Parser().readContents(json, null, options).getOpenAPI();
        for (String path : PATHS) {
            PathItem item = api.getPaths().get(path);
            assertNotNull(item, path + " is documented");
            for (Map.Entry<PathItem.HttpMethod, Operation> op : item.readOperationsMap().entrySet()) {
                String where = op.getKey() + " " + path;
                assertTrue(op.getValue().getSummary() != null && !op.getValue().getSummary().isBlank(), where + " has a summary");
                assertTrue(op.getValue().getResponses().containsKey("429"), where + " documents 429");
                assertTrue(op.getValue().getResponses().keySet().stream().anyMatch(c -> c.startsWith("4")), where);
            }
        }
        Map<String, ?> schemas = api.getComponents().getSchemas();
        for (String s : List.of("WebhookEvent", "WebhookIncidentData", "WebhookDelivery", "WebhookSubscriptionCreated",
                "ExportedIncident", "IncidentGroup", "LikelyCause")) {
            assertTrue(schemas.containsKey(s), s + " is a schema: " + schemas.keySet());
        }
        assertTrue(api.getPaths().get("/api/v1/webhooks").getPost().getSecurity().toString().contains("apiKey"));
        assertTrue(api.getPaths().get("/api/v1/export/counts").getGet().getDescription().contains("CC BY 4.0"));
    }
}
