package io.echowall.internal;

import io.echowall.EchowallConfig;
import io.echowall.http.TokenBucket;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AttributeKey;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server-wide limits on connections: how many are open, how many WebSockets one client address
 * holds, and how fast upgrades may come. A connection counts from the moment it is admitted until it
 * closes, whatever closes it.
 */
final class ConnectionLimits {

    /** Why a request is refused: its status, what the page says, and the seconds {@code Retry-After} gives. */
    record Refusal(HttpResponseStatus status, String explanation, long retryAfterSeconds) {
    }

    private static final AttributeKey<Refusal> OVER_LIMIT = AttributeKey.valueOf("echowall.overLimit");
    private static final Refusal SERVER_FULL = new Refusal(HttpResponseStatus.SERVICE_UNAVAILABLE,
            "The server is at its connection limit. Try again shortly.", 5);

    private final int maxConnections;
    private final int maxWebSocketsPerAddress;
    private final TokenBucket handshakes;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> webSockets = new ConcurrentHashMap<>();
    private final AcceptCounter acceptCounter = new AcceptCounter();

    ConnectionLimits(EchowallConfig config) {
        this.maxConnections = config.maxConnections();
        this.maxWebSocketsPerAddress = config.maxWebSocketsPerAddress();
        this.handshakes = config.handshakeRateLimit() == 0 ? null
                : new TokenBucket(config.handshakeRateLimit(), config.handshakeRateLimit(), System::nanoTime);
    }

    /**
     * The handler of the listening channel: it counts each accepted connection, in the order they were
     * accepted, until it closes, and marks those past the limit with the refusal their first request gets.
     */
    ChannelHandler acceptCounter() {
        return acceptCounter;
    }

    /** The refusal {@link #acceptCounter()} marked {@code channel} with, or null if it is within the limit. */
    static Refusal overLimit(Channel channel) {
        return channel.attr(OVER_LIMIT).get();
    }

    @ChannelHandler.Sharable
    private final class AcceptCounter extends ChannelInboundHandlerAdapter {
        /** One listener for every connection's close, not one per connection. */
        private final ChannelFutureListener closed = f -> open.decrementAndGet();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object accepted) {
            Channel channel = (Channel) accepted;
            if (open.incrementAndGet() > maxConnections) {
                channel.attr(OVER_LIMIT).set(SERVER_FULL);
            }
            channel.closeFuture().addListener(closed);
            ctx.fireChannelRead(accepted);
        }
    }

    /**
     * Admits a WebSocket upgrade from {@code client} on {@code channel}, which then counts against that
     * address until it closes; returns null when admitted, else the refusal.
     */
    Refusal admitWebSocket(InetAddress client, Channel channel) {
        if (handshakes != null && !handshakes.tryTake(1)) {
            return new Refusal(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "The server takes no more WebSocket connections this second. Try again shortly.",
                    handshakes.secondsUntil(1));
        }
        if (maxWebSocketsPerAddress == 0) {
            return null;
        }
        boolean[] admitted = new boolean[1];
        webSockets.compute(client, (address, count) -> {
            int held = count == null ? 0 : count;
            admitted[0] = held < maxWebSocketsPerAddress;
            return admitted[0] ? held + 1 : count;
        });
        if (!admitted[0]) {
            return new Refusal(HttpResponseStatus.TOO_MANY_REQUESTS,
                    "Your address holds as many WebSocket connections as this server allows one address. "
                            + "Close one, or try again later.", 10);
        }
        channel.closeFuture().addListener(f -> webSockets.computeIfPresent(client, (address, count) -> count == 1 ? null : count - 1));
        return null;
    }
}
