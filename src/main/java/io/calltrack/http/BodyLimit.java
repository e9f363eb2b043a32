package io.calltrack.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;

/** Netty's aggregator, but a body over the limit gets the JSON 413 every error promises (Netty's has no body). */
final class BodyLimit extends HttpObjectAggregator {
    private final ConnectionErrors errors;

    BodyLimit(int maxBytes, ConnectionErrors errors) {
        super(maxBytes);
        this.errors = errors;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        errors.sendAndClose(ctx.channel(), HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "request body larger than " + maxContentLength() + " bytes");
    }
}
