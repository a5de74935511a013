package io.echowall.internal;

import io.echowall.RoomOptions;
import io.echowall.metrics.WebSocketMeters;
import io.echowall.rooms.Backlog;
import io.echowall.rooms.Room;
import io.echowall.websocket.Closes;
import io.echowall.websocket.Session;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import io.netty.handler.ssl.SslHandler;

import java.io.IOException;
import java.util.List;

/**
 * The room fan-out side of one {@link WebSocketConnection}: writes rooms' shared frames to it, flushed
 * once per fan-out round, and keeps them in a room backlog while its peer is behind. Event loop only.
 *
 * <p>On a plain (not TLS) WebSocket over a native Unix transport, a frame meeting a channel with
 * nothing queued goes straight to the socket: per member and message, Netty's write path (a pipeline
 * pass, an outbound entry, a flush) costs about as much user time as the kernel's send, and a
 * publication to ten thousand members pays it ten thousand times. Only what the socket did not take
 * goes through the pipeline, which also meets any error and closes the channel the usual way.
 *
 * <p>A delivery reads as few objects as it can, since ten thousand members' objects do not stay in the
 * cache between two publications: this one, the socket and the channel's outbound buffer, kept here.
 * Sent messages are counted by the caller, once per round, not here per delivery.
 */
final class RoomFrames {

    private final ChannelHandlerContext ctx;
    private final Channel channel;
    private final WebSocketMeters meters;
    private final Session session;
    /** The socket to write frames to directly, or null when every write must go through the pipeline. */
    private final Socket socket;
    /**
     * The channel's outbound buffer: the same object from the channel's opening until it closes, when
     * the channel lets go of it, and both checks below ask first whether it is still open.
     */
    private final ChannelOutboundBuffer outbound;
    private boolean closeWritten;
    private boolean flushDue;
    private Backlog<ByteBuf> backlog;

    RoomFrames(ChannelHandlerContext ctx, WebSocketMeters meters, Session session) {
        this.ctx = ctx;
        this.channel = ctx.channel();
        this.meters = meters;
        this.session = session;
        this.socket = channel instanceof UnixChannel unix && unix.fd() instanceof Socket plain
                && ctx.pipeline().get(SslHandler.class) == null && ctx.pipeline().get(EventStreamWire.class) == null
                ? plain : null;
        this.outbound = channel.unsafe().outboundBuffer();
    }

    /** The meters that count what this connection sent. */
    WebSocketMeters meters() {
        return meters;
    }

    /**
     * Whether room frames may still be written: the close frame was not, and the connection is open. A
     * socket written to directly is asked itself (its descriptor must not be written to once closed,
     * whatever the channel says); the close of both happens on this event loop.
     */
    private boolean open() {
        return !closeWritten && outbound != null && (socket != null ? socket.isOpen() : channel.isActive());
    }

    /**
     * The close frame was written: no room frame may follow it (RFC 6455 section 5.5.1). Kept here, not
     * asked of the protocol, so that a delivery reads one object less per member.
     */
    void closeWritten() {
        closeWritten = true;
    }

    /**
     * Writes a room message's shared frame (a view of it). What goes into the pipeline is not flushed:
     * this connection then joins {@code flushes}, once per round. A member that is behind meets the
     * room's policy: it is closed, or the message waits in its room backlog.
     *
     * @return whether the message was sent now, for the caller to count
     */
    boolean write(ByteBuf frame, Room room, String key, List<RoomFrames> flushes) {
        if (!open()) {
            return false;
        }
        if (backlog == null || backlog.isEmpty()) {
            if (keepsUp()) {
                send(frame, flushes);
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
     * takes them as they come: open, nothing waiting in its room backlog, and not behind. As for
     * {@link #write}, what goes into the pipeline waits for the round's flush.
     *
     * @return whether it was taken, for the caller to count; if not, each message must be offered to
     *         {@link #write} in turn
     */
    boolean writeRun(ByteBuf frames, List<RoomFrames> flushes) {
        if (!open() || (backlog != null && !backlog.isEmpty()) || !keepsUp()) {
            return false;
        }
        send(frames, flushes);
        return true;
    }

    /**
     * Sends a view of {@code frames}: straight to the socket when nothing waits in the channel; what the
     * socket did not take (or all, on an error or without a socket) goes into the pipeline, and this
     * connection into {@code flushes} if it is not there yet.
     */
    private void send(ByteBuf frames, List<RoomFrames> flushes) {
        int start = frames.readerIndex();
        int written = 0;
        // Open asked again: the flush in keepsUp may have met an error and closed the channel since.
        if (socket != null && socket.isOpen() && outbound.totalPendingWriteBytes() == 0 && frames.hasMemoryAddress()) {
            try {
                written = socket.sendAddress(frames.memoryAddress(), start, frames.writerIndex());
            } catch (IOException e) {
                written = 0; // left to the pipeline: its write meets the same error and closes the channel
            }
            if (written == frames.readableBytes()) {
                return;
            }
        }
        ctx.write(frames.retainedSlice(start + written, frames.readableBytes() - written), ctx.voidPromise());
        if (!flushDue) {
            flushDue = true;
            flushes.add(this);
        }
    }

    /** Whether the peer is not behind, once what this round wrote for it has been offered to the network. */
    private boolean keepsUp() {
        if (!outbound.isWritable() && flushDue) {
            // The water mark counts what this round wrote and has not flushed yet: a round that
            // carries more than half the send buffer would find every member behind, also those
            // whose peers take everything. Offer it to the network first; behind is what stays.
            ctx.flush();
        }
        return outbound.isWritable();
    }

    /** Flushes what a fan-out round wrote. */
    void flush() {
        flushDue = false;
        ctx.flush();
    }

    /** The peer caught up; room messages that waited go out, while it keeps up. */
    void writeBacklog() {
        if (backlog == null || backlog.isEmpty() || closeWritten) {
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
