package io.echowall.bench;

import io.netty.channel.ChannelHandlerContext;

/**
 * Sends on the schedule of its loop's {@link RateSchedule}, whatever the echoes do. Latency is measured
 * from when each message was due, not when it left, so a stalled server or a full socket shows up
 * in the latency instead of silently delaying the schedule (coordinated omission).
 */
final class RateConnection extends LoadConnection implements RateSchedule.Paced {
    private RateSchedule schedule;
    private int slot;
    /** Messages whose send time has come; those not yet sent wait for the channel to become writable. */
    private long due;

    RateConnection(int id, MessageShape shape) {
        super(id, shape);
    }

    @Override
    public void join(RateSchedule schedule, int slot, RunClock clock) {
        this.schedule = schedule;
        this.slot = slot;
        this.clock = clock;
    }

    @Override
    public void dueOne() {
        due++;
        sendDue();
    }

    @Override
    public long backlog() {
        return due - sent;
    }

    @Override
    protected long sendTimeOf(long sequence) {
        return schedule.dueTime(slot, sequence);
    }

    /** Every message due in the window counts, however late its echo: a stall at the end must show. */
    @Override
    protected boolean inLatencyWindow(long sequence, long now) {
        return clock.measuring(sendTimeOf(sequence));
    }

    @Override
    protected void onEchoed(long now) {
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        sendDue();
        flushIfNeeded();
        ctx.fireChannelWritabilityChanged();
    }

    private void sendDue() {
        while (sent < due && ctx.channel().isWritable() && !closeSent()) {
            sendNext();
        }
    }
}
