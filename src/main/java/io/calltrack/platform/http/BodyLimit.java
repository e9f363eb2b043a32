package io.calltrack.platform.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

/** Netty's aggregator, but a body over the limit gets the JSON 413 every error promises (Netty's has no body). */
final class BodyLimit extends HttpObjectAggregator {
    private final ConnectionErrors errors;

    BodyLimit(int maxBytes, ConnectionErrors errors) {
        super(maxBytes);
        this.errors = errors;
    }

    /**
     * As Netty decides it: a client still sending a keep-alive body keeps the connection until it has read the
     * answer (the rest of the body is discarded); closing at once would reset the socket before it could.
     */
    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        boolean close = oversized instanceof FullHttpMessage
                || !HttpUtil.is100ContinueExpected(oversized) && !HttpUtil.isKeepAlive(oversized);
        errors.send(ctx.channel(), HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "request body larger than " + maxContentLength() + " bytes", close);
    }
}
