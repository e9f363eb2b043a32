package io.calltrack.telephony.sip;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real sipp (Debian package {@code sip-tester}) against loopback. Without sipp the tests are skipped
 * on a developer machine but fail in CI ({@code CI=true}), so a broken CI image cannot pass silently.
 */
final class Sipp {
    /** What one sipp run did: its exit code (0: every call succeeded) and the messages it sent and received. */
    record Result(int exitCode, String trace, String errors) {

        /** The last message sipp received whose start line is {@code SIP/2.0 <status>}. */
        String received(int status) {
            String[] parts = trace.split("message received \\[\\d+\\] bytes :\\s*");
            for (int i = parts.length - 1; i > 0; i--) {
                String message = parts[i].split("\n-{20,}")[0];
                if (message.startsWith("SIP/2.0 " + status + " ")) return message;
            }
            throw new AssertionError("sipp received no " + status + "; trace:\n" + trace + "\nerrors:\n" + errors);
        }

        /** The value of the first header {@code name} in a received response. */
        String header(int status, String name) {
            return Arrays.stream(received(status).split("\r?\n"))
                    .filter(l -> l.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                    .map(l -> l.substring(name.length() + 1).trim())
                    .findFirst().orElseThrow(() -> new AssertionError("no " + name + " in " + received(status)));
        }

        /** Contacts of a received response, in order (one header line each or comma-separated in one). */
        List<String> contacts(int status) {
            return Arrays.stream(received(status).split("\r?\n"))
                    .filter(l -> l.regionMatches(true, 0, "Contact:", 0, 8) || l.regionMatches(true, 0, "m:", 0, 2))
                    .flatMap(l -> Arrays.stream(l.substring(l.indexOf(':') + 1).split(",")))
                    .map(String::trim)
                    .toList();
        }

        @Override
        public String toString() {
            return "sipp exit " + exitCode + "\n" + trace + "\n" + errors;
        }
    }

    private Sipp() {}

    static void requireInstalled() {
        boolean installed;
        try {
            installed = new ProcessBuilder("sipp", "-v").redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            installed = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            installed = false;
        }
        if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("sipp is not installed (apt-get install sip-tester); CI must run the SIP protocol tests");
        }
        assumeTrue(installed, "sipp is not installed (apt-get install sip-tester): SIP protocol tests skipped");
    }

    /** One call of {@code scenario} to {@code service@127.0.0.1:port} over {@code transport} (u1 or t1). */
    static Result call(String scenario, int port, String service, String transport) {
        try {
            Path dir = Files.createTempDirectory("sipp");
            Path trace = dir.resolve("messages.log");
            Path errors = dir.resolve("errors.log");
            List<String> command = new ArrayList<>(List.of("sipp", "127.0.0.1:" + port,
                    "-sf", scenarioFile(scenario).toString(), "-s", service, "-t", transport,
                    "-i", "127.0.0.1", "-p", String.valueOf(freePort()), "-m", "1",
                    "-timeout", "10s", "-timeout_error", "-nostdin",
                    "-trace_msg", "-message_file", trace.toString(), "-trace_err", "-error_file", errors.toString()));
            Process sipp = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("out.log").toFile()).start();
            if (!sipp.waitFor(20, TimeUnit.SECONDS)) {
                sipp.destroyForcibly();
                fail("sipp did not finish within 20s despite -timeout 10s");
            }
            return new Result(sipp.exitValue(), read(trace), read(errors) + read(dir.resolve("out.log")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** sipp as a SIP phone on {@code 127.0.0.1:port} answering every OPTIONS until destroyed. */
    static Process phone(int port) {
        try {
            Path dir = Files.createTempDirectory("sipp-phone");
            return new ProcessBuilder("sipp", "-sf", scenarioFile("options_uas.xml").toString(),
                    "-i", "127.0.0.1", "-p", String.valueOf(port), "-t", "u1", "-m", "100000",
                    "-timeout", "60s", "-nostdin")
                    .directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("out.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() throws IOException {
        return SipEndpoint.freeUdpAndTcpPort("127.0.0.1");
    }

    private static Path scenarioFile(String name) {
        try {
            return Path.of(Sipp.class.getResource("/sipp/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing scenario src/test/resources/sipp/" + name, e);
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
