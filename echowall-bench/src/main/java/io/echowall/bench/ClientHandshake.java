package io.echowall.bench;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The client side of the opening handshake (RFC 6455 §4.1) over Netty's HTTP codec. On a valid
 * 101 response it removes the HTTP handlers, leaves the channel to its {@link WebSocketConnection}
 * (which receives any bytes that came right after the response) and completes {@code opened}.
 */
final class ClientHandshake extends ChannelInboundHandlerAdapter {
    /** Largest handshake response accepted; real ones are a few hundred bytes. */
    static final int MAX_RESPONSE_BYTES = 8192;
    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final Target target;
    private final WebSocketConnection connection;
    private final CompletableFuture<WebSocketConnection> opened;
    private final ErrorCounts errors;
    private final long startedAt;
    private final long timeoutNanos;
    private final RunClock latencyClock;
    private String key;
    private ScheduledFuture<?> timeout;

    /**
     * {@code latencyClock}, when not null, asks for the handshake's latency (from {@code startedAt},
     * before the TCP connect) to be recorded in the loop's histogram if it ends inside its window.
     */
    ClientHandshake(Target target, WebSocketConnection connection, CompletableFuture<WebSocketConnection> opened,
                    ErrorCounts errors, long startedAt, long timeoutNanos, RunClock latencyClock) {
        this.target = target;
        this.connection = connection;
        this.opened = opened;
        this.errors = errors;
        this.startedAt = startedAt;
        this.timeoutNanos = timeoutNanos;
        this.latencyClock = latencyClock;
    }

    /** The Sec-WebSocket-Accept value a server must answer {@code key} with (RFC 6455 §4.2.2). */
    static String expectedAccept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        key = Base64.getEncoder().encodeToString(nonce);
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, target.requestTarget());
        request.headers()
                .set(HttpHeaderNames.HOST, target.hostHeader())
                .set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
                .set(HttpHeaderNames.SEC_WEBSOCKET_KEY, key)
                .set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13");
        ctx.writeAndFlush(request, ctx.voidPromise());
        timeout = ctx.executor().schedule(() -> fail(ctx, "no handshake response within the connect timeout"),
                timeoutNanos, TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpResponse response)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            String problem = problemWith(response);
            if (problem != null) {
                fail(ctx, problem);
                return;
            }
        } finally {
            response.release();
        }
        timeout.cancel(false);
        long now = System.nanoTime();
        LoopStats stats = connection.stats;
        stats.handshakes++;
        if (latencyClock != null && latencyClock.measuring(now)) {
            stats.measured++;
            stats.recordLatency(now - startedAt);
        }
        var pipeline = ctx.pipeline();
        pipeline.replace(this, "websocket", connection);
        pipeline.remove(HttpObjectAggregator.class);
        // Removing the codec passes on any bytes it holds beyond the response: they are frames.
        pipeline.remove(HttpClientCodec.class);
        connection.onOpen();
        opened.complete(connection);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(ctx, "the server closed the connection during the handshake");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, "handshake failed: " + cause);
    }

    private String problemWith(FullHttpResponse response) {
        HttpHeaders headers = response.headers();
        if (!response.status().equals(HttpResponseStatus.SWITCHING_PROTOCOLS)) {
            return "the server answered the upgrade with " + response.status() + " instead of 101";
        }
        if (!headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            return "the 101 response lacks Upgrade: websocket";
        }
        if (!headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)) {
            return "the 101 response lacks Connection: Upgrade";
        }
        if (!expectedAccept(key).equals(headers.get(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT))) {
            return "the 101 response has a wrong Sec-WebSocket-Accept";
        }
        if (headers.contains(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS)) {
            return "the server chose an extension the client did not offer";
        }
        return null;
    }

    private void fail(ChannelHandlerContext ctx, String problem) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (opened.completeExceptionally(new BenchException(BenchException.RUN, problem))) {
            errors.add(ErrorCounts.Kind.CONNECT_FAILED, 1, problem);
        }
        ctx.close();
    }
}
