package io.calltrack.telephony.agi;

import io.netty.channel.Channel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/** {@link AgiChannel} over one Netty connection: at most one command in flight, replies matched in order. */
final class AgiSession implements AgiChannel {
    private final Channel connection;
    private final Executor blockingExecutor;
    private final Runnable onRejected;
    private CompletableFuture<AgiReply> pending;
    private String pendingCommand;
    private boolean closed;
    private volatile boolean hungUp;

    AgiSession(Channel connection, Executor blockingExecutor, Runnable onRejected) {
        this.connection = connection;
        this.blockingExecutor = blockingExecutor;
        this.onRejected = onRejected;
    }

    @Override
    public CompletableFuture<AgiReply> send(AgiCommand command) {
        CompletableFuture<AgiReply> reply = new CompletableFuture<>();
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(
                        new AgiConnectionClosedException("AGI connection closed before '" + command.line() + "'"));
            }
            if (pending != null) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "'" + pendingCommand + "' still awaits its reply; send '" + command.line() + "' after it"));
            }
            pending = reply;
            pendingCommand = command.line();
        }
        connection.writeAndFlush(command.line() + "\n").addListener(written -> {
            if (!written.isSuccess()) {
                connectionClosed();
            }
        });
        return reply;
    }

    @Override
    public boolean hungUp() {
        return hungUp;
    }

    @Override
    public <T> CompletableFuture<T> blocking(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, blockingExecutor);
        } catch (RejectedExecutionException full) {
            onRejected.run();
            return CompletableFuture.failedFuture(full);
        }
    }

    /** A reply line arrived; false when no command was waiting for one (a protocol error). */
    boolean replied(AgiReply reply) {
        CompletableFuture<AgiReply> waiting;
        synchronized (this) {
            waiting = pending;
            pending = null;
            pendingCommand = null;
        }
        if (waiting == null) {
            return false;
        }
        if (reply.deadChannel()) {
            hungUp = true;
        }
        waiting.complete(reply);
        return true;
    }

    void hangupNotice() {
        hungUp = true;
    }

    void connectionClosed() {
        CompletableFuture<AgiReply> waiting;
        String command;
        synchronized (this) {
            closed = true;
            waiting = pending;
            command = pendingCommand;
            pending = null;
        }
        hungUp = true;
        if (waiting != null) {
            waiting.completeExceptionally(
                    new AgiConnectionClosedException("AGI connection closed while '" + command + "' awaited its reply"));
        }
    }
}
