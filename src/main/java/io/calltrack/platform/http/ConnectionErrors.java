package io.calltrack.platform.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;

/**
 * The last answer on a connection the server gives up on before a request reached the router (too large, too
 * slow): JSON like every other error, then the connection is closed.
 */
final class ConnectionErrors {
    private final ObjectMapper json;

    ConnectionErrors(ObjectMapper json) {
        this.json = json;
    }

    void sendAndClose(Channel channel, HttpResponseStatus status, String message) {
        send(channel, status, message, true);
    }

    /** {@code close}: false keeps the connection for the client to read the answer while the rest is discarded. */
    void send(Channel channel, HttpResponseStatus status, String message, boolean close) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(Map.of("error", message));
        } catch (JsonProcessingException e) {
            body = "{\"error\":\"request refused\"}".getBytes();
        }
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        out.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        if (close) out.headers().set(HttpHeaderNames.CONNECTION, "close");
        HttpUtil.setContentLength(out, body.length);
        channel.writeAndFlush(out).addListener(close ? ChannelFutureListener.CLOSE : ChannelFutureListener.CLOSE_ON_FAILURE);
    }
}
