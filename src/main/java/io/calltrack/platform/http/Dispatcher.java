package io.calltrack.platform.http;

import io.calltrack.InvalidField;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.access.AccessRefused;
import io.calltrack.access.Authenticator;
import io.calltrack.access.Credentials;
import io.calltrack.access.Principal;
import io.calltrack.platform.db.DatabaseUnavailableException;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.stream.ChunkedFile;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AsciiString;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Matches each request to a route, authenticates and authorises it ({@link Authorization}) when the route has a
 * {@link Need}, runs the handler off the event loop.
 */
@ChannelHandler.Sharable
final class Dispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private final Map<String, AsciiString> headerNames = new ConcurrentHashMap<>();

    private final List<Route> routes;
    private final Authenticator authenticator;
    private final ObjectMapper json;
    private final Executor blocking;

    Dispatcher(List<Route> routes, Authenticator authenticator, ObjectMapper json, Executor blocking) {
        this.routes = List.copyOf(routes);
        this.authenticator = authenticator;
        this.json = json;
        this.blocking = blocking;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (!req.decoderResult().isSuccess()) {
            write(ctx, error(400, "malformed HTTP request"), false);
            return;
        }
        QueryStringDecoder qs = new QueryStringDecoder(req.uri());
        String path;
        Map<String, List<String>> query;
        try { // both decode lazily, and throw on a broken escape such as "%zz" or a lone "%"
            path = qs.path();
            query = qs.parameters();
        } catch (IllegalArgumentException e) {
            write(ctx, error(400, "malformed percent-encoding in the request target: " + e.getMessage()), keepAlive);
            return;
        }
        String method = req.method().name();
        Optional<Match> match = find(method, path);
        if (match.isEmpty()) {
            boolean pathKnown = routes.stream().anyMatch(r -> r.match(path).isPresent());
            write(ctx, pathKnown ? error(405, method + " is not allowed on " + path)
                    : error(404, "no such endpoint: " + path), keepAlive);
            return;
        }
        Map<String, String> headers = new HashMap<>();
        req.headers().forEach(e -> headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
        byte[] body = new byte[req.content().readableBytes()];
        req.content().readBytes(body);
        String remote = ctx.channel().remoteAddress() instanceof InetSocketAddress a
                ? a.getAddress().getHostAddress() : String.valueOf(ctx.channel().remoteAddress());
        ApiRequest request = new ApiRequest(method, path, match.get().params(), query, headers, body, remote, json,
                Optional.empty());
        Route route = match.get().route();
        try {
            blocking.execute(() -> {
                ApiResponse response = run(route, request);
                if (response.body() instanceof StreamedBody streamed) {
                    ResponseStream.send(ctx, response, streamed, keepAlive, request.method() + " " + request.path());
                    return;
                }
                ctx.executor().execute(() -> write(ctx, response, keepAlive));
            });
        } catch (RejectedExecutionException e) {
            write(ctx, error(503, "server busy, retry shortly").withHeader("Retry-After", "1"), keepAlive);
        }
    }

    /** The handler's response or the error it ended in, with the route's own headers on either. */
    private ApiResponse run(Route route, ApiRequest request) {
        Map<String, String> always;
        try {
            always = route.headers().of(request);
        } catch (Exception e) {
            return failure(request, e);
        }
        ApiResponse response;
        try {
            response = route.need().isPresent() ? authenticated(route, request) : route.handler().handle(request);
        } catch (Exception e) {
            response = failure(request, e);
        }
        return always.isEmpty() ? response : response.withHeaders(always);
    }

    /**
     * Who sent it first (a database lookup for users' tokens and sessions, hence here, off the event loop), then
     * whether they may.
     */
    private ApiResponse authenticated(Route route, ApiRequest request) throws Exception {
        Optional<Principal> who;
        try {
            who = authenticator.authenticate(new Credentials(request.method(), request.headers(),
                    request.remoteAddress()));
        } catch (AccessRefused e) {
            return error(403, e.getMessage());
        }
        if (who.isEmpty()) {
            return error(401, "not logged in: a missing or wrong bearer token, or no live session (log in with "
                    + "POST /v1/session)").withHeader("WWW-Authenticate", "Bearer");
        }
        ApiRequest authenticated = request.from(who.get());
        Authorization.check(route.need().orElseThrow(), authenticated);
        return route.handler().handle(authenticated);
    }

    private ApiResponse failure(ApiRequest request, Exception e) {
        if (e instanceof InvalidField invalid) {
            return ApiResponse.json(400, Map.of("error", invalid.getMessage(), "field", invalid.field()));
        }
        if (e instanceof ApiException api) {
            return api.field().map(f -> ApiResponse.json(api.status(), Map.of("error", api.getMessage(), "field", f)))
                    .orElseGet(() -> error(api.status(), api.getMessage()));
        }
        if (e instanceof DatabaseUnavailableException) {
            log.error("{} {}: database unavailable: {}", request.method(), request.path(), e.getMessage());
            return error(503, "database unavailable, retry shortly").withHeader("Retry-After", "5");
        }
        log.error("{} {} failed", request.method(), request.path(), e);
        return error(500, "internal error; see the server log");
    }

    private Optional<Match> find(String method, String path) {
        for (Route r : routes) {
            if (!r.method().equals(method)) continue;
            Optional<Map<String, String>> params = r.match(path);
            if (params.isPresent()) return Optional.of(new Match(r, params.get()));
        }
        return Optional.empty();
    }

    private record Match(Route route, Map<String, String> params) {}

    private static ApiResponse error(int status, String message) {
        return ApiResponse.json(status, Map.of("error", message));
    }

    /**
     * The few header names our routes set, as AsciiStrings that keep their hash: Netty hashes a String name
     * character by character on every set, which was an eighth of a visitor request's CPU.
     */
    private AsciiString headerName(String name) {
        return headerNames.computeIfAbsent(name, AsciiString::cached);
    }

    private void write(ChannelHandlerContext ctx, ApiResponse response, boolean keepAlive) {
        if (response.body() instanceof FileBody file) {
            writeFile(ctx, response, file, keepAlive);
            return;
        }
        byte[] bytes;
        try {
            bytes = response.body() instanceof byte[] b ? b : json.writeValueAsBytes(response.body());
        } catch (Exception e) {
            log.error("cannot serialise response", e);
            response = error(500, "internal error; see the server log");
            bytes = "{\"error\":\"internal error\"}".getBytes();
        }
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.status()), Unpooled.wrappedBuffer(bytes));
        out.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        response.headers().forEach((k, v) -> out.headers().set(headerName(k), v));
        HttpUtil.setContentLength(out, bytes.length);
        if (keepAlive) {
            HttpUtil.setKeepAlive(out, true);
            ctx.writeAndFlush(out);
        } else {
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Streams the file region without copying it into memory; a file gone meanwhile closes the connection. */
    private void writeFile(ChannelHandlerContext ctx, ApiResponse response, FileBody file, boolean keepAlive) {
        RandomAccessFile raf;
        try {
            raf = new RandomAccessFile(file.file().toFile(), "r");
        } catch (IOException e) {
            write(ctx, error(404, "file is gone"), keepAlive);
            return;
        }
        HttpResponse out = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.status()));
        out.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        response.headers().forEach((k, v) -> out.headers().set(headerName(k), v));
        HttpUtil.setContentLength(out, file.length());
        HttpUtil.setKeepAlive(out, keepAlive);
        ctx.write(out);
        ChannelFuture last;
        try {
            last = ctx.writeAndFlush(new HttpChunkedInput(new ChunkedFile(raf, file.offset(), file.length(), 64 * 1024)));
        } catch (IOException e) {
            log.warn("cannot stream {}: {}", file.file(), e.toString());
            ctx.close();
            return;
        }
        if (!keepAlive) last.addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection from {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
