package io.calltrack.platform.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A request's headers must arrive within {@code http.header-timeout} of its first byte, and its body within
 * {@code http.body-timeout} of its headers; otherwise 408 and the connection is closed. An idle timer alone does
 * not stop a client that sends one byte a second: every byte resets it. One instance per connection, two handlers
 * in the pipeline: {@link #bytes()} before the HTTP codec sees the first byte, {@link #messages()} after it sees
 * where the headers and the body end.
 */
final class RequestDeadlines {
    private final Duration headerTimeout;
    private final Duration bodyTimeout;
    private final ConnectionErrors errors;
    private ScheduledFuture<?> deadline;
    private boolean inRequest;

    RequestDeadlines(Duration headerTimeout, Duration bodyTimeout, ConnectionErrors errors) {
        this.headerTimeout = headerTimeout;
        this.bodyTimeout = bodyTimeout;
        this.errors = errors;
    }

    ChannelHandler bytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (!inRequest && msg instanceof ByteBuf b && b.isReadable()) {
                    inRequest = true;
                    arm(ctx, headerTimeout, "request headers");
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                cancel();
                ctx.fireChannelInactive();
            }
        };
    }

    ChannelHandler messages() {
        return new ChannelDuplexHandler() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof HttpRequest) arm(ctx, bodyTimeout, "request body");
                if (msg instanceof LastHttpContent) cancel();
                ctx.fireChannelRead(msg);
            }

            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                // the response ends the request: the next byte starts the next one's header deadline
                if (msg instanceof LastHttpContent) inRequest = false;
                ctx.write(msg, promise);
            }
        };
    }

    private void arm(ChannelHandlerContext ctx, Duration timeout, String what) {
        cancel();
        deadline = ctx.executor().schedule(() -> errors.sendAndClose(ctx.channel(),
                HttpResponseStatus.REQUEST_TIMEOUT, what + " not received within " + timeout.toMillis() + " ms"),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cancel() {
        if (deadline != null) deadline.cancel(false);
        deadline = null;
    }
}
