package io.calltrack.console;

import io.calltrack.support.Browser;
import io.calltrack.support.TestServer;
import java.util.Map;

/**
 * Signs a test browser in to the console. Until the accounts branch (issue 17) brings {@code /v1/session}, no one
 * can log in: the browser then sends the bootstrap admin token on every request (DevTools' extra headers, which
 * the audio element's requests get too) and the page's {@code GET /v1/session} is answered as the owner's.
 */
final class ConsoleSignIn {
    private ConsoleSignIn() {}

    static void asBootstrapOwner(Browser browser) {
        var driver = browser.driver();
        driver.executeCdpCommand("Network.enable", Map.of());
        driver.executeCdpCommand("Network.setExtraHTTPHeaders",
                Map.of("headers", Map.of("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)));
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
                (() => {
                  const real = window.fetch;
                  window.fetch = (url, init) => String(url).endsWith("/v1/session") && (!init || init.method === "GET")
                    ? Promise.resolve(new Response(JSON.stringify({user: {login: "owner", role: "owner"}, grants: [],
                        csrfToken: "none"}), {status: 200, headers: {"Content-Type": "application/json"}}))
                    : real(url, init);
                })();"""));
    }

    /**
     * Records every Content-Security-Policy violation of the page in {@code window.cspViolations}, and every uncaught
     * error in {@code window.pageErrors}.
     */
    static void watchCsp(Browser browser) {
        browser.driver().executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
                window.cspViolations = [];
                document.addEventListener("securitypolicyviolation",
                  e => window.cspViolations.push(e.violatedDirective + " " + e.blockedURI));
                window.pageErrors = [];
                window.addEventListener("error", e => window.pageErrors.push(String(e.message)));
                window.addEventListener("unhandledrejection", e => window.pageErrors.push(String(e.reason)));"""));
    }
}
