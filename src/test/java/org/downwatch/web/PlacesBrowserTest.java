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
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.downwatch.testing.Browser;
import org.downwatch.demo.DemoFixture;
import org.downwatch.testing.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The "where" section during the demo's La Poste outage, in headless Chromium (as ServicePageBrowserTest):
 * the demo's own reports (French cities by population, with postcodes), the open incident, the map,
 * list and table. Screenshots in target/screenshots/ (where-*.png).
 */
@QuarkusTest
class PlacesBrowserTest {

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
    DemoFixture demo;

    @BeforeAll
    static void startBrowser() throws IOException {
        browser = Browser.start("fr-FR", Map.of());
        driver = browser.driver;
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (browser != null) {
            browser.close();
        }
    }

    /** The demo's last day, with La Poste's outage open as the detector would have it. */
    @BeforeEach
    void theDemoDuringTheLaPosteOutage() throws SQLException {
        data.clear();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        demo.regenerate(now.minus(1, ChronoUnit.DAYS), now);
        DemoFixture.Outage outage = DemoFixture.laPoste(now);
        data.clearIncidents("la-poste");
        data.incident("la-poste", outage.start(), now.isBefore(outage.end()) ? null : outage.end(), 60, 2000);
        data.status("la-poste", "problem", outage.start(), 180, 9, 25);
    }

    @AfterEach
    void forgetTheDemo() {
        demo.forget();
        data.clear();
    }

    @Test
    void showsWhereLaPosteBreaksOnAMapOfFranceWithTheListBesideIt() {
        driver.manage().window().setSize(new Dimension(1280, 900));
        open("/services/la-poste?lang=fr");
        WebElement where = driver.findElement(By.id("where"));
        WebElement map = where.findElement(By.cssSelector("figure svg"));
        assertTrue(map.isDisplayed());
        assertTrue(map.getSize().getWidth() > 400, "the map is large enough to read: " + map.getSize());
        List<WebElement> shaded = map.findElements(By.cssSelector("g path title"));
        assertTrue(shaded.size() >= 10, "many départements have 5 reports or more: " + shaded.size());
        List<String> lines = where.findElements(By.cssSelector(".place-shares li .share-label")).stream()
                .map(e -> e.getAttribute("textContent")).toList();
        assertTrue(lines.contains("France"), lines.toString());
        assertTrue(lines.contains("Paris (75)"), "Paris, the most populous, is listed: " + lines);
        assertTrue(lines.get(lines.size() - 1).matches("\\d+ autres départements"), lines.toString());
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView()", where);
        screenshot("where-la-poste.png", 1280);
        shot(where, "where-la-poste-section.png");
    }

    @Test
    void readsOnAPhone() {
        driver.manage().window().setSize(new Dimension(390, 844));
        open("/services/la-poste?lang=en");
        WebElement where = driver.findElement(By.id("where"));
        assertTrue(where.findElement(By.cssSelector("figure svg")).getSize().getWidth() <= 390);
        Number scroll = (Number) ((JavascriptExecutor) driver).executeScript("return document.documentElement.scrollWidth");
        Number client = (Number) ((JavascriptExecutor) driver).executeScript("return document.documentElement.clientWidth");
        Object wide = ((JavascriptExecutor) driver).executeScript("return [...document.querySelectorAll('body *')]"
                + ".filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)"
                + ".map(e => e.tagName + '.' + e.className.baseVal + e.className).slice(0, 5).join(' ')");
        assertTrue(scroll.intValue() <= client.intValue(), "nothing wider than the phone: " + scroll + " > " + client + ": " + wide);
        screenshot("where-la-poste-mobile.png", 390);
    }

    private void open(String path) {
        driver.get(base.toString().replaceAll("/$", "") + path);
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> "complete".equals(
                ((JavascriptExecutor) driver).executeScript("return document.readyState")));
    }

    private void screenshot(String name, int width) {
        Number height = (Number) ((JavascriptExecutor) driver).executeScript("return document.documentElement.scrollHeight");
        driver.manage().window().setSize(new Dimension(width, Math.min(height.intValue() + 140, 6000)));
        try {
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void shot(WebElement element, String name) {
        try {
            Files.copy(element.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
