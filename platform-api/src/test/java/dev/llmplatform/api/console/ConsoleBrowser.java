package dev.llmplatform.api.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its own chromedriver (both named by path, so Selenium
 * Manager never downloads anything), with a fresh profile, plus the waits and screenshots the console
 * tests use. Without the browser the tests are skipped, except under {@code CI=true}, where that fails.
 */
final class ConsoleBrowser implements AutoCloseable {
    static final Path CHROMIUM = Path.of(System.getProperty("llmp.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("llmp.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    private static final String VIEWPORT = "return window.innerWidth + 'x' + window.innerHeight";

    final ChromeDriver driver;
    private final Path profile;
    private int shots;

    private ConsoleBrowser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Skips the calling test class (fails under CI=true) when Chromium or chromedriver is missing. */
    static void requireInstalled() {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        String msg = "the console's browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
                + " (apt-get install -y chromium chromium-driver)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(msg + "; under CI=true they are required");
        }
        Assumptions.abort(msg + "; skipping");
    }

    static ConsoleBrowser start() throws IOException {
        requireInstalled();
        Path profile = Files.createTempDirectory("llmp-console-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-quic", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1366,900", "--lang=en-US");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL")); // for consoleLog()
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1366, 900));
        Files.createDirectories(SCREENSHOTS);
        return new ConsoleBrowser(driver, profile);
    }

    <T> T await(String what, Function<WebDriver, T> condition) {
        return await(what, Duration.ofSeconds(20), condition);
    }

    /** Polls until the condition gives something other than null or false, for at most {@code limit}. */
    <T> T await(String what, Duration limit, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, limit, Duration.ofMillis(50)).withMessage(what)
                .ignoring(StaleElementReferenceException.class) // a view re-rendered between lookup and read
                .until(condition);
    }

    WebElement visible(String css) {
        return await(css + " visible", d -> d.findElements(By.cssSelector(css)).stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
    }

    /** Opens a console view by its hash route and waits for it: its heading, and what it loads drawn. */
    void open(String base, String route, String heading) {
        driver.get(base + "/admin/#/" + route);
        awaitView(heading);
    }

    /** Waits for the view with {@code heading} to have finished rendering (the console clears main's aria-busy). */
    void awaitView(String heading) {
        await("the " + heading + " view", d -> d.findElements(By.cssSelector("main[aria-busy='false'] h1")).stream()
                .anyMatch(h -> h.getText().startsWith(heading)) ? true : null);
    }

    /**
     * Saves the whole page (not only the visible part) as target/console-screenshots/NN-name.png, after
     * checking that every visible form control on it has an accessible name (a label or aria-label).
     */
    void screenshot(String name) throws IOException {
        @SuppressWarnings("unchecked")
        List<String> unlabelled = (List<String>) driver.executeScript("""
                return [...document.querySelectorAll('input, select, textarea, button')]
                  .filter((c) => c.offsetParent !== null && c.type !== 'hidden')
                  .filter((c) => !(c.labels && c.labels.length) && !c.getAttribute('aria-label') && !(c.tagName === 'BUTTON' && c.textContent.trim()))
                  .map((c) => c.outerHTML.slice(0, 120));
                """);
        if (!unlabelled.isEmpty()) {
            throw new AssertionError("controls without a label on the " + name + " page: " + unlabelled);
        }
        Object viewport = driver.executeScript(VIEWPORT);
        driver.executeScript("window.scrollTo(0, 0)");
        Map<String, Object> layout = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> size = (Map<String, Object>) layout.get("cssContentSize");
        double height = Math.min(((Number) size.get("height")).doubleValue(), 6000);
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", 1366, "height", height, "scale", 1)));
        byte[] png = Base64.getDecoder().decode((String) shot.get("data"));
        Files.write(SCREENSHOTS.resolve(String.format("%02d-%s.png", ++shots, name)), png);
        settleAfterCapture(viewport);
    }

    /**
     * A capture beyond the viewport lets Chromium lay the page out at the whole height for a moment; a click
     * sent before it is back at the window's size can land where the element no longer is and be lost (the
     * checkbox stays as it was). Waits for the viewport's own size and two frames drawn at it.
     */
    private void settleAfterCapture(Object viewport) {
        await("the viewport back after the screenshot", d -> viewport.equals(driver.executeScript(VIEWPORT)) ? true : null);
        driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + " requestAnimationFrame(() => requestAnimationFrame(() => done()));");
    }

    /** The page's console messages and uncaught errors since the last call, one per line. */
    String consoleLog() {
        StringBuilder out = new StringBuilder();
        try {
            for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
                out.append("    ").append(entry.getLevel()).append(' ').append(entry.getMessage()).append('\n');
            }
        } catch (RuntimeException e) {
            out.append("    unreadable (").append(e.getMessage()).append(")\n");
        }
        return out.toString();
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
