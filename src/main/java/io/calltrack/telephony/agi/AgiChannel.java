package io.calltrack.telephony.agi;

import io.calltrack.calls.DialResult;
import io.calltrack.calls.DialStatus;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * The Asterisk channel behind one FastAGI connection, driven asynchronously: no thread waits while Asterisk dials.
 * Asterisk runs commands strictly in order, so only one command may await its reply at a time; chain the next one
 * on the previous future. Errors Asterisk answers (510, 511, 520) complete the future normally with that
 * {@link AgiReply}; a lost connection completes it with {@link AgiConnectionClosedException}.
 */
public interface AgiChannel {

    /** Sends one command; fails with IllegalStateException if another command still awaits its reply. */
    CompletableFuture<AgiReply> send(AgiCommand command);

    /** True once Asterisk said HANGUP, answered 511, or the connection closed. */
    boolean hungUp();

    /**
     * Runs blocking work (database) on the bounded AGI executor. When that executor is full the future fails with
     * {@link RejectedExecutionException} (seen wrapped in a {@link CompletionException} further down a chain): test
     * with {@link #rejected(Throwable)} and route the call to the fallback instead of waiting.
     */
    <T> CompletableFuture<T> blocking(Supplier<T> work);

    /** Whether {@code failure} (possibly wrapped) means the AGI executor had no room for {@link #blocking} work. */
    static boolean rejected(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RejectedExecutionException) {
                return true;
            }
        }
        return false;
    }

    default CompletableFuture<AgiReply> setVariable(String name, String value) {
        return send(AgiCommand.setVariable(name, value));
    }

    /** The variable's value; empty when it is unset. */
    default CompletableFuture<Optional<String>> getVariable(String name) {
        return send(AgiCommand.getVariable(name)).thenApply(AgiChannel::valueOf);
    }

    /** The expression evaluated by Asterisk, e.g. {@code ${CALLERID(num)}}. */
    default CompletableFuture<Optional<String>> getFullVariable(String expression) {
        return send(AgiCommand.getFullVariable(expression)).thenApply(AgiChannel::valueOf);
    }

    /** result is the application's return: 0 ran, -1 hung up or failed, -2 no such application. */
    default CompletableFuture<AgiReply> exec(String application, String args) {
        return send(AgiCommand.exec(application, args));
    }

    /**
     * Dials and reads the outcome from app_dial's variables in one round trip (GET VARIABLE answers even after the
     * caller hung up). EXEC Dial answers result=0 when the caller is still there; after a conversation it answers -1,
     * whoever hung up (Asterisk 22 then keeps the AGI session for the read and sends HANGUP soon after). If the
     * connection is lost right there, or Asterisk refuses the read, the outcome is {@link DialResult#UNKNOWN} and AMI
     * reports it.
     * {@code options} may be empty.
     */
    default CompletableFuture<DialResult> dial(String dialString, Duration ringTimeout, String options) {
        String args = dialString + "," + Math.max(1, ringTimeout.toSeconds()) + (options.isEmpty() ? "" : "," + options);
        return exec("Dial", args)
                .thenCompose(ran -> getFullVariable(DIAL_RESULT_EXPRESSION)
                        .thenApply(value -> AgiChannel.dialResult(value.orElse("")))
                        .exceptionally(failure -> {
                            // Asterisk refused the read (510, 511, 520): the outcome is left to AMI, the call goes on
                            if (failure.getCause() instanceof AgiProtocolException) return DialResult.UNKNOWN;
                            if (ran.ok() && ran.result().equals("-1")
                                    && failure.getCause() instanceof AgiConnectionClosedException) {
                                return DialResult.UNKNOWN;
                            }
                            throw failure instanceof CompletionException c ? c : new CompletionException(failure);
                        }));
    }

    /** app_dial's outcome variables, read at once; DIALEDPEERNAME last since only it could hold a '|'. */
    String DIAL_RESULT_EXPRESSION = "${DIALSTATUS}|${ANSWEREDTIME_MS}|${DIALEDPEERNAME}";

    /** Parses the expansion of {@link #DIAL_RESULT_EXPRESSION}; unset or garbled parts are absent, never guessed. */
    private static DialResult dialResult(String expanded) {
        String[] part = expanded.split("\\|", 3);
        DialStatus status = DialStatus.of(part[0]);
        Optional<Duration> talk = Optional.empty();
        if (status == DialStatus.ANSWER && part.length > 1 && !part[1].isEmpty()) {
            try {
                long ms = Long.parseLong(part[1]);
                if (ms >= 0) talk = Optional.of(Duration.ofMillis(ms));
            } catch (NumberFormatException garbled) {
                // not app_dial's number: the talk time is left to AMI
            }
        }
        Optional<String> peer = part.length > 2 && !part[2].isEmpty() ? Optional.of(part[2]) : Optional.empty();
        return new DialResult(status, talk, peer);
    }

    /** Plays {@code file} and collects digits: {@link AgiReply#result()} holds them, {@link AgiReply#timedOut()}. */
    default CompletableFuture<AgiReply> getData(String file, Duration timeout, int maxDigits) {
        return send(AgiCommand.getData(file, timeout, maxDigits));
    }

    default CompletableFuture<AgiReply> streamFile(String file, String escapeDigits) {
        return send(AgiCommand.streamFile(file, escapeDigits));
    }

    default CompletableFuture<AgiReply> verbose(String message, int level) {
        return send(AgiCommand.verbose(message, level));
    }

    default CompletableFuture<AgiReply> hangup() {
        return send(AgiCommand.hangup());
    }

    /** result 0 once the channel is up (also when it already was), -1 when it could not be answered. */
    default CompletableFuture<AgiReply> answer() {
        return send(AgiCommand.answer());
    }

    /**
     * result is Asterisk's channel state: {@link #STATE_UP} once answered, 4 (ring) while an incoming call waits
     * to be answered. After a hang-up Asterisk answers 511, so {@link #hungUp()} is true once this reply is in.
     */
    default CompletableFuture<AgiReply> channelStatus() {
        return send(AgiCommand.channelStatus());
    }

    /** {@code AST_STATE_UP}: the channel is answered. */
    int STATE_UP = 6;

    private static Optional<String> valueOf(AgiReply reply) {
        if (!reply.ok()) {
            throw new CompletionException(new AgiProtocolException("variable read answered " + reply.status()));
        }
        return reply.result().equals("1") ? reply.data().or(() -> Optional.of("")) : Optional.empty();
    }
}
