package io.echowall.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.util.concurrent.EventExecutor;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The client side of a run: its event loops, their stats, the run's error counts, and the one way
 * to open a WebSocket connection (TCP connect, handshake, hand-over to a {@link WebSocketConnection}).
 */
final class ClientFleet implements AutoCloseable {
    /** How long the main thread waits for a loop to answer a question about its stats. */
    private static final long LOOP_QUERY_TIMEOUT_SECONDS = 10;

    private final ClientSettings settings;
    private final EventLoopGroup group;
    private final Map<EventLoop, LoopStats> statsByLoop = new IdentityHashMap<>();
    private final List<EventLoop> loops = new ArrayList<>();
    private final long[] loopThreadIds;
    private final ErrorCounts errors = new ErrorCounts();
    private final Bootstrap bootstrap;

    ClientFleet(ClientSettings settings) {
        this.settings = settings;
        this.group = settings.transport().newGroup(settings.threads(), "bench-loop");
        for (EventExecutor executor : group) {
            EventLoop loop = (EventLoop) executor;
            loops.add(loop);
            statsByLoop.put(loop, new LoopStats());
        }
        this.loopThreadIds = onEachLoop(stats -> Thread.currentThread().threadId()).stream().mapToLong(Long::longValue).toArray();
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(settings.transport().socketChannel())
                // Small messages must leave at once, not wait for Nagle's algorithm to coalesce them.
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()));
    }

    ClientSettings settings() {
        return settings;
    }

    ErrorCounts errors() {
        return errors;
    }

    LoopStats statsOf(EventLoop loop) {
        return statsByLoop.get(loop);
    }

    /**
     * Opens the {@code index}-th connection of the run into {@code connection}; the future completes
     * on the connection's loop once the handshake has succeeded, or fails (and the failure is counted).
     * {@code latencyClock}, if not null, records the handshake's latency in the loop's histogram.
     */
    <C extends WebSocketConnection> CompletableFuture<C> open(long index, C connection, RunClock latencyClock) {
        return open(index, connection, latencyClock, settings.target());
    }

    /** As {@link #open(long, WebSocketConnection, RunClock)}, to {@code target} instead of the run's target. */
    <C extends WebSocketConnection> CompletableFuture<C> open(long index, C connection, RunClock latencyClock, Target target) {
        long startedAt = System.nanoTime();
        CompletableFuture<WebSocketConnection> opened = new CompletableFuture<>();
        Bootstrap attempt = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                connection.bind(channel, statsOf(channel.eventLoop()), errors, settings.closeTimeout());
                channel.pipeline().addLast(
                        new HttpClientCodec(),
                        new HttpObjectAggregator(ClientHandshake.MAX_RESPONSE_BYTES),
                        new ClientHandshake(target, connection, opened, errors, startedAt,
                                settings.connectTimeout().toNanos(), latencyClock));
            }
        });
        InetSocketAddress local = settings.sources().forConnection(index);
        ChannelFuture connect = local == null
                ? attempt.connect(target.address())
                : attempt.connect(target.address(), local);
        connect.addListener(done -> {
            if (!done.isSuccess()) {
                String problem = "cannot connect to " + target.address()
                        + (local == null ? "" : " from " + local.getAddress().getHostAddress()) + ": " + done.cause();
                if (opened.completeExceptionally(new BenchException(BenchException.RUN, problem))) {
                    errors.add(ErrorCounts.Kind.CONNECT_FAILED, 1, problem);
                }
            }
        });
        return opened.thenApply(open -> connection);
    }

    /**
     * Opens all {@code connections}, at most {@code concurrency} at a time, and waits (bounded by the
     * connect timeout) for every attempt to end; returns the ones that opened, in order.
     */
    <C extends WebSocketConnection> List<C> openAll(List<C> connections, int concurrency) {
        return openAll(connections, concurrency, 0, settings.target());
    }

    /**
     * As {@link #openAll(List, int)}, to {@code target}; {@code firstIndex} is the run-wide index of the
     * first connection (it picks the source address, so that connections opened in several calls spread).
     */
    <C extends WebSocketConnection> List<C> openAll(List<C> connections, int concurrency, long firstIndex, Target target) {
        Semaphore permits = new Semaphore(concurrency);
        // A TCP connect and a handshake each have the connect timeout; the rest is slack.
        long attemptBound = settings.connectTimeout().multipliedBy(2).plusSeconds(1).toNanos();
        List<CompletableFuture<C>> attempts = new ArrayList<>(connections.size());
        for (int i = 0; i < connections.size(); i++) {
            if (!acquire(permits, attemptBound)) {
                break;
            }
            CompletableFuture<C> attempt = open(firstIndex + i, connections.get(i), null, target);
            attempt.whenComplete((connection, failure) -> permits.release());
            attempts.add(attempt);
        }
        acquire(permits, attemptBound, concurrency);
        List<C> opened = new ArrayList<>(attempts.size());
        for (CompletableFuture<C> attempt : attempts) {
            if (attempt.isDone() && !attempt.isCompletedExceptionally()) {
                opened.add(attempt.join());
            }
        }
        return opened;
    }

    private static boolean acquire(Semaphore permits, long timeoutNanos) {
        return acquire(permits, timeoutNanos, 1);
    }

    private static boolean acquire(Semaphore permits, long timeoutNanos, int count) {
        try {
            return permits.tryAcquire(count, timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException(BenchException.RUN, "interrupted");
        }
    }

    /** Runs {@code question} on every loop, against that loop's stats, and returns the answers. */
    <R> List<R> onEachLoop(Function<LoopStats, R> question) {
        List<Future<R>> pending = new ArrayList<>(loops.size());
        for (EventLoop loop : loops) {
            LoopStats stats = statsByLoop.get(loop);
            pending.add(loop.submit(() -> question.apply(stats)));
        }
        List<R> answers = new ArrayList<>(pending.size());
        for (Future<R> answer : pending) {
            try {
                answers.add(answer.get(LOOP_QUERY_TIMEOUT_SECONDS, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BenchException(BenchException.RUN, "interrupted");
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("an event loop did not answer", e);
            }
        }
        return answers;
    }

    /** The counters of all loops, summed. */
    Totals totals() {
        return Totals.sum(onEachLoop(Totals::of));
    }

    /** CPU time the event loop threads have used so far, or -1 where the JVM cannot tell. */
    long loopCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isThreadCpuTimeSupported()) {
            return -1;
        }
        long total = 0;
        for (long id : loopThreadIds) {
            total += threads.getThreadCpuTime(id);
        }
        return total;
    }

    /** Starts the closing handshake on every connection still open and waits (bounded) for all of them to close. */
    void closeAll(List<? extends WebSocketConnection> connections) {
        connections.forEach(WebSocketConnection::close);
        // Every close has its own timer; this wait only adds slack for the loops to get to them.
        long deadline = System.nanoTime() + settings.closeTimeout().plusSeconds(2).toNanos();
        for (WebSocketConnection connection : connections) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !connection.closeFuture().awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
                connection.closeFuture().channel().close();
            }
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(Duration.ofSeconds(5).toMillis());
    }
}
