package io.echowall.internal;

import io.echowall.RoomOptions;
import io.echowall.metrics.WebSocketMeters;
import io.echowall.rooms.Backlog;
import io.echowall.rooms.Room;
import io.echowall.websocket.Closes;
import io.echowall.websocket.Protocol;
import io.echowall.websocket.Session;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;

/**
 * The room fan-out side of one {@link WebSocketConnection}: writes rooms' shared frames to it, flushed
 * once per fan-out round, and keeps them in a room backlog while its peer is behind. Event loop only.
 */
final class RoomFrames {

    private final ChannelHandlerContext ctx;
    private final Channel channel;
    private final WebSocketMeters meters;
    private final Protocol protocol;
    private final Session session;
    private boolean flushDue;
    private Backlog<ByteBuf> backlog;

    RoomFrames(ChannelHandlerContext ctx, WebSocketMeters meters, Protocol protocol, Session session) {
        this.ctx = ctx;
        this.channel = ctx.channel();
        this.meters = meters;
        this.protocol = protocol;
        this.session = session;
    }

    /**
     * Writes a room message's shared frame (a view of it), without flushing. A member that is behind
     * meets the room's policy: it is closed, or the message waits in its room backlog.
     *
     * @return whether something was written that needs a flush
     */
    boolean write(ByteBuf frame, Room room, String key) {
        if (protocol.closeWritten() || !channel.isActive()) {
            return false;
        }
        if (backlog == null || backlog.isEmpty()) {
            if (keepsUp()) {
                meters.sent(SharedFrame.payloadLength(frame));
                ctx.write(frame.retainedDuplicate(), ctx.voidPromise());
                return true;
            }
            if (room.options().slowConsumer() == RoomOptions.SlowConsumer.CLOSE) {
                SlowPeerLog.tooSlowForRoom(channel, room.name());
                session.close(Closes.TOO_SLOW_FOR_ROOM);
                return false;
            }
        }
        if (backlog == null) {
            backlog = new Backlog<>(ByteBuf::readableBytes, ByteBuf::release);
        }
        int dropped = backlog.add(frame.retainedDuplicate(), key, room.options().maxQueuedBytes());
        meters.roomMessagesDropped(room.options().slowConsumer(), dropped);
        return false;
    }

    /**
     * Writes a run of room messages, {@code frames} joined in one buffer (a view of it), if this member
     * takes them as they come: open, nothing waiting in its room backlog, and not behind.
     *
     * @return whether it was written; if not, each message must be offered to {@link #write} in turn
     */
    boolean writeRun(ByteBuf frames, int messages, long payloadBytes) {
        if (protocol.closeWritten() || !channel.isActive() || (backlog != null && !backlog.isEmpty()) || !keepsUp()) {
            return false;
        }
        meters.sent(messages, payloadBytes);
        ctx.write(frames.retainedDuplicate(), ctx.voidPromise());
        return true;
    }

    /** Whether the peer is not behind, once what this round wrote for it has been offered to the network. */
    private boolean keepsUp() {
        if (!channel.isWritable() && flushDue) {
            // The water mark counts what this round wrote and has not flushed yet: a round that
            // carries more than half the send buffer would find every member behind, also those
            // whose peers take everything. Offer it to the network first; behind is what stays.
            ctx.flush();
        }
        return channel.isWritable();
    }

    /** Marks this connection for the flush at the end of a fan-out round; false if marked already. */
    boolean markForFlush() {
        if (flushDue) {
            return false;
        }
        flushDue = true;
        return true;
    }

    /** Flushes what a fan-out round wrote. */
    void flush() {
        flushDue = false;
        ctx.flush();
    }

    /** The peer caught up; room messages that waited go out, while it keeps up. */
    void writeBacklog() {
        if (backlog == null || backlog.isEmpty() || protocol.closeWritten()) {
            return;
        }
        ByteBuf frame;
        while (channel.isWritable() && (frame = backlog.poll()) != null) {
            meters.sent(SharedFrame.payloadLength(frame));
            ctx.write(frame, ctx.voidPromise());
        }
        ctx.flush();
    }

    /** The connection closed: releases what waited. */
    void clear() {
        if (backlog != null) {
            backlog.clear();
        }
    }
}
