package io.calltrack.delivery;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP receiver on 127.0.0.1 that records every request and answers with scripted statuses (then 200);
 * a negative status means "hold the request for that many milliseconds, then answer 200" (a slow receiver).
 */
public final class TestReceiver implements AutoCloseable {
    public record Received(String path, String query, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        String bodyText() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Deque<Integer> script = new ArrayDeque<>();
    private volatile int steadyStatus = 200;
    private final Semaphore arrived = new Semaphore(0);

    public TestReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestURI().getPath(), exchange.getRequestURI().getRawQuery(),
                    Map.copyOf(exchange.getRequestHeaders()), body));
            arrived.release();
            int status = next();
            if (status < 0) {
                try {
                    Thread.sleep(-status);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                status = 200;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    private synchronized int next() {
        return script.isEmpty() ? steadyStatus : script.poll();
    }

    synchronized TestReceiver thenAnswer(int... statuses) {
        for (int s : statuses) script.add(s);
        return this;
    }

    /** The status answered once the script is used up. */
    public void answerFromNowOn(int status) {
        steadyStatus = status;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** Waits until {@code count} requests (in all) have arrived, at most {@code timeout}; then what arrived. */
    public List<Received> await(int count, Duration timeout) throws InterruptedException {
        if (!arrived.tryAcquire(count, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("expected " + count + " requests within " + timeout + ", got " + received);
        }
        arrived.release(count);
        return received();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
