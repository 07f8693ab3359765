package org.downwatch.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.downwatch.testing.Browser;
import org.downwatch.testing.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The pages in a real browser: Debian's headless Chromium through chromedriver. Skipped with a
 * message where they are not installed, unless DOWNWATCH_BROWSER_TESTS=required (CI), where that fails.
 * Screenshots go to target/screenshots/.
 */
@QuarkusTest
class ServicePageBrowserTest {

    static final Path CHROMIUM = Browser.CHROMIUM;
    static final Path CHROMEDRIVER = Browser.CHROMEDRIVER;
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final String AXE = "META-INF/resources/webjars/axe-core/4.6.3/axe.min.js";

    static ChromeDriver driver;
    static Browser browser;

    @TestHTTPResource("/")
    URL base;

    @Inject
    TestData data;

    @BeforeAll
    static void startBrowser() throws IOException {
        browser = Browser.start("en-GB", Map.of());
        driver = browser.driver;
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (browser != null) {
            browser.close();
        }
    }

    /** La Poste during an outage: quiet counts all day, a spike for the last three hours, an open incident. */
    @BeforeEach
    void outageAtLaPoste() {
        data.clear();
        Instant now = data.now();
        Instant onset = now.minus(3, ChronoUnit.HOURS);
        for (Instant m = now.minus(24, ChronoUnit.HOURS); m.isBefore(now); m = m.plus(7, ChronoUnit.MINUTES)) {
            if (m.isAfter(now.minus(66, ChronoUnit.MINUTES)) && m.isBefore(now.minus(54, ChronoUnit.MINUTES))) {
                continue; // nothing near the "last hour" boundary: the thank-you count stays exact during the test
            }
            boolean outage = !m.isBefore(onset);
            data.count("la-poste", "parcel-tracking", m, outage ? 25 : 1);
            if (outage) {
                data.count("la-poste", "registered-letter", m, 8);
                data.count("la-poste", "website", m, 3);
            }
        }
        data.status("la-poste", "problem", onset, 212, 9.2, 25);
        data.status("orange", "possible", now.minus(20, ChronoUnit.MINUTES), 31, 12, 30);
        long open = data.incident("la-poste", onset, null, 61, 100);
        data.incident("la-poste", now.minus(3, ChronoUnit.DAYS), now.minus(3, ChronoUnit.DAYS).plus(90, ChronoUnit.MINUTES), 14, 100);
        data.incidentProblems(open, Map.of("parcel-tracking", 120, "website", 30));
        driver.manage().window().setSize(new Dimension(1280, 900));
    }

    @Test
    void findsLaPosteFromTheHomePageAndSeesTheOutageOnItsChart() {
        open("/");
        assertTrue(driver.findElement(By.cssSelector(".problem-list")).getText().contains("La Poste"));
        screenshot("home.png", 1280);

        WebElement q = driver.findElement(By.id("q-main"));
        q.sendKeys("la poste");
        q.submit();
        waitFor(() -> driver.getCurrentUrl().contains("/search?q="));
        driver.findElement(By.cssSelector(".service-list a[href='/services/la-poste']")).click();
        waitFor(() -> driver.getCurrentUrl().endsWith("/services/la-poste"));

        assertTrue(driver.findElement(By.cssSelector(".status-headline")).getText()
                .startsWith("User reports indicate problems at La Poste since"));
        WebElement chart = driver.findElement(By.cssSelector("svg.chart-wide"));
        assertTrue(chart.isDisplayed());
        assertTrue(chart.findElements(By.cssSelector("rect.bar")).size() >= 95, "a bar per 15 minutes");
        assertFalse(chart.findElements(By.cssSelector("rect.c-incident")).isEmpty(), "the open incident is highlighted");
        assertTrue(driver.findElement(By.cssSelector(".shares")).getText().contains("Parcel tracking"));
        screenshot("service-outage.png", 1280);
    }

    @Test
    void aPhoneGetsTheNarrowChartAndAReadablePage() {
        driver.manage().window().setSize(new Dimension(390, 844));
        open("/services/la-poste?lang=fr");
        assertTrue(driver.findElement(By.cssSelector("svg.chart-narrow")).isDisplayed(), "narrow chart on a phone");
        assertFalse(driver.findElement(By.cssSelector("svg.chart-wide")).isDisplayed());
        assertNothingWiderThanThePhone();
        assertEquals("fr", driver.findElement(By.tagName("html")).getAttribute("lang"));
        screenshot("service-mobile.png", 390);
        driver.manage().window().setSize(new Dimension(390, 844));
        open("/");
        assertNothingWiderThanThePhone();
        screenshot("home-mobile.png", 390);
    }

