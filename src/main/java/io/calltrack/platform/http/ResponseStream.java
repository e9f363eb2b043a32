package io.calltrack.platform.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a {@link StreamedBody} as a chunked response from the blocking thread that runs its writer: each 64 KiB
 * becomes one chunk, and the thread waits until Netty has handed the previous chunk to the socket, so a slow reader
 * slows the writer (and the query behind it) instead of filling the heap. A client gone away fails the wait, which
 * ends the writer with an IOException.
 */
final class ResponseStream extends OutputStream {
    private static final Logger log = LoggerFactory.getLogger(ResponseStream.class);
    private static final int CHUNK = 64 * 1024;

    private final ChannelHandlerContext ctx;
    private final byte[] buffer = new byte[CHUNK];
    private int filled;

    private ResponseStream(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    static void send(ChannelHandlerContext ctx, ApiResponse response, StreamedBody body, boolean keepAlive,
                     String what) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.status()));
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        response.headers().forEach((k, v) -> head.headers().set(k, v));
        HttpUtil.setTransferEncodingChunked(head, true);
        HttpUtil.setKeepAlive(head, keepAlive);
        ResponseStream out = new ResponseStream(ctx);
        try {
            out.await(ctx.writeAndFlush(head));
            body.writer().writeTo(out);
            out.flush();
            ChannelFuture last = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            if (!keepAlive) last.addListener(ChannelFutureListener.CLOSE);
        } catch (IOException gone) {
            log.debug("{}: the client left during the streamed response: {}", what, gone.toString());
            ctx.close();
        } catch (Exception e) {
            log.error("{}: the streamed response failed midway; the connection is closed so the client sees it "
                    + "incomplete", what, e);
            ctx.close();
        }
    }

    @Override
    public void write(int b) throws IOException {
        if (filled == CHUNK) flush();
        buffer[filled++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (filled == CHUNK) flush();
            int n = Math.min(len, CHUNK - filled);
            System.arraycopy(b, off, buffer, filled, n);
            filled += n;
            off += n;
            len -= n;
        }
    }

    @Override
    public void flush() throws IOException {
        if (filled == 0) return;
        byte[] chunk = Arrays.copyOf(buffer, filled);
        filled = 0;
        await(ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk))));
    }

    private void await(ChannelFuture written) throws IOException {
        try {
            written.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the client read the response", e);
        }
        if (!written.isSuccess()) throw new IOException("the connection closed", written.cause());
    }
}
