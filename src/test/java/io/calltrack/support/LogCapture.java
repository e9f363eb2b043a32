package io.calltrack.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/** Collects what one class logs, so a test can check the line an admin would read. */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent e) {
            synchronized (list) {
                list.add(e);
                list.notifyAll();
            }
        }
    };

    public LogCapture(Class<?> source) {
        this(source.getName());
    }

    /** For a logger whose class the test cannot name (package-private elsewhere). */
    public LogCapture(String loggerName) {
        logger = (Logger) LoggerFactory.getLogger(loggerName);
        appender.start();
        logger.addAppender(appender);
    }

    public List<String> lines() {
        synchronized (appender.list) {
            return appender.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
        }
    }

    /** The first line containing {@code fragment}, waiting up to {@code timeout} for it to be logged. */
    public Optional<String> await(String fragment, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (appender.list) {
            while (true) {
                Optional<String> line = lines().stream().filter(l -> l.contains(fragment)).findFirst();
                long left = deadline - System.nanoTime();
                if (line.isPresent() || left <= 0) return line;
                TimeUnit.NANOSECONDS.timedWait(appender.list, left);
            }
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
    }
}
