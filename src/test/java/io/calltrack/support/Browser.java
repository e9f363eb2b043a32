package io.calltrack.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One visitor's real headless Chromium, driven through Selenium by the system's chromedriver (Debian's
 * {@code chromium} and {@code chromium-driver}): both paths are given, so Selenium Manager never downloads anything.
 * Missing browser or driver: the test fails under CI=true and is skipped elsewhere.
 *
 * <p>Time and visibility go through the browser itself: {@link #advance} runs the page's clock and timers ahead with
 * DevTools virtual time (waiting while a request is in flight), {@link #hide}/{@link #show} minimise and restore
 * the window, which Chromium reports to the page as {@code visibilityState} hidden and visible.
 */
public final class Browser implements AutoCloseable {
    /** Chromium's own user agent names it headless, which calltrack counts as a bot. */
    public static final String DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/120.0 Safari/537.36";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    /** A new visitor (fresh profile: no cookies) presenting a desktop browser's user agent. */
    public static Browser desktop() {
        return start(DESKTOP);
    }

    /** A visitor as headless Chromium presents itself: a bot to calltrack. */
    public static Browser bot() {
        return start(null);
    }

    /** Fails under CI and skips elsewhere when Chromium or its driver is not installed. */
    public static void require() {
        for (Path p : new Path[] {CHROMIUM, CHROMEDRIVER}) {
            if (Files.isExecutable(p)) continue;
            String why = p + " is missing (apt-get install chromium chromium-driver)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(why);
            Assumptions.abort(why);
        }
    }

    private static Browser start(String userAgent) {
        require();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1200,800");
        if (userAgent != null) options.addArguments("--user-agent=" + userAgent);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, options));
    }

    public ChromeDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    /** The page's script result (a JavaScript expression). */
    public Object eval(String expression) {
        return driver.executeScript("return " + expression);
    }

    public String text(String css) {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    public String attribute(String css, String name) {
        return driver.findElement(By.cssSelector(css)).getAttribute(name);
    }

    /** Waits (polling the page, never a fixed sleep) until {@code condition} gives a non-null, non-false value. */
    public <T> T await(String what, Function<WebDriver, T> condition) {
        try {
            return new WebDriverWait(driver, WAIT, Duration.ofMillis(50)).until(condition);
        } catch (TimeoutException e) {
            throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what, e);
        }
    }

    /** Waits until the element's text is {@code expected}, and says what it was otherwise. */
    public void awaitText(String css, String expected) {
        try {
            new WebDriverWait(driver, WAIT, Duration.ofMillis(50)).until(d -> expected.equals(text(css)));
        } catch (TimeoutException e) {
            throw new AssertionError(css + " shows \"" + text(css) + "\", expected \"" + expected + "\"", e);
        }
    }

    /**
     * Runs the page's clock ahead by {@code d}: its timers fire as if that time had passed. Virtual time stops while
     * a request is in flight, so each heartbeat completes at the moment the page sent it.
     */
    public void advance(Duration d) {
        double before = ((Number) eval("Date.now()")).doubleValue();
        driver.executeCdpCommand("Emulation.setVirtualTimePolicy",
                Map.of("policy", "pauseIfNetworkFetchesPending", "budget", d.toMillis()));
        await("the page's clock to move on by " + d, w -> ((Number) eval("Date.now()")).doubleValue()
                >= before + d.toMillis());
    }

    /** Minimises the window: the page becomes hidden, as a tab in the background or a minimised window is. */
    public void hide() {
        driver.manage().window().minimize();
        await("the page to be hidden", w -> "hidden".equals(eval("document.visibilityState")));
    }

    /** Restores the window: the page is visible again. */
    public void show() {
        driver.manage().window().setSize(new Dimension(1200, 800));
        await("the page to be visible", w -> "visible".equals(eval("document.visibilityState")));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
