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
import java.time.Duration;
import java.util.Map;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * "It works for me" and "many services at once" in a real browser (headless Chromium, as
 * {@link ServicePageBrowserTest}): La Poste's page during a morning of the La Poste group's services,
 * the button counted, and the home page's group. Screenshots in target/screenshots/.
 */
@QuarkusTest
class ManyServicesBrowserTest {

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

    /** La Poste, Colissimo and Chronopost since the same minutes, Orange blamed too; a day of counts at La Poste. */
    @BeforeEach
    void aMorningOfTheLaPosteGroup() {
        data.clear();
        Instant now = data.now();
        Instant onset = now.minus(3, ChronoUnit.HOURS);
        for (Instant m = now.minus(24, ChronoUnit.HOURS); m.isBefore(now); m = m.plus(7, ChronoUnit.MINUTES)) {
            boolean outage = !m.isBefore(onset);
            data.count("la-poste", "parcel-tracking", m, outage ? 25 : 1);
            data.works("la-poste", m, outage ? 3 : 1);
            if (outage) {
                data.count("la-poste", "registered-letter", m, 8);
            }
        }
        data.status("la-poste", "problem", onset, 212, 9.2, 25);
        data.status("colissimo", "problem", onset.plus(3, ChronoUnit.MINUTES), 90, 2, 8);
        data.status("chronopost", "problem", onset.plus(6, ChronoUnit.MINUTES), 70, 2, 8);
        data.status("orange", "possible", onset.plus(8, ChronoUnit.MINUTES), 31, 12, 30);
        data.incident("la-poste", onset, null, 61, 900);
        data.incident("colissimo", onset.plus(3, ChronoUnit.MINUTES), null, 30, 400);
        data.incident("chronopost", onset.plus(6, ChronoUnit.MINUTES), null, 25, 300);
        data.incident("orange", onset.plus(8, ChronoUnit.MINUTES), null, 12, 100);
        driver.manage().window().setSize(new Dimension(1280, 900));
    }

    @Test
    void laPostesPageShowsBothSidesAndTheOtherServicesAndCountsTheButton() {
        open("/services/la-poste");
        String together = driver.findElement(By.cssSelector(".together")).getText();
        assertTrue(together.startsWith("Also having problems right now, since the same minutes"), together);
        assertTrue(together.contains("Colissimo") && together.contains("Chronopost") && together.contains("Groupe La Poste"), together);
        String sides = driver.findElement(By.cssSelector(".works-sides")).getText();
        Matcher m = Pattern.compile("In the last hour: (\\d+) reports of a problem, (\\d+) people say it works\\.").matcher(sides);
        assertTrue(m.find(), sides);
        int works = Integer.parseInt(m.group(2));
        screenshot("service-works-together.png", 1280);

        driver.findElement(By.cssSelector(".works-form button")).click();
        waitFor(() -> driver.getCurrentUrl().contains("works="));
        assertTrue(driver.getCurrentUrl().contains("works=counted"), driver.getCurrentUrl());
        assertTrue(driver.findElement(By.cssSelector(".works .notice-thanks")).getText()
                .contains("Thank you: we counted that La Poste works for you."));
        Matcher after = Pattern.compile("(\\d+) people say it works").matcher(driver.findElement(By.cssSelector(".works-sides")).getText());
        assertTrue(after.find());
        assertEquals(works + 1, Integer.parseInt(after.group(1)), "the visitor's signal is counted once");
        screenshot("service-works-thanks.png", 1280);
    }

    @Test
    void theHomePageGroupsTheMorning() {
        open("/");
        String group = driver.findElement(By.cssSelector(".groups .group")).getText();
        assertTrue(group.startsWith("3 services since "), group);
        assertTrue(group.contains("Likely common cause: Groupe La Poste"), group);
        assertTrue(group.contains("Also reported, probably as a side effect: Orange"), group);
        screenshot("home-group.png", 1280);
        open("/?lang=fr");
        screenshot("home-group-fr.png", 1280);
    }

    private void open(String path) {
        driver.get(base.toString().replaceAll("/$", "") + path);
        waitFor(() -> "complete".equals(((JavascriptExecutor) driver).executeScript("return document.readyState")));
    }

    private void waitFor(java.util.function.BooleanSupplier condition) {
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> condition.getAsBoolean());
    }

    private void screenshot(String name, int width) {
        Number height = (Number) ((JavascriptExecutor) driver).executeScript("return document.documentElement.scrollHeight");
        driver.manage().window().setSize(new Dimension(width, Math.min(height.intValue() + 140, 6000)));
        try {
            Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(),
                    ServicePageBrowserTest.SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        driver.manage().window().setSize(new Dimension(width, 900));
    }
}