    private void assertNothingWiderThanThePhone() {
        Number scrollWidth = (Number) ((JavascriptExecutor) driver).executeScript("return document.documentElement.scrollWidth");
        Number clientWidth = (Number) ((JavascriptExecutor) driver).executeScript("return document.documentElement.clientWidth");
        assertTrue(scrollWidth.intValue() <= clientWidth.intValue(),
                "nothing wider than the phone on " + driver.getCurrentUrl() + ": " + scrollWidth + " > " + clientWidth);
    }

    /**
     * Needs the report form's handler (report feature): a counted report answers 303 to
     * ?reported=counted and the page thanks the visitor with the count including it.
     */
    @Test
    void reportsAProblemThroughTheFormAndSeesItCounted() {
        int status = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("problem", "parcel-tracking").when().post("/services/la-poste/reports").then().extract().statusCode();
        if (status == 404 || status == 405) {
            String why = "POST /services/{slug}/reports answers " + status + ": the report form handler is not on this branch";
            if ("required".equalsIgnoreCase(System.getenv("DOWNWATCH_BROWSER_TESTS"))) {
                fail(why);
            }
            Assumptions.abort(why + "; skipped");
        }
        data.forgetReporters("la-poste");
        int before = data.lastHour("la-poste");
        open("/services/la-poste");
        driver.findElement(By.cssSelector("input[name=problem][value=parcel-tracking]")).click();
        // the placeholder's own example: the browser's pattern check must let it through
        WebElement country = driver.findElement(By.id("country"));
        country.sendKeys("FR");
        assertEquals(Boolean.TRUE, ((JavascriptExecutor) driver).executeScript("return arguments[0].checkValidity()", country),
                "FR matches the country field's pattern " + country.getAttribute("pattern"));
        driver.findElement(By.id("city")).sendKeys("Lyon");
        driver.findElement(By.cssSelector(".report-form button[type=submit]")).click();
        waitFor(() -> driver.getCurrentUrl().contains("reported="));
        assertTrue(driver.getCurrentUrl().contains("reported=counted"), driver.getCurrentUrl());
        String thanks = driver.findElement(By.cssSelector(".notice-thanks")).getText();
        assertTrue(thanks.contains("Thank you: your report was counted."), thanks);
        Matcher m = Pattern.compile("(\\d+) reports? about La Poste in the last hour").matcher(thanks);
        assertTrue(m.find(), thanks);
        assertEquals(before + 1, Integer.parseInt(m.group(1)), "the count includes the report once");
        screenshot("service-reported.png", 1280);
    }

    /** Every page, in French and in English: axe-core finds no serious or critical accessibility violation. */
    @Test
    void everyPageHasNoSeriousAccessibilityViolationInEitherLanguage() throws IOException {
        String axe;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(AXE)) {
            assertTrue(in != null, AXE + " on the test class path (org.webjars.npm:axe-core)");
            axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> found = new ArrayList<>();
        for (String lang : List.of("fr", "en")) {
            for (String page : List.of("/", "/services/la-poste", "/services/la-poste?range=7d", "/categories/postal",
                    "/search?q=poste", "/search?q=zzzz", "/developers", "/services/no-such-service")) {
                open(page + (page.contains("?") ? "&" : "?") + "lang=" + lang);
                ((JavascriptExecutor) driver).executeScript(axe);
                Object result = ((JavascriptExecutor) driver).executeAsyncScript("""
                        const done = arguments[arguments.length - 1];
                        axe.run(document, { resultTypes: ['violations'] })
                          .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                            .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
                          .catch(e => done(['axe failed: ' + e]));
                        """);
                for (Object v : (List<?>) result) {
                    found.add(lang + " " + page + ": " + v);
                }
            }
        }
        assertTrue(found.isEmpty(), String.join("\n", found));
    }

    private void open(String path) {
        driver.get(base.toString().replaceAll("/$", "") + path);
        waitFor(() -> "complete".equals(((JavascriptExecutor) driver).executeScript("return document.readyState")));
    }

    private void waitFor(java.util.function.BooleanSupplier condition) {
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> condition.getAsBoolean());
    }

    /** A screenshot of the whole page at this width. */
    private void screenshot(String name, int width) {
        Number height = (Number) ((JavascriptExecutor) driver).executeScript("return document.documentElement.scrollHeight");
        driver.manage().window().setSize(new Dimension(width, Math.min(height.intValue() + 140, 6000)));
        try {
            Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve(name),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

}
