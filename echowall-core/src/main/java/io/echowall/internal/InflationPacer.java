package io.echowall.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Bounds the time compressed connections spend inflating (and handling what they inflated) on an event
 * loop. A kilobyte of deflate data can inflate to a megabyte, so a single read can hold enough work to
 * stall every other connection on the loop, new handshakes included. Two budgets apply: a connection
 * gets about a millisecond per turn (one message at least), and all compressed connections of a loop
 * together get 40 ms of every 50, so that the loop's other I/O always has its share. Past a budget,
 * further messages wait here, still compressed, reading pauses, and the rest is worked through in
 * later turns. Order is kept: once one message waits, all that follow wait.
 */
final class InflationPacer extends ChannelInboundHandlerAdapter {

    /** Work per connection per turn; the first message of a turn always goes through, however long it takes. */
    private static final long TURN_BUDGET_NANOS = 1_000_000;
    /** The loop's share for compressed work, per thread: each event loop has its own. */
    private static final ThreadLocal<LoopShare> SHARES = ThreadLocal.withInitial(LoopShare::new);

    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private final Consumer<Boolean> pauseReading;
    private ChannelHandlerContext ctx;
    private long spentThisTurn;
    private boolean resumeScheduled;

    /** A pacer that stops and resumes the connection's reading through {@code pauseReading}. */
    InflationPacer(Consumer<Boolean> pauseReading) {
        this.pauseReading = pauseReading;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (resumeScheduled) {
            waiting.add(msg);
            return;
        }
        long wait = SHARES.get().waitNanos();
        if (wait > 0) {
            waiting.add(msg);
            pause(wait);
            return;
        }
        pass(msg);
        if (spentThisTurn >= TURN_BUDGET_NANOS) {
            pause(0);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!resumeScheduled) {
            spentThisTurn = 0;
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        waiting.forEach(ReferenceCountUtil::release);
        waiting.clear();
        ctx.fireChannelInactive();
    }

    private void pass(Object msg) {
        long start = System.nanoTime();
        ctx.fireChannelRead(msg);
        long spent = System.nanoTime() - start;
        spentThisTurn += spent;
        SHARES.get().spent(spent);
    }

    private void pause(long delayNanos) {
        resumeScheduled = true;
        pauseReading.accept(true);
        resumeLater(delayNanos);
    }

    /**
     * Resumes after {@code delayNanos}, and at the soonest after the loop's next round of I/O: a task
     * scheduled even without delay waits for the next round, where one merely queued could run in this
     * round's tasks, other connections still waiting.
     */
    private void resumeLater(long delayNanos) {
        ctx.executor().schedule(this::resume, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** A later turn: works through waiting messages within fresh budgets, then reads again once none wait. */
    private void resume() {
        spentThisTurn = 0;
        LoopShare share = SHARES.get();
        long wait = share.waitNanos();
        Object msg;
        while (wait == 0 && spentThisTurn < TURN_BUDGET_NANOS && (msg = waiting.poll()) != null) {
            pass(msg);
            wait = share.waitNanos();
        }
        ctx.fireChannelReadComplete(); // flushes what the handled messages sent back
        if (waiting.isEmpty()) {
            resumeScheduled = false;
            spentThisTurn = 0;
            pauseReading.accept(false);
        } else if (ctx.channel().isActive()) {
            resumeLater(wait);
        }
    }

    /** The time one event loop spends on compressed work, over windows of 50 ms: at most 40 ms of each. */
    private static final class LoopShare {
        private static final long WINDOW_NANOS = 50_000_000;
        private static final long BUDGET_NANOS = 40_000_000;

        private long windowStart = System.nanoTime();
        private long spent;

        /** How long compressed work must wait before it may go on: 0 when it may now. */
        long waitNanos() {
            long now = System.nanoTime();
            if (now - windowStart >= WINDOW_NANOS) {
                windowStart = now;
                spent = 0;
            }
            return spent < BUDGET_NANOS ? 0 : windowStart + WINDOW_NANOS - now;
        }

        void spent(long nanos) {
            spent += nanos;
        }
    }
}
