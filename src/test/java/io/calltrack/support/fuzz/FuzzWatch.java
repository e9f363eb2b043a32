package io.calltrack.support.fuzz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * What a fuzz test must never cause, whatever it sends: an ERROR in the log, an exception's stack trace logged at
 * WARN or above (an exception nobody handled), or a thread that dies of an uncaught exception. Watches the root
 * logger and the default uncaught-exception handler of the whole JVM from creation to {@link #close()}.
 */
public final class FuzzWatch implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final List<String> problems = new ArrayList<>();
    private final Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent e) {
            boolean stack = e.getThrowableProxy() != null && e.getLevel().isGreaterOrEqual(Level.WARN);
            if (e.getLevel().isGreaterOrEqual(Level.ERROR) || stack) {
                record(e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage()
                        + (e.getThrowableProxy() == null ? "" : " | " + describe(e.getThrowableProxy())));
            }
        }
    };

    public FuzzWatch() {
        appender.setContext(root.getLoggerContext());
        appender.start();
        root.addAppender(appender);
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> record("thread " + t.getName() + " died: " + e));
    }

    private final List<String> tolerated = new ArrayList<>();

    private synchronized void record(String problem) {
        if (tolerated.stream().noneMatch(problem::contains)) problems.add(problem);
    }

    /**
     * A known defect outside calltrack (in a library), reported and not yet fixed: log lines containing
     * {@code fragment} are not counted. {@code why} says which defect, so the exception stays visible in the code.
     */
    public synchronized FuzzWatch tolerate(String fragment, String why) {
        if (why.isBlank()) throw new IllegalArgumentException("say why " + fragment + " is tolerated");
        tolerated.add(fragment);
        return this;
    }

    /** Fails with everything recorded since the last call (and forgets it, so the next try starts clean). */
    public synchronized void assertClean(Object input) {
        if (problems.isEmpty()) return;
        String all = String.join("\n  ", problems);
        problems.clear();
        throw new AssertionError("after " + input + ":\n  " + all);
    }

    /** Fails unless a live thread's name starts with each of {@code prefixes} (workers that must not have died). */
    public static void assertAlive(String... prefixes) {
        Set<String> names = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .map(Thread::getName).collect(Collectors.toSet());
        for (String prefix : prefixes) {
            if (names.stream().noneMatch(n -> n.startsWith(prefix))) {
                throw new AssertionError("no live thread named " + prefix + "*: it died");
            }
        }
    }

    private static String describe(IThrowableProxy t) {
        StringBuilder sb = new StringBuilder(t.getClassName()).append(": ").append(t.getMessage());
        var frames = t.getStackTraceElementProxyArray();
        for (int i = 0; i < Math.min(8, frames.length); i++) sb.append("\n      at ").append(frames[i].getSTEAsString());
        if (t.getCause() != null) sb.append("\n    caused by ").append(describe(t.getCause()));
        return sb.toString();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        Thread.setDefaultUncaughtExceptionHandler(previous);
    }
}
