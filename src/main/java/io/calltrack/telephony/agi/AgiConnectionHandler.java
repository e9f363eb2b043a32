package io.calltrack.telephony.agi;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One FastAGI connection: waits for the header block (bounded in time), starts the script its path names, feeds
 * replies and HANGUP notices to the {@link AgiSession}, and closes the connection when the script ends. Input that
 * is not AGI closes this connection only, with one log line naming the peer and what was wrong.
 */
final class AgiConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(AgiConnectionHandler.class);

    private final AgiScripts scripts;
    private final Executor blockingExecutor;
    private final AgiMetrics metrics;
    private final Duration headerTimeout;
    private final int maxLineLength;
    private ScheduledFuture<?> headerDeadline;
    private AgiSession session;
    private boolean failed;

    AgiConnectionHandler(AgiScripts scripts, Executor blockingExecutor, AgiMetrics metrics, Duration headerTimeout,
                         int maxLineLength) {
        this.scripts = scripts;
        this.blockingExecutor = blockingExecutor;
        this.metrics = metrics;
        this.headerTimeout = headerTimeout;
        this.maxLineLength = maxLineLength;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        metrics.opened();
        headerDeadline = ctx.executor().schedule(() -> {
            if (session == null) {
                reject(ctx, "header-timeout", "no complete header block within " + headerTimeout.toMillis()
                        + " ms (agi.header-timeout)");
            }
        }, headerTimeout.toMillis(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        headerDeadline.cancel(false);
        metrics.closed();
        if (session != null) {
            session.connectionClosed();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (failed) {
            return;
        }
        if (message instanceof AgiRequest request) {
            headerDeadline.cancel(false);
            start(ctx, request);
        } else if (message instanceof AgiReply reply) {
            if (!session.replied(reply)) {
                reject(ctx, "unexpected-reply", "reply " + reply.status() + " arrived while no command was sent");
            }
        } else if (message == AgiHangup.NOTICE) {
            session.hangupNotice();
        }
    }

    private void start(ChannelHandlerContext ctx, AgiRequest request) {
        session = new AgiSession(ctx.channel(), blockingExecutor, metrics::rejected);
        AgiScript script = scripts.find(request.scriptPath()).orElse(null);
        if (script == null) {
            reject(ctx, "unknown-script", "no AGI script '" + request.scriptPath() + "' (request " + request.request()
                    + ", channel " + request.channel() + "); known: " + scripts.paths()
                    + "; Asterisk continues the dialplan with AGISTATUS=FAILURE");
            return;
        }
        CompletionStage<Void> run;
        try {
            run = Objects.requireNonNull(script.run(request, session), "script returned no CompletionStage");
        } catch (RuntimeException e) {
            run = CompletableFuture.failedFuture(e);
        }
        run.whenComplete((done, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (cause instanceof AgiConnectionClosedException) {
                    log.info("AGI script '{}' for {} ({}) ended: Asterisk closed the connection",
                            request.scriptPath(), request.channel(), request.uniqueId());
                } else {
                    log.error("AGI script '{}' failed for {} ({}); the dialplan continues after AGI()",
                            request.scriptPath(), request.channel(), request.uniqueId(), cause);
                }
            }
            ctx.close(); // hands the channel back to the dialplan (AGISTATUS=SUCCESS)
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof TooLongFrameException) {
            reject(ctx, "too-long", "line longer than " + maxLineLength + " bytes (agi.max-line-length)");
        } else if (root instanceof AgiProtocolException) {
            reject(ctx, "malformed", root.getMessage());
        } else if (root instanceof IOException) {
            log.debug("AGI connection {} lost: {}", ctx.channel().remoteAddress(), root.toString());
            ctx.close();
        } else {
            log.error("AGI connection {} closed after an internal error", ctx.channel().remoteAddress(), root);
            ctx.close();
        }
    }

    /** Closes this connection for bad input, logging once: other connections are not affected. */
    private void reject(ChannelHandlerContext ctx, String kind, String why) {
        if (failed) {
            return;
        }
        failed = true;
        metrics.protocolError(kind);
        log.warn("AGI connection from {} closed: {}", ctx.channel().remoteAddress(), why);
        ctx.close();
    }
}
