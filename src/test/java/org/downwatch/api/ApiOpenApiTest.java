package org.downwatch.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ApiOpenApiTest {

    static final List<String> PATHS = List.of("/api/v1/services", "/api/v1/services/{slug}", "/api/v1/services/{slug}/series",
            "/api/v1/services/{slug}/problems", "/api/v1/services/{slug}/incidents.atom", "/api/v1/incidents",
            "/api/v1/incidents/{id}", "/api/v1/incidents.atom", "/api/v1/categories", "/api/v1/admin/api-keys",
            "/api/v1/admin/api-keys/{id}");

    @Test
    void theOpenApiDocumentValidatesAndDocumentsEveryOperation() {
        String json = given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(json, null, options);
        assertTrue(result.getMessages() == null || result.getMessages().isEmpty(), "no errors: " + result.getMessages());
        OpenAPI api = result.getOpenAPI();
        assertNotNull(api);
        for (String path : PATHS) {
            assertTrue(api.getPaths().containsKey(path), path + " is documented; paths: " + api.getPaths().keySet());
        }
        for (Map.Entry<String, PathItem> e : api.getPaths().entrySet()) {
            if (!e.getKey().startsWith("/api/v1/") || !PATHS.contains(e.getKey())) {
                continue; // the report and backtest operations are documented by their own features
            }
            for (Map.Entry<PathItem.HttpMethod, Operation> op : e.getValue().readOperationsMap().entrySet()) {
                String where = op.getKey() + " " + e.getKey();
                Operation o = op.getValue();
                assertTrue(o.getSummary() != null && !o.getSummary().isBlank(), where + " has a summary");
                assertTrue(o.getResponses().keySet().stream().anyMatch(c -> c.startsWith("4")), where + " documents its errors");
                assertTrue(o.getResponses().containsKey("429"), where + " documents 429");
                if (e.getKey().contains("{slug}")) {
                    List<Parameter> params = o.getParameters() == null ? List.of() : o.getParameters();
                    assertTrue(params.stream().anyMatch(p -> "slug".equals(p.getName()) && "path".equals(p.getIn())),
                            where + " has the slug path parameter");
                    assertTrue(o.getResponses().containsKey("404"), where + " documents 404");
                }
            }
        }
        // every group in Swagger UI has a name we chose (an untagged resource shows as "Backtest Resource")
        for (Map.Entry<String, PathItem> e : api.getPaths().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> op : e.getValue().readOperationsMap().entrySet()) {
                List<String> tags = op.getValue().getTags() == null ? List.of() : op.getValue().getTags();
                assertTrue(!tags.isEmpty() && tags.stream().noneMatch(t -> t.endsWith(" Resource")),
                        op.getKey() + " " + e.getKey() + " tags: " + tags);
            }
        }
        assertTrue(api.getPaths().get("/api/v1/backtest").getPost().getTags().contains("Backtest"));
        assertTrue(api.getComponents().getSecuritySchemes().keySet().containsAll(List.of("apiKey", "adminToken")),
                "X-Api-Key and the admin token are documented: " + api.getComponents().getSecuritySchemes().keySet());
        Operation series = api.getPaths().get("/api/v1/services/{slug}/series").getGet();
        assertEquals(java.util.Set.of("slug", "from", "to", "bucket"),
                series.getParameters().stream().map(Parameter::getName).collect(java.util.stream.Collectors.toSet()));
        Operation list = api.getPaths().get("/api/v1/services").getGet();
        assertTrue(list.getParameters().stream().map(Parameter::getName).toList().containsAll(List.of("q", "category", "status", "page", "size")));
    }

    @Test
    void swaggerUiAndTheDeveloperPageAreServed() {
        given().get("/q/swagger-ui/").then().statusCode(200);
        given().get("/developers").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("/q/swagger-ui")).body(containsString("/q/openapi"))
                .body(containsString("curl ")).body(containsString("/api/v1/services/la-poste/series?bucket=PT15M"));
    }
}
