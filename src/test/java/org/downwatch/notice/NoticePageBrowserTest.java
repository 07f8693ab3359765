package org.downwatch.notice;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.downwatch.testing.Browser;
import org.downwatch.catalog.Catalog;
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
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The service page with an official notice, and during a maintenance window, in headless Chromium (skipped
 * where it is not installed, unless DOWNWATCH_BROWSER_TESTS=required). Screenshots: target/screenshots/.
 */
@QuarkusTest
class NoticePageBrowserTest {

    static final Path CHROMIUM = Browser.CHROMIUM;
    static final Path CHROMEDRIVER = Browser.CHROMEDRIVER;
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    static ChromeDriver driver;
    static Browser browser;

    @TestHTTPResource("/")
    URL base;
    @Inject
    TestData data;
    @Inject
    Notices notices;
    @Inject
    Catalog catalog;
    @Inject
    io.agroal.api.AgroalDataSource ds;

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

    @BeforeEach
    void quiet() throws Exception {
        data.clear();
        try (var c = ds.getConnection(); var st = c.createStatement()) {
            st.execute("delete from service_notice");
            st.execute("delete from owner_key");
        }
        driver.manage().window().setSize(new Dimension(1280, 900));
    }

    void post(String slug, String body) {
        String key = notices.createKey(catalog.require(slug), slug + " comms").plain();
        given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body(body)
                .post("/api/v1/services/" + slug + "/notices").then().statusCode(201);
    }

    /** La Poste's morning: the crowd since 3 hours ago, the company's word 23 minutes after. */
    @Test
    void laPostePageWithAnOfficialNotice() {
        Instant now = data.now();
        Instant onset = now.minus(3, ChronoUnit.HOURS);
        for (Instant m = now.minus(24, ChronoUnit.HOURS); m.isBefore(now); m = m.plus(7, ChronoUnit.MINUTES)) {
            boolean outage = !m.isBefore(onset);
            data.count("la-poste", "parcel-tracking", m, outage ? 25 : 1);
            if (outage) {
                data.count("la-poste", "registered-letter", m, 8);
            }
        }
        data.status("la-poste", "problem", onset, 212, 9.2, 25);
        long open = data.incident("la-poste", onset, null, 61, 900);
        data.incidentProblems(open, Map.of("parcel-tracking", 700, "registered-letter", 200));
        post("la-poste", "{\"kind\":\"identified\",\"message\":{\"fr\":\"Un incident technique perturbe le suivi des colis. "
                + "Nos équipes travaillent à le résoudre.\",\"en\":\"A technical incident is disrupting parcel tracking. "
                + "Our teams are working on a fix.\"}}");
        // backdate it as if it had been posted 23 minutes after the crowd started (the API stamps the real time)
        exec("update service_notice set posted_at = '" + onset.plus(23, ChronoUnit.MINUTES) + "'");

        open("/services/la-poste?lang=en");
        String section = driver.findElement(By.cssSelector("section.official")).getText();
        assertTrue(section.contains("What La Poste says") && section.contains("parcel tracking"), section);
        assertTrue(section.contains("La Poste first spoke 23 min after people started reporting"), section);
        assertTrue(driver.findElement(By.cssSelector(".status-evidence")).getText().contains("212"));
        screenshot("official-notice.png", 1280);
        open("/services/la-poste?lang=fr");
        assertTrue(driver.findElement(By.cssSelector("section.official")).getText().contains("Ce que dit La Poste"));
        screenshot("official-notice-fr-narrow.png", 390);
    }

    @Test
    void pageDuringAMaintenanceWindow() {
        Instant now = Instant.now();
        for (Instant m = data.now().minus(24, ChronoUnit.HOURS); m.isBefore(data.now()); m = m.plus(11, ChronoUnit.MINUTES)) {
            data.count("ameli", "website", m, m.isAfter(data.now().minus(50, ChronoUnit.MINUTES)) ? 9 : 1);
        }
        data.status("ameli", "problem", now.minus(40, ChronoUnit.MINUTES), 48, 3.1, 12);
        post("ameli", "{\"kind\":\"maintenance\",\"message\":{\"fr\":\"Maintenance programmée du compte ameli : la consultation "
                + "des remboursements peut être indisponible.\",\"en\":\"Planned maintenance of the ameli account: "
                + "reimbursements may be unavailable to view.\"},\"startsAt\":\"" + now.minus(55, ChronoUnit.MINUTES)
                + "\",\"endsAt\":\"" + now.plus(3, ChronoUnit.HOURS) + "\"}");
        // announced two days ahead, as a company would (the API stamps the real time)
        exec("update service_notice set posted_at = '" + now.minus(2, ChronoUnit.DAYS) + "'");
        data.incident("ameli", data.now().minus(40, ChronoUnit.MINUTES), null, 12, 48);
        open("/services/ameli?lang=en");
        assertTrue(driver.findElement(By.cssSelector(".official-now")).getText().contains("Planned maintenance in progress"));
        assertTrue(driver.findElement(By.cssSelector("table.incidents")).getText().contains("During planned maintenance"));
        assertTrue(!driver.findElement(By.cssSelector("section.official")).getText().contains("No word"),
                "the company announced it: no reproach of silence");
        screenshot("maintenance.png", 1280);
        open("/services/ameli?lang=fr");
        assertTrue(driver.findElement(By.cssSelector(".official-now")).getText().contains("Maintenance programmée en cours"));
        screenshot("maintenance-fr-narrow.png", 390);
    }

    private void exec(String sql) {
        try (var c = ds.getConnection(); var st = c.createStatement()) {
            st.execute(sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void open(String path) {
        driver.get(base.toString().replaceAll("/$", "") + path);
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> "complete".equals(
                ((JavascriptExecutor) driver).executeScript("return document.readyState")));
    }

    private void screenshot(String name, int width) {
        driver.manage().window().setSize(new Dimension(width, 900));
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
