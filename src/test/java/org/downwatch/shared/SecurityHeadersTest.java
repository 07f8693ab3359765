package org.downwatch.shared;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Pages carry a CSP they satisfy, cannot be framed, and get nosniff, a referrer policy and HSTS over HTTPS. */
@QuarkusTest
class SecurityHeadersTest {

    @Test
    void pagesCarryTheHeadersAndSatisfyTheirPolicy() {
        String html = given().when().get("/services/la-poste").then().statusCode(200)
                .header("Content-Security-Policy", containsString("default-src 'self'"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("X-Frame-Options", equalTo("DENY"))
                .header("X-Content-Type-Options", equalTo("nosniff"))
                .header("Referrer-Policy", equalTo("strict-origin-when-cross-origin"))
                .header("Strict-Transport-Security", nullValue())
                .extract().asString();
        String policy = given().get("/services/la-poste").header("Content-Security-Policy");
        assertFalse(Pattern.compile("<script(?![^>]*\\ssrc=)").matcher(html).find(), "no inline script");
        assertFalse(html.contains(" style=\""), "no style attribute");
        assertFalse(Pattern.compile("\\son[a-z]+=\"").matcher(html).find(), "no inline event handler");
        Matcher styles = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL).matcher(html);
        while (styles.find()) {
            assertTrue(policy.contains("'" + SecurityHeaders.hash(styles.group(1)) + "'"), "inline style allowed by its hash");
        }
    }

    @Test
    void theApiAndErrorsCarryThemToo() {
        given().when().get("/api/v1/categories").then().header("X-Content-Type-Options", equalTo("nosniff"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"));
        given().when().get("/no-such-page").then().statusCode(404).header("X-Frame-Options", equalTo("DENY"));
    }

    @Test
    void hstsOnlyOverHttpsFromATrustedProxy() {
        given().header("X-Forwarded-Proto", "https").when().get("/").then()
                .header("Strict-Transport-Security", containsString("max-age="));
    }
}
