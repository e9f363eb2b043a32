package io.calltrack.platform.http;

import io.calltrack.platform.net.TcpListener;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.TimeUnit;

/**
 * One connection's part in a graceful stop ({@link TcpListener#DRAIN}): the request it is serving is answered,
 * with {@code Connection: close}, and then the connection closes. A connection kept alive after earlier requests
 * closes at once (its client retries on a new one, as HTTP/1.1 clients do); a new one that has not sent its first
 * request yet gets a short grace, so the request its client opened it for is answered rather than reset.
 * Sits between the codec and the aggregator, so it sees every response end, streamed files included.
 */
final class HttpDrain extends ChannelDuplexHandler {
    /** Long enough for a first request already on the wire, short enough not to hold the stop up. */
    private static final long FIRST_REQUEST_GRACE_MILLIS = 1000;

    private int inFlight;
    private boolean served;
    private boolean draining;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            inFlight++;
            served = true;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean interim = msg instanceof HttpResponse r && r.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        if (msg instanceof HttpResponse r && draining && !interim) HttpUtil.setKeepAlive(r, false);
        if (!(msg instanceof LastHttpContent) || interim) {
            ctx.write(msg, promise);
            return;
        }
        ctx.write(msg, promise.unvoid()).addListener(written -> {
            inFlight--;
            if (draining && inFlight == 0) ctx.close();
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt != TcpListener.DRAIN) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        draining = true;
        if (inFlight > 0) return; // closes when the response is written
        if (served) {
            ctx.close();
        } else {
            ctx.executor().schedule(() -> {
                if (inFlight == 0) ctx.close();
            }, FIRST_REQUEST_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }
}
