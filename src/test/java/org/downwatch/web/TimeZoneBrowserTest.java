package org.downwatch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.downwatch.testing.Browser;
import org.downwatch.testing.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The server writes every time in the page's zone (UTC for English), the same bytes for everyone; a
 * browser in Tokyo (Chromium started with {@code TZ=Asia/Tokyo}) shows them in its own zone, through the
 * page's script. Skipped like {@link ServicePageBrowserTest} where Chromium is not installed.
 */
@QuarkusTest
class TimeZoneBrowserTest {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static ChromeDriver driver;
    static Browser browser;

    @TestHTTPResource("/")
    URL base;

    @Inject
    TestData data;

    @BeforeAll
    static void startBrowserInTokyo() throws IOException {
        browser = Browser.start("en-GB", Map.of("TZ", TOKYO.getId()));
        driver = browser.driver;
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void timesAreRewrittenIntoTheBrowsersZone() {
        data.clear();
        Instant now = data.now();
        Instant since = now.minus(40, ChronoUnit.MINUTES);
        data.count("la-poste", "parcel-tracking", now.minus(2, ChronoUnit.HOURS), 7);
        data.status("la-poste", "problem", since, 212, 9.2, 25);
        data.incident("la-poste", since, null, 61, 100);
        assertEquals("Asia/Tokyo", ((JavascriptExecutor) driver)
                .executeScript("return Intl.DateTimeFormat().resolvedOptions().timeZone"), "the browser runs in Tokyo");

        driver.get(base.toString().replaceAll("/$", "") + "/services/la-poste");
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> driver.findElement(By.cssSelector(".zone-note"))
                .getText().contains("Asia/Tokyo"));
        String tokyo = DateTimeFormatter.ofPattern("HH:mm").format(since.atZone(TOKYO));
        String utc = DateTimeFormatter.ofPattern("HH:mm").format(since.atZone(ZoneId.of("UTC")));
        WebElement headline = driver.findElement(By.cssSelector(".status-headline time"));
        assertEquals(since.toString(), headline.getAttribute("datetime"));
        assertTrue(headline.getText().contains(tokyo), headline.getText() + " should show " + tokyo + " (the page says " + utc + ")");
        assertEquals("Times are shown in Asia/Tokyo.", driver.findElement(By.cssSelector(".zone-note")).getText());
        // the incident table and the chart's axis follow: an hour tick of the day chart, written for UTC, now in Tokyo's hours
        WebElement start = driver.findElement(By.cssSelector("table.incidents time"));
        assertTrue(start.getText().contains(tokyo), start.getText());
        List<WebElement> ticks = driver.findElements(By.cssSelector("svg.chart-wide text[data-at]"));
        assertTrue(!ticks.isEmpty(), "the chart's ticks carry their instant");
        WebElement tick = ticks.get(0);
        String label = String.valueOf(((JavascriptExecutor) driver).executeScript("return arguments[0].textContent", tick));
        Instant at = Instant.parse(tick.getAttribute("data-at"));
        String hour = DateTimeFormatter.ofPattern("HH:mm").format(at.atZone(TOKYO));
        assertTrue(label.equals(hour) || hour.equals("00:00"), label + " should be " + hour);
        // a bar's title: "06:00–06:15: 7 reports" in the browser's hours
        WebElement bar = driver.findElements(By.cssSelector("svg.chart-wide g.bars title[data-at]")).get(0);
        Instant barAt = Instant.parse(bar.getAttribute("data-at"));
        String title = String.valueOf(((JavascriptExecutor) driver).executeScript("return arguments[0].textContent", bar));
        DateTimeFormatter hm = DateTimeFormatter.ofPattern("HH:mm");
        assertTrue(title.startsWith(hm.format(barAt.atZone(TOKYO)) + "–" + hm.format(barAt.plusSeconds(900).atZone(TOKYO)) + ": "),
                title);
    }
}
