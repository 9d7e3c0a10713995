package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's chromium and chromedriver; bin/test installs
 * them): the page loads, shows the queue that received jobs, and a Replay click brings a dead job
 * back to SUCCEEDED. The screenshot is saved as target/dashboard.png.
 */
class DashboardIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void showsQueuesAndReplaysADeadJobFromTheBrowser() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/chromium")) && Files.isExecutable(Path.of("/usr/bin/chromedriver")),
                "needs Debian's chromium and chromium-driver: bin/ensure-chromium installs them");
        try (InProcessWarren warren = InProcessWarren.start(List.of("probe.yaml", "echo.yaml"), Map.of())) {
            Path broken = Files.createTempFile(warren.data(), "broken", "");
            String dead = JSON.readTree(warren.post("probe", "{\"failWhile\": " + JSON.writeValueAsString(broken.toString()) + "}")
                    .body()).get("jobId").asText();
            for (int i = 0; i < 5; i++) {
                assertEquals(202, warren.post("echo", "{\"i\": " + i + "}").statusCode());
            }
            Await.until("dead", Duration.ofSeconds(30), () -> warren.get("/api/v1/jobs/" + dead).body().contains("\"DEAD\""));
            Files.delete(broken);

            Path profile = Files.createTempDirectory("chromium");
            WebDriver browser = chromium(profile);
            try {
                browser.get(warren.url("/ui") + "#key=" + TestWarren.ADMIN_KEY);
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
                WebElement card = wait.until(d -> d.findElements(By.cssSelector("[data-queue='" + warren.workQueue("echo") + "']"))
                        .stream().findFirst().orElse(null));
                assertTrue(card.getText().contains("ready"), card.getText());
                wait.until(d -> d.findElement(By.id("types")).getText().contains("SUCCEEDED 5"));
                WebElement row = wait.until(d -> d.findElements(By.cssSelector("tr[data-job-id='" + dead + "']"))
                        .stream().findFirst().orElse(null));
                Path screenshot = Path.of("target", "dashboard.png");
                Files.createDirectories(screenshot.getParent());
                Files.write(screenshot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

                row.findElement(By.cssSelector("button.replay")).click();

                Await.until("replayed job succeeded", Duration.ofSeconds(30),
                        () -> warren.get("/api/v1/jobs/" + dead).body().contains("\"SUCCEEDED\""));
                wait.until(d -> d.findElements(By.cssSelector("tr[data-job-id='" + dead + "']")).isEmpty());
                assertTrue(!browser.getCurrentUrl().contains(TestWarren.ADMIN_KEY), "the key left the address bar");
            } finally {
                browser.quit();
                Folders.delete(profile);
            }
        }
    }

    private static WebDriver chromium(Path profile) throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
