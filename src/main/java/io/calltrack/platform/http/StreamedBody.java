package io.calltrack.platform.http;

import java.io.OutputStream;

/**
 * A response body written while it is sent (a CSV export of a million calls), never held in memory: the server sends
 * the status line and headers, then runs {@code writer} on the blocking executor; each chunk the writer fills goes
 * out as an HTTP chunk, and the writer waits while the client has not taken the previous one (back-pressure). A
 * writer that fails midway leaves the response without its last chunk and the connection closed, so the client
 * sees a broken transfer, never a short file that looks whole.
 */
public record StreamedBody(Writer writer) {
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws Exception;
    }
}
