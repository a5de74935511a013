package io.echowall.internal;

import io.echowall.Message;
import io.echowall.RoomOptions;
import io.echowall.rooms.Fanout;
import io.echowall.rooms.Member;
import io.echowall.rooms.Room;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fan-out by reference: a room message is encoded into one WebSocket frame, once, and the same bytes
 * are written to every member, each a view that shares them. Each event loop gets one queue of
 * publications, drained by one task, which writes every publication to that loop's members and then
 * flushes each member once: one write per member per round of the loop, however many messages.
 *
 * <p>Room frames go out uncompressed, also to members that negotiated permessage-deflate (RFC 7692
 * lets any message be sent uncompressed): compressing per member would undo the sharing.
 */
final class EventLoopFanout implements Fanout {

    /** A message on its way to one event loop's members. */
    private record Publication(Room room, ByteBuf frame, Member except, String key) {
    }

    /** One event loop's publications, and the task that writes them. */
    private static final class Lane implements Runnable {
        final EventExecutor loop;
        final Queue<Publication> publications = new ConcurrentLinkedQueue<>();
        final AtomicBoolean drainScheduled = new AtomicBoolean();
        final List<WebSocketConnection> touched = new ArrayList<>();

        Lane(EventExecutor loop) {
            this.loop = loop;
        }

        void offer(Publication publication) {
            publications.offer(publication);
            if (drainScheduled.compareAndSet(false, true)) {
                loop.execute(this);
            }
        }

        @Override
        public void run() {
            drainScheduled.set(false); // before polling: a publication offered from now on schedules a drain
            Publication p;
            while ((p = publications.poll()) != null) {
                try {
                    for (Member member : p.room().membersOn(loop)) {
                        if (member != p.except()) {
                            WebSocketConnection connection = (WebSocketConnection) member;
                            if (connection.writeShared(p.frame(), p.room(), p.key()) && connection.markForFlush()) {
                                touched.add(connection);
                            }
                        }
                    }
                } finally {
                    p.frame().release();
                }
            }
            for (WebSocketConnection connection : touched) {
                connection.flushShared();
            }
            touched.clear();
        }
    }

    private final ByteBufAllocator allocator;
    private final Map<EventExecutor, Lane> lanes = new ConcurrentHashMap<>();

    EventLoopFanout(ByteBufAllocator allocator) {
        this.allocator = allocator;
    }

    @Override
    public void deliver(Room room, Message message, Member except) {
        RoomOptions options = room.options();
        String key = options.slowConsumer() == RoomOptions.SlowConsumer.KEEP_LATEST
                ? options.conflationKey().apply(message) : null;
        ByteBuf frame = SharedFrame.encode(allocator, message);
        try {
            for (Map.Entry<Object, Set<Member>> lane : room.lanes()) {
                if (!lane.getValue().isEmpty()) {
                    EventExecutor loop = (EventExecutor) lane.getKey();
                    lanes.computeIfAbsent(loop, Lane::new).offer(new Publication(room, frame.retain(), except, key));
                }
            }
        } finally {
            frame.release();
        }
    }
}
