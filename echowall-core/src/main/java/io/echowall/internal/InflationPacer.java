package io.echowall.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Bounds the time one compressed connection may spend inflating (and handling what it inflated) in one
 * turn of its event loop. A kilobyte of deflate data can inflate to a megabyte, so a single read can hold
 * enough work to stall every other connection on the loop, new handshakes included. Past the budget,
 * further messages wait here, still compressed, reading pauses, and the rest is worked through in later
 * turns, between other connections' I/O. Order is kept: once one message waits, all that follow wait.
 */
final class InflationPacer extends ChannelInboundHandlerAdapter {

    /** Work per connection per turn; the first message of a turn always goes through, however long it takes. */
    private static final long TURN_BUDGET_NANOS = 1_000_000;

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
        pass(msg);
        if (spentThisTurn >= TURN_BUDGET_NANOS) {
            pause();
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
        spentThisTurn += System.nanoTime() - start;
    }

    private void pause() {
        resumeScheduled = true;
        pauseReading.accept(true);
        resumeNextTurn();
    }

    /**
     * Resumes after the loop's next round of I/O: a task scheduled without delay waits for the next
     * round, where one merely queued could run in this round's tasks, other connections still waiting.
     */
    private void resumeNextTurn() {
        ctx.executor().schedule(this::resume, 0, TimeUnit.NANOSECONDS);
    }

    /** A later turn: works through waiting messages within a fresh budget, then reads again once none wait. */
    private void resume() {
        spentThisTurn = 0;
        Object msg;
        while (spentThisTurn < TURN_BUDGET_NANOS && (msg = waiting.poll()) != null) {
            pass(msg);
        }
        ctx.fireChannelReadComplete(); // flushes what the handled messages sent back
        if (waiting.isEmpty()) {
            resumeScheduled = false;
            spentThisTurn = 0;
            pauseReading.accept(false);
        } else if (ctx.channel().isActive()) {
            resumeNextTurn();
        }
    }
}
