package io.echowall.internal;

import io.echowall.Context;
import io.echowall.EchowallConfig;
import io.echowall.Handler;
import io.echowall.websocket.Handshake;
import io.netty.channel.Channel;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The open event streams of the app's rooms endpoints, each under an unguessable session id, and the
 * POST route through which their clients send requests: {@code POST path?session=id}, a body of one
 * envelope or several, one per line, handed to the stream's connection in order.
 *
 * <p>The session id is the only way to act on a stream, and it is only ever written on that stream,
 * which a page of another origin cannot read (no CORS headers are sent); on top, a POST from another
 * origin is refused as an upgrade from it would be, so a cookie-authenticated stream cannot be driven
 * by a cross-site request (CSRF).
 */
final class EventStreams implements Handler {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** How often to look whether a paused stream reads again: rare enough to cost nothing, soon enough. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private record Stream(Channel channel, EventStreamWire wire) {
    }

    private final EchowallConfig config;
    private final Map<String, Stream> streams = new ConcurrentHashMap<>();

    EventStreams(EchowallConfig config) {
        this.config = config;
    }

    /** Registers the stream on {@code channel} until it closes; returns its session id (128 random bits). */
    String open(Channel channel, EventStreamWire wire) {
        byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        String session = Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
        streams.put(session, new Stream(channel, wire));
        channel.closeFuture().addListener(closed -> streams.remove(session));
        return session;
    }

    /** Serves a POST of requests to a stream, on the request's virtual thread. */
    @Override
    public void handle(Context ctx) {
        if (!Handshake.originAllowed(ctx.header("Origin"), ctx.header("Host"), config.allowedOrigins())) {
            refuse(ctx, 403, "forbidden-origin", "Pages from this origin may not post to this endpoint.");
            return;
        }
        String session = ctx.queryParam("session");
        Stream stream = session == null ? null : streams.get(session);
        if (stream == null || !stream.channel().isActive()) {
            refuse(ctx, 404, "unknown-session", "No open event stream has this session; open a new one.");
            return;
        }
        List<String> envelopes = new ArrayList<>();
        for (String line : ctx.body().split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.getBytes(StandardCharsets.UTF_8).length > config.maxMessageSize()) {
                refuse(ctx, 413, "too-large", "A request is larger than " + config.maxMessageSize() + " bytes; none was taken.");
                return;
            }
            envelopes.add(line);
        }
        for (String envelope : envelopes) {
            // As on a WebSocket, a connection that does not read (its handler is behind, it is over its
            // rate limit, or its client does not take what it is sent) takes nothing more until it does.
            boolean reading = awaitReading(stream.channel());
            if (!stream.channel().isActive() || reading && !onLoop(stream.channel(), () -> stream.wire().requestPosted(envelope))) {
                refuse(ctx, 404, "unknown-session", "The event stream of this session ended; open a new one.");
                return;
            }
            if (!reading) {
                ctx.header("Retry-After", "1");
                refuse(ctx, 503, "busy", "The stream took no more requests within the send timeout; post the rest again.");
                return;
            }
        }
        ctx.status(204);
    }

    /** Waits, within the send timeout, until the stream's connection reads; whether it does (or closed). */
    private boolean awaitReading(Channel channel) {
        long deadline = System.nanoTime() + config.sendTimeout().toNanos();
        while (!channel.config().isAutoRead() && channel.isActive()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return true;
    }

    /** Runs {@code task} on the stream's event loop and waits for it; false if it could not run. */
    private boolean onLoop(Channel channel, Runnable task) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            channel.eventLoop().execute(() -> {
                try {
                    task.run();
                } finally {
                    done.complete(null);
                }
            });
            done.get(config.sendTimeout().toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            return false;
        }
    }

    private static void refuse(Context ctx, int status, String code, String message) {
        ctx.status(status).json(Map.of("error", code, "message", message));
    }
}
