package io.calltrack.tracking.api;

import io.calltrack.support.Browser;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * scripts/bench-snippet: the snippet's weight and speed in a real headless Chromium (not a test). Prints the served
 * snippet's size raw and gzipped; the time from its execution (the end of its download: it is the page's last,
 * synchronous script) to the number shown in all 10 occurrences of a page of ~2,000 DOM nodes, over repeated loads
 * (each one a session resumed through the API, as on a visitor's next page); and the main-thread time 100 DOM
 * mutations cost with the snippet watching against without it.
 */
public final class SnippetBenchmark {
    private static final int OCCURRENCES = 10;

    public static void main(String[] args) throws Exception {
        int loads = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        try (SnippetSite site = new SnippetSite(); Browser browser = Browser.desktop()) {
            String key = site.site("+74951234567", 900, "+74957654321");
            String script = "<script src=\"" + site.proxyOrigin() + "/snippet.js?site=" + key + "\"></script>";
            site.html("/bench", page(script));
            site.html("/bare", page(""));
            byte[] served = site.http.get("/snippet.js?site=" + key).body().getBytes(StandardCharsets.UTF_8);
            System.out.printf("snippet: %,d bytes, %,d gzipped (level 9)%n", served.length, gzip(served).length);

            browser.open(site.url("/bench"));
            System.out.printf("page: %,d DOM nodes, %d occurrences%n",
                    ((Number) browser.eval("document.querySelectorAll('*').length + countText()")).intValue(),
                    OCCURRENCES);
            List<Double> shown = new ArrayList<>();
            List<Double> request = new ArrayList<>();
            List<Double> dom = new ArrayList<>();
            for (int i = 0; i < loads; i++) {
                browser.open(site.url("/bench"));
                shown.add(((Number) browser.await("the number shown", d -> browser.eval("window.shownAfter")))
                        .doubleValue());
                request.add(((Number) browser.eval("window.startRequest")).doubleValue());
                dom.add(((Number) browser.eval("window.afterAnswer")).doubleValue());
            }
            report("execution to number shown, " + loads + " loads", shown);
            report("  of which the start request (to calltrack and back)", request);
            report("  of which the answer to the number shown (the snippet's pass over the page)", dom);

            for (String kind : List.of("plain", "number")) {
                List<Double> with = mutations(browser, site.url("/bench"), kind, rounds);
                List<Double> without = mutations(browser, site.url("/bare"), kind, rounds);
                report("100 mutations (" + kind + " content) with the snippet", with);
                report("100 mutations (" + kind + " content) without it", without);
                System.out.printf("  snippet's share: %.3f ms per 100 mutations (p50 difference)%n",
                        percentile(with, 50) - percentile(without, 50));
            }
        }
    }

    /** Main-thread time of 100 insertions and the observers' work on them, per round. */
    private static List<Double> mutations(Browser browser, String url, String kind, int rounds) {
        browser.open(url);
        browser.await("the page ready", d -> url.endsWith("/bare") || browser.eval("window.shownAfter") != null);
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            out.add(((Number) browser.driver().executeAsyncScript(
                    "mutate(arguments[0], 100, arguments[arguments.length - 1])", kind)).doubleValue());
        }
        return out;
    }

    private static String page(String script) {
        StringBuilder body = new StringBuilder("<header><p>Call us: 8 (495) 123-45-67</p>"
                + "<a href=\"tel:+74951234567\">call</a></header>\n<main id=\"main\">\n");
        int placed = 2;
        for (int i = 0; i < 215; i++) {
            body.append("<div class=\"item\"><h3>Item ").append(i).append("</h3><p>Price <b>").append(100 + i)
                    .append("</b> &middot; in stock</p></div>\n");
            if (i % 26 == 0 && placed < OCCURRENCES) {
                body.append("<p>Order by phone <b>+7 (495)</b> 123-45-67</p>\n");
                placed++;
            }
        }
        return """
                <!doctype html><html><head><meta charset="utf-8"><title>Shop</title></head><body>
                <script>
                  function countText() {
                    const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT); let n = 0;
                    while (w.nextNode()) n++; return n;
                  }
                  // the moment the snippet has shown the leased number everywhere (it does so in one pass)
                  new MutationObserver((records, o) => {
                    const at = performance.now();
                    if ((document.body.textContent.match(/765-43-21/g) || []).length < %d) return;
                    o.disconnect();
                    const s = performance.getEntriesByType('resource').find(e => e.name.includes('/snippet.js'));
                    const r = performance.getEntriesByType('resource').filter(e => e.name.endsWith('/sessions')).pop();
                    window.shownAfter = at - s.responseEnd;
                    window.startRequest = r.responseEnd - r.startTime;
                    window.afterAnswer = at - r.responseEnd;
                  }).observe(document.documentElement, {subtree: true, characterData: true, childList: true});
                  function mutate(kind, n, done) {
                    const main = document.getElementById('main'), t0 = performance.now();
                    for (let i = 0; i < n; i++) {
                      const p = document.createElement('p');
                      p.innerHTML = kind === 'number' ? 'Call <b>8 (495)</b> 123-45-67 now' : 'Item <b>' + i + '</b> added';
                      main.appendChild(p);
                    }
                    queueMicrotask(() => { // after the observers' callbacks, queued by the first insertion
                      const took = performance.now() - t0;
                      for (let i = 0; i < n; i++) main.lastChild.remove();
                      setTimeout(() => done(took), 0);
                    });
                  }
                </script>
                """.formatted(OCCURRENCES) + body.append("</main>\n").append(script).append("</body></html>");
    }

    private static void report(String what, List<Double> ms) {
        System.out.printf("%s: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", what, percentile(ms, 50),
                percentile(ms, 99), Collections.max(ms));
    }

    private static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p / 100 * sorted.size()) - 1));
    }

    private static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
