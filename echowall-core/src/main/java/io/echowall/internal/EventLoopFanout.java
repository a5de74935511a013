package io.echowall.internal;

import io.echowall.Message;
import io.echowall.Position;
import io.echowall.RoomOptions;
import io.echowall.metrics.WebSocketMeters;
import io.echowall.rooms.ClientProtocol;
import io.echowall.rooms.Fanout;
import io.echowall.rooms.Member;
import io.echowall.rooms.Room;
import io.echowall.rooms.RoomCursor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fan-out by reference: a room message is encoded into one WebSocket frame, once, and the same bytes
 * are written to every member, each a view that shares them. Each event loop gets one queue of
 * publications, drained by one task, which writes every publication to that loop's members: straight
 * to a member's socket when it has nothing queued (see {@link RoomFrames}), otherwise into its pipeline,
 * flushed once per round of the loop, however many messages.
 *
 * <p>Consecutive publications to the same room in one round are also joined into one buffer, copied
 * once for the round, so that a member that keeps up takes the whole run in one write: per message
 * and member, Netty's write path (a pipeline pass, an outbound entry, its removal) costs more than the
 * bytes. A member that is behind, that speaks the client protocol, or that published one of the run's
 * messages itself takes them one by one, each meeting the room's policy as before.
 *
 * <p>Publications from other threads (a virtual thread's handler, an app's own task) may wait a little
 * for company. The loop starts a run as soon as the first is offered, and a thread that publishes a
 * burst, sharing the processor with the loop, would see the rest of it in the next run: a run's cost is
 * one write per member, so a burst split in two costs twice. So while a lane is busy (a publication
 * comes within an eighth of the last run's length after its end), the run starts an eighth of that
 * length later, at most 1 ms: a quiet room's publication goes at once.
 *
 * <p>Room frames go out uncompressed, also to members that negotiated permessage-deflate (RFC 7692
 * lets any message be sent uncompressed): compressing per member would undo the sharing.
 */
final class EventLoopFanout implements Fanout {

    /**
     * A message on its way to one event loop's members: {@code frame} for raw members, {@code envelope}
     * (null when the room has no subscriber, or for a notice to subscribers only) for {@link Subscriber}s.
     */
    private record Publication(Room room, ByteBuf frame, ByteBuf envelope, Position position, Member except, String key) {
    }

    /** One event loop's publications, and the task that writes them. */
    private static final class Lane implements Runnable {
        /** The most bytes of frames joined into one run: bounds what a member takes past its water mark. */
        private static final int MAX_RUN_BYTES = 64 << 10;
        /** The longest a publication from another thread waits for others: a busy large room's runs take far longer. */
        private static final long MOST_GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
        /** Shorter waits are not worth a timer: the runs they would join are short too. */
        private static final long LEAST_GATHER_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

        final EventExecutor loop;
        final ByteBufAllocator allocator;
        final Queue<Publication> publications = new ConcurrentLinkedQueue<>();
        final AtomicBoolean drainScheduled = new AtomicBoolean();
        final List<RoomFrames> touched = new ArrayList<>();
        final List<Publication> round = new ArrayList<>();
        /** Until when, in {@link System#nanoTime()}, the lane counts as busy: an eighth of its last run past its end. */
        private volatile long busyUntil;
        /** How long a publication from another thread waits while the lane is busy: 0 when it does not. */
        private volatile long gatherNanos;
        /**
         * Messages sent this round, not yet added to their meters: a counter's add per delivery costs
         * more than the rest of the delivery's user time. Members share their route's meters, so a
         * publication usually makes one add.
         */
        private WebSocketMeters counted;
        private int countedMessages;
        private long countedBytes;

        Lane(EventExecutor loop, ByteBufAllocator allocator) {
            this.loop = loop;
            this.allocator = allocator;
        }

        void offer(Publication publication) {
            publications.offer(publication);
            if (drainScheduled.compareAndSet(false, true)) {
                long gather = gatherNanos;
                if (gather > 0 && System.nanoTime() - busyUntil < 0 && !loop.inEventLoop()) {
                    // A loop that shuts down cancels what it had scheduled: the run then happens at once,
                    // to release the publications' frames.
                    loop.schedule(this, gather, TimeUnit.NANOSECONDS).addListener(f -> {
                        if (f.isCancelled()) {
                            run();
                        }
                    });
                } else {
                    loop.execute(this);
                }
            }
        }

        @Override
        public void run() {
            long began = System.nanoTime();
            drainScheduled.set(false); // before polling: a publication offered from now on schedules a drain
            for (Publication p; (p = publications.poll()) != null; ) {
                round.add(p);
            }
            try {
                for (int start = 0, end; start < round.size(); start = end) {
                    end = runEnd(start);
                    if (round.get(start).frame() == null) {
                        writeNotice(round.get(start));
                    } else {
                        writeRun(round.subList(start, end));
                    }
                }
            } finally {
                addCounts();
                for (Publication p : round) {
                    release(p.frame());
                    release(p.envelope());
                }
                round.clear();
            }
            for (RoomFrames rooms : touched) {
                rooms.flush();
            }
            touched.clear();
            long end = System.nanoTime();
            long eighth = (end - began) / 8;
            gatherNanos = eighth < LEAST_GATHER_NANOS ? 0 : Math.min(eighth, MOST_GATHER_NANOS);
            busyUntil = end + eighth;
        }

        /** Where the run of same-room publications with raw frames that begins at {@code start} ends. */
        private int runEnd(int start) {
            Publication first = round.get(start);
            if (first.frame() == null) {
                return start + 1;
            }
            int bytes = first.frame().readableBytes();
            int end = start + 1;
            while (end < round.size()) {
                Publication next = round.get(end);
                if (next.room() != first.room() || next.frame() == null
                        || (bytes += next.frame().readableBytes()) > MAX_RUN_BYTES) {
                    break;
                }
                end++;
            }
            return end;
        }

        /** Writes a notice, which has no raw frame: to the room's subscribers only. */
        private void writeNotice(Publication p) {
            for (Member member : p.room().membersOn(loop)) {
                if (member instanceof ProtocolMember) {
                    write(p, member);
                }
            }
        }

        /**
         * Writes a run, of one publication or more, to each member: in one buffer to those that take it
         * as it is, else one by one. A single publication takes this path too, its frame as the buffer,
         * so that the loop the JIT compiles while publications come in bursts is the one it runs when
         * they come one at a time: a second loop would first be compiled then, in the middle of them.
         */
        private void writeRun(List<Publication> run) {
            List<Member> publishers = publishers(run);
            Joined joined = null;
            try {
                for (Member member : run.getFirst().room().membersOn(loop)) {
                    if (member instanceof WebSocketConnection connection && !publishers.contains(member)) {
                        if (joined == null) {
                            joined = join(run);
                        }
                        if (connection.rooms().writeRun(joined.frames(), touched)) {
                            count(connection.rooms().meters(), run.size(), joined.payloadBytes());
                            continue;
                        }
                    }
                    for (Publication p : run) {
                        if (member != p.except()) {
                            write(p, member);
                        }
                    }
                }
            } finally {
                if (joined != null) {
                    joined.frames().release();
                }
            }
        }

        /** The members that published a message of the run themselves (usually none): they must not get it. */
        private static List<Member> publishers(List<Publication> run) {
            List<Member> publishers = List.of();
            for (Publication p : run) {
                if (p.except() != null) {
                    if (publishers.isEmpty()) {
                        publishers = new ArrayList<>();
                    }
                    publishers.add(p.except());
                }
            }
            return publishers;
        }

        /** The run's frames in one buffer (copied into it if more than one), and the payload bytes they carry. */
        private record Joined(ByteBuf frames, long payloadBytes) {
        }

        private Joined join(List<Publication> run) {
            if (run.size() == 1) {
                ByteBuf frame = run.getFirst().frame();
                return new Joined(frame.retain(), SharedFrame.payloadLength(frame));
            }
            int bytes = 0;
            long payload = 0;
            for (Publication p : run) {
                bytes += p.frame().readableBytes();
                payload += SharedFrame.payloadLength(p.frame());
            }
            ByteBuf frames = allocator.directBuffer(bytes);
            for (Publication p : run) {
                frames.writeBytes(p.frame(), p.frame().readerIndex(), p.frame().readableBytes());
            }
            return new Joined(frames, payload);
        }

        private void write(Publication p, Member member) {
            ByteBuf frame = p.frame();
            WebSocketConnection connection;
            if (member instanceof ProtocolMember subscriber) {
                RoomCursor cursor = subscriber.cursor(p.room().name());
                if (cursor == null || p.envelope() == null) {
                    return;
                }
                if (p.position() == null && !cursor.announced()) {
                    return; // a notice before the subscriber heard that its subscription is live
                }
                if (p.position() != null) {
                    switch (cursor.live(p.position())) {
                        case SKIP -> {
                            return;
                        }
                        case CATCH_UP -> {
                            subscriber.catchUp(p.room().name());
                            return;
                        }
                        case WRITE -> {
                        }
                    }
                }
                frame = p.envelope();
                connection = subscriber.connection();
            } else if (frame == null) {
                return; // a notice for subscribers only
            } else {
                connection = (WebSocketConnection) member;
            }
            RoomFrames rooms = connection.rooms();
            if (rooms.write(frame, p.room(), p.key(), touched)) {
                count(rooms.meters(), 1, SharedFrame.payloadLength(frame));
            }
        }

        private void count(WebSocketMeters meters, int messages, long bytes) {
            if (meters != counted) {
                addCounts();
                counted = meters;
            }
            countedMessages += messages;
            countedBytes += bytes;
        }

        private void addCounts() {
            if (countedMessages > 0) {
                counted.sent(countedMessages, countedBytes);
            }
            counted = null;
            countedMessages = 0;
            countedBytes = 0;
        }
    }

    private final ByteBufAllocator allocator;
    private final Map<EventExecutor, Lane> lanes = new ConcurrentHashMap<>();

    EventLoopFanout(ByteBufAllocator allocator) {
        this.allocator = allocator;
    }

    @Override
    public void deliver(Room room, Position position, Message message, Member except) {
        RoomOptions options = room.options();
        String key = options.slowConsumer() == RoomOptions.SlowConsumer.KEEP_LATEST
                ? options.conflationKey().apply(message) : null;
        ByteBuf envelope = room.hasSubscribers()
                ? SharedFrame.encode(allocator, Message.text(ClientProtocol.message(room.name(), position, message))) : null;
        offer(room, SharedFrame.encode(allocator, message), envelope, position, except, key);
    }

    @Override
    public void tell(Room room, String text) {
        offer(room, null, SharedFrame.encode(allocator, Message.text(text)), null, null, null);
    }

    /** Hands a publication to each event loop with members of {@code room}; the frames' references are taken over. */
    private void offer(Room room, ByteBuf frame, ByteBuf envelope, Position position, Member except, String key) {
        try {
            for (Object lane : room.lanes()) {
                if (room.hasMembersOn(lane)) {
                    EventExecutor loop = (EventExecutor) lane;
                    lanes.computeIfAbsent(loop, l -> new Lane(l, allocator)).offer(new Publication(room, retain(frame), retain(envelope),
                            position, except, key));
                }
            }
        } finally {
            release(frame);
            release(envelope);
        }
    }

    private static ByteBuf retain(ByteBuf buffer) {
        return buffer == null ? null : buffer.retain();
    }

    private static void release(ByteBuf buffer) {
        if (buffer != null) {
            buffer.release();
        }
    }
}
