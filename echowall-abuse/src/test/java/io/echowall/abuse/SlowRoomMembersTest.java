package io.echowall.abuse;

import io.echowall.RoomOptions.SlowConsumer;
import io.echowall.testing.RawWebSocket;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;

/**
 * Attack 10: members of a busy room that stop reading. One publisher sends 15,000 numbered messages
 * to a room at a steady 7,500 a second; 20 members read everything, and 50 members completed the
 * handshake, read the {@code joined} greeting and never read again. Once per slow-consumer policy,
 * each against a target of its own:
 * <ul>
 *   <li>every reader gets every message, in order: the slow members cost them nothing;
 *   <li>the target's heap after GC, while the slow members are behind and after, stays within what the
 *       limits let them hold ({@link #HEAP_BOUND});
 *   <li>{@code CLOSE}: each slow member is closed with 1008 {@code too slow for the room} (as the
 *       server's {@code onClose} reports it) and its TCP connection is cut; the close frame itself is
 *       stuck behind the data the member does not read, as docs/topics/limits.md says, so the member
 *       may never see it, and if it does, it must say 1008;
 *   <li>{@code DROP_OLDEST} and {@code KEEP_LATEST}: the slow members stay open, and once they read
 *       they get the newest messages, in order ({@code DROP_OLDEST}: the last message; {@code
 *       KEEP_LATEST}: the last message of each key);
 *   <li>throughout, a fresh client's WebSocket is served and {@code GET /memory} answers (the
 *       {@link Monitor}), and afterwards the target is as before ({@link Health}).
 * </ul>
 * Nothing here is timed: the publisher's pace shapes the load, and every wait has a deadline only so
 * that a broken server fails the test instead of hanging it.
 *
 * <p>The target pings only every 60 s: the slow members cannot answer pings, and a keepalive dropping
 * them after 2 s + 2 s would hide what each policy does with them.
 */
@Timeout(120)
class SlowRoomMembersTest {

    private static final int READERS = 20;
    private static final int SLOW_MEMBERS = 50;
    private static final int MESSAGES = 15_000;
    private static final int MESSAGE_SIZE = 512;
    private static final int PER_WRITE = 150;
    /**
     * 150 messages every 20 ms: 7,500 a second, 3.7 MiB/s for each member, 7.4 MiB in all. Linux lets
     * the target's socket buffer for a slow member grow to a few MiB on loopback (its segments are
     * 64 KiB) before the member falls behind: the slow members must be behind for most of the run.
     */
    private static final Duration WRITE_PAUSE = Duration.ofMillis(20);
    /** Conflation keys for {@code KEEP_LATEST}: message {@code n} has key {@code n % KEYS}. */
    private static final int KEYS = 16;
    /** The slow members' receive buffer: small, so that they fall behind in the first tenth of a second. */
    private static final int SLOW_RECEIVE_BUFFER = 4096;
    private static final int PING_SECONDS = 60;

    // The target's limits: EchowallConfig's default send buffer (AbuseTarget keeps it) and the close
    // timeout AbuseTarget sets.
    private static final long SEND_BUFFER = 256 << 10;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    /**
     * What the members may make the target hold, at most, in payload bytes: each member that is
     * behind its send buffer (the readers and the slow members; the publisher gets nothing), and each
     * slow member its room backlog where the policy keeps one. 50 × 64 KiB + 70 × 256 KiB = 20.6 MiB,
     * a sixth of the target's 128 MiB heap. Room frames are shared and live in direct memory, so the
     * heap should hold far less (the references to them); a leak of one message per slow member and
     * publication would be 50 × 15,000 × 516 bytes = 369 MiB, past the whole heap.
     */
    static final long HEAP_BOUND = SLOW_MEMBERS * (long) AbuseTarget.ROOM_QUEUE + (READERS + SLOW_MEMBERS) * SEND_BUFFER;

    /**
     * Longest the publisher may take: ten times its pauses, so that a machine busy with other builds
     * (where a full suite once took 6 s for 76 of the 100 writes) does not fail it; it is not timed.
     */
    private static final Duration PUBLISH_LIMIT = WRITE_PAUSE.multipliedBy(MESSAGES / PER_WRITE).multipliedBy(10);
    /** Longest the readers may take once the publisher is done, and the slow members to read their backlog. */
    private static final Duration READ_LIMIT = Duration.ofSeconds(20);

    private Target target;

    @AfterEach
    void stopTarget() throws InterruptedException {
        if (target != null) {
            target.stop();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SlowConsumer.class)
    void membersThatStopReadingGetTheirPolicyAndCostTheOthersNothing(SlowConsumer policy) throws Exception {
        Summary.run("slow-room-members policy=" + policy, summary -> {
            target = Target.start("slow-room-members-" + policy, HandlerStyle.LISTENER, false, PING_SECONDS);
            Health.Baseline baseline = Health.baseline(target, summary);
            String room = policy.name().toLowerCase(Locale.ROOT) + ".busy";
            String path = "/room/" + room;

            List<Member> readers = new ArrayList<>();
            List<Member> slow = new ArrayList<>();
            List<Thread> readerThreads = new ArrayList<>();
            List<Reading> readings = new ArrayList<>();
            Member publisher = null;
            Monitor monitor = null;
            SoftAssertions soft = new SoftAssertions();
            try {
                for (int i = 0; i < READERS; i++) {
                    readers.add(Member.join(target, path, 0));
                }
                for (int i = 0; i < SLOW_MEMBERS; i++) {
                    slow.add(Member.join(target, path, SLOW_RECEIVE_BUFFER));
                }
                publisher = Member.join(target, path, 0);
                monitor = Monitor.start(target);

                for (Member reader : readers) {
                    Reading reading = new Reading();
                    readings.add(reading);
                    readerThreads.add(Thread.ofPlatform().name("room-reader").start(
                            () -> reading.readAll(reader, System.nanoTime() + PUBLISH_LIMIT.plus(READ_LIMIT).toNanos())));
                }
                AtomicInteger published = new AtomicInteger();
                AtomicReference<String> publisherEnd = new AtomicReference<>("published all");
                Member from = publisher;
                Thread publishing = Thread.ofPlatform().name("room-publisher").start(
                        () -> publish(from, published, publisherEnd, System.nanoTime() + PUBLISH_LIMIT.toNanos()));
                publishing.join(PUBLISH_LIMIT.plusSeconds(1));
                long publishedAt = System.nanoTime();
                Attackers.joinAll(readerThreads, publishedAt + READ_LIMIT.toNanos());
                summary.put("published", published.get());
                soft.assertThat(published.get()).as("messages published (%s)", publisherEnd.get()).isEqualTo(MESSAGES);

                // Every reader, every message, in order.
                List<String> incomplete = new ArrayList<>();
                for (int i = 0; i < readings.size(); i++) {
                    Reading r = readings.get(i);
                    if (r.received != MESSAGES) {
                        incomplete.add("reader " + i + ": " + r.received + " (" + r.end + ")");
                    }
                }
                summary.put("readersWithAll", (READERS - incomplete.size()) + "/" + READERS);
                soft.assertThat(incomplete).as("readers that did not get all %d messages in order", MESSAGES).isEmpty();

                // The slow members' outcome.
                String closedKind = room + " 1008 too slow for the room";
                if (policy == SlowConsumer.CLOSE) {
                    try {
                        await("the slow members' connections to be cut").atMost(CLOSE_TIMEOUT.plusSeconds(10))
                                .pollInterval(Duration.ofMillis(100))
                                .until(() -> slow.stream().noneMatch(m -> target.holdsSocket(m.inode)));
                    } catch (ConditionTimeoutException e) {
                        // measured below
                    }
                    long open = slow.stream().filter(m -> target.holdsSocket(m.inode)).count();
                    summary.put("slowStillOpen", open);
                    soft.assertThat(open).as("slow members whose TCP connection the target still holds").isZero();
                    Map<String, Long> closes = target.roomCloses();
                    summary.put("roomCloses", closes.toString().replace(' ', '_'));
                    soft.assertThat(closes).as("how the room's connections closed, as onClose saw it")
                            .isEqualTo(Map.of(closedKind, (long) SLOW_MEMBERS));
                } else {
                    // Anything that closes a member decides within the publishing; the close timeout
                    // later its connection is cut and onClose has heard of it.
                    sleepUntil(publishedAt + CLOSE_TIMEOUT.plusSeconds(1).toNanos());
                    long open = slow.stream().filter(m -> target.holdsSocket(m.inode)).count();
                    summary.put("slowStillOpen", open);
                    soft.assertThat(open).as("slow members whose TCP connection the target still holds")
                            .isEqualTo(SLOW_MEMBERS);
                    Map<String, Long> closes = target.roomCloses();
                    summary.put("roomCloses", closes.isEmpty() ? "none" : closes.toString().replace(' ', '_'));
                    soft.assertThat(closes).as("closes in the room while every member is connected").isEmpty();
                }

                // What the slow members make the target hold, while (with DROP_OLDEST and KEEP_LATEST)
                // their backlogs are full.
                Memory held = target.memory();
                summary.put("heapHeld", Memory.mib(held.heapUsed()));
                summary.put("nettyDirectHeld", Memory.mib(held.nettyDirect()));
                soft.assertThat(held.heapUsed())
                        .as("heap after GC with the slow members behind (before: %s, bound %s)",
                                Memory.mib(baseline.memory().heapUsed()), Memory.mib(HEAP_BOUND))
                        .isLessThanOrEqualTo(baseline.memory().heapUsed() + HEAP_BOUND);
                monitor.stop();
                monitor.report(summary);
                if (monitor.heapPeak() >= 0) {
                    soft.assertThat(monitor.heapPeak())
                            .as("largest heap after GC sampled during the attack (before: %s, bound %s)",
                                    Memory.mib(baseline.memory().heapUsed()), Memory.mib(HEAP_BOUND))
                            .isLessThanOrEqualTo(baseline.memory().heapUsed() + HEAP_BOUND);
                }
                soft.assertThat(monitor.probeFailures()).as("fresh WebSocket clients not served during the attack").isEmpty();
                soft.assertThat(monitor.echoMillis()).as("fresh WebSocket clients served during the attack").isNotEmpty();
                soft.assertThat(monitor.memoryFailures()).as("GET /memory requests that failed during the attack").isEmpty();

                // Now the slow members read: what reached them before the cut, or what waited for them.
                checkSlowMembersCatchUp(policy, slow, summary, soft);
            } finally {
                if (monitor != null) {
                    monitor.stop();
                }
                for (Member member : readers) {
                    member.close();
                }
                for (Member member : slow) {
                    member.close();
                }
                if (publisher != null) {
                    publisher.close();
                }
                Attackers.joinAll(readerThreads, System.nanoTime() + Duration.ofSeconds(5).toNanos());
            }
            Health.checkHealthyAfter(target, baseline, summary, soft);
            soft.assertAll();
        });
    }

    /** Sends the numbered messages, {@link #PER_WRITE} in each write, pausing between writes. */
    private static void publish(Member publisher, AtomicInteger published, AtomicReference<String> end, long deadline) {
        try {
            for (int n = 0; n < MESSAGES; ) {
                if (System.nanoTime() > deadline) {
                    end.set("out of time");
                    return;
                }
                ByteArrayOutputStream batch = new ByteArrayOutputStream(PER_WRITE * (MESSAGE_SIZE + 8));
                for (int i = 0; i < PER_WRITE && n + i < MESSAGES; i++) {
                    batch.writeBytes(RawWebSocket.encode(0x80 | RawWebSocket.TEXT, message(n + i), true));
                }
                publisher.ws.sendRaw(batch.toByteArray());
                n += Math.min(PER_WRITE, MESSAGES - n);
                published.set(n);
                Thread.sleep(WRITE_PAUSE);
            }
        } catch (IOException e) {
            end.set("write failed: " + e);
        } catch (InterruptedException e) {
            end.set("interrupted");
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Once the publisher is done, each slow member reads. {@code CLOSE}: what reached it before its
     * connection was cut, in order, then the end, and a close frame if any says 1008. The others: in
     * order (per key for {@code KEEP_LATEST}), up to the newest messages that waited for it.
     */
    private static void checkSlowMembersCatchUp(SlowConsumer policy, List<Member> slow, Summary summary,
                                                SoftAssertions soft) throws InterruptedException {
        List<Reading> readings = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long deadline = System.nanoTime() + READ_LIMIT.toNanos();
        for (Member member : slow) {
            Reading reading = new Reading();
            readings.add(reading);
            threads.add(Thread.ofVirtual().name("slow-member-read").start(() -> reading.catchUp(member, policy, deadline)));
        }
        Attackers.joinAll(threads, deadline + Duration.ofSeconds(11).toNanos()); // a read waits 10 s at most
        List<String> wrong = new ArrayList<>();
        long received = 0;
        int sawClose = 0;
        for (int i = 0; i < readings.size(); i++) {
            Reading r = readings.get(i);
            received += r.received;
            if (r.closeCode != -1) {
                sawClose++;
            }
            if (r.problem != null) {
                wrong.add("slow member " + i + ": " + r.problem + " (" + r.end + ")");
            }
        }
        summary.put("slowReceivedMean", received / Math.max(1, readings.size()));
        // Otherwise the slow members were never behind and the policy was never put to the test.
        soft.assertThat(readings.stream().filter(r -> r.received >= MESSAGES).count())
                .as("slow members that got every message: they were never behind").isZero();
        summary.put("slowSawCloseFrame", sawClose + "/" + readings.size());
        soft.assertThat(wrong).as("slow members that, once reading, did not get what %s promises", policy).isEmpty();
    }

    /** Message {@code n}: {@code k<n % KEYS> <n, 8 digits> } padded with {@code x} to {@link #MESSAGE_SIZE} bytes. */
    private static byte[] message(int n) {
        byte[] bytes = new byte[MESSAGE_SIZE];
        Arrays.fill(bytes, (byte) 'x');
        byte[] head = String.format(Locale.ROOT, "k%02d %08d ", n % KEYS, n).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, bytes, 0, head.length);
        return bytes;
    }

    /** The number of a message made by {@link #message(int)}. */
    private static int number(byte[] payload) {
        if (payload.length != MESSAGE_SIZE) {
            return -1;
        }
        try {
            return Integer.parseInt(new String(payload, 4, 8, StandardCharsets.US_ASCII));
        } catch (NumberFormatException notOurs) {
            return -1;
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(Duration.ofNanos(left));
        }
    }

    /**
     * A room member on a raw socket: it has joined (read {@code joined}) and reads nothing more unless
     * told to. {@code inode} is the target's socket for it, to see from outside when the target cuts it.
     */
    private record Member(Socket socket, RawWebSocket ws, long inode) {

        /**
         * Connects to {@code path} with a receive buffer of {@code receiveBuffer} bytes (0: the system's,
         * which Linux grows as it is read) and reads the greeting.
         */
        static Member join(Target target, String path, int receiveBuffer) throws IOException {
            Socket socket = new Socket();
            socket.setSoLinger(true, 0); // closed by a reset: the target drops what is still queued for it
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer); // before connecting, so that the window stays small
            }
            socket.connect(new InetSocketAddress("127.0.0.1", target.port()), 5_000);
            RawWebSocket ws = RawWebSocket.send(socket,
                    RawWebSocket.request(target.port(), path).getBytes(StandardCharsets.ISO_8859_1));
            try {
                if (ws.response().status() != 101) {
                    throw new IOException("the upgrade to " + path + " got " + ws.response().status());
                }
                RawWebSocket.Frame greeting = ws.read(); // unbuffered: nothing after it is taken off the socket
                if (greeting == null || !greeting.text().equals("joined")) {
                    throw new IOException("expected 'joined', got " + greeting);
                }
                long inode = target.connectionInode(socket.getLocalPort()).orElseThrow(
                        () -> new IOException("the target's socket for a member is not in /proc"));
                return new Member(socket, ws, inode);
            } catch (IOException | RuntimeException e) {
                ws.close();
                throw e;
            }
        }

        void close() throws IOException {
            ws.close();
        }
    }

    /** What one member read; written by its reading thread, read after that thread ended. */
    private static final class Reading {
        volatile int received;
        volatile String end = "not started";
        volatile String problem;
        volatile int closeCode = -1;

        /** A reader: every message, numbered 0, 1, 2, … until all came. */
        void readAll(Member member, long deadline) {
            try {
                FrameReader in = new FrameReader(member.socket);
                int expected = 0;
                while (expected < MESSAGES) {
                    if (System.nanoTime() > deadline) {
                        end = "out of time";
                        return;
                    }
                    RawWebSocket.Frame frame = in.next();
                    if (frame == null) {
                        end = "connection ended";
                        return;
                    }
                    if (frame.opcode() == RawWebSocket.CLOSE) {
                        end = "closed " + frame.closeCode() + " " + frame.closeReason();
                        return;
                    }
                    if (frame.opcode() == RawWebSocket.TEXT) {
                        int n = number(frame.payload());
                        if (n != expected) {
                            end = "got message " + n + " where " + expected + " was due";
                            return;
                        }
                        received = ++expected;
                    }
                }
                end = "all";
            } catch (IOException e) {
                end = e.toString();
            }
        }

        /**
         * A slow member that now reads. {@code CLOSE}: in order, to the end of the connection (a frame
         * cut short by it included), a close frame saying 1008 if one comes. {@code DROP_OLDEST}: in
         * order, up to the last message. {@code KEEP_LATEST}: in order per key, up to each key's last.
         */
        void catchUp(Member member, SlowConsumer policy, long deadline) {
            int[] lastPerKey = new int[KEYS];
            Arrays.fill(lastPerKey, -1);
            int last = -1;
            int keysDone = 0;
            try {
                FrameReader in = new FrameReader(member.socket);
                while (System.nanoTime() < deadline) {
                    RawWebSocket.Frame frame = in.next();
                    if (frame == null) {
                        end = "connection ended";
                        if (policy != SlowConsumer.CLOSE) {
                            problem = "the connection ended";
                        }
                        return;
                    }
                    if (frame.opcode() == RawWebSocket.CLOSE) {
                        closeCode = frame.closeCode();
                        end = "closed " + closeCode + " " + frame.closeReason();
                        if (policy != SlowConsumer.CLOSE || closeCode != 1008) {
                            problem = "a close frame";
                        }
                        return;
                    }
                    if (frame.opcode() != RawWebSocket.TEXT) {
                        continue;
                    }
                    int n = number(frame.payload());
                    int key = n % KEYS;
                    boolean inOrder = policy == SlowConsumer.KEEP_LATEST ? n > lastPerKey[key] : n > last;
                    if (n < 0 || !inOrder) {
                        problem = "message " + n + " after " + (policy == SlowConsumer.KEEP_LATEST ? lastPerKey[key] : last);
                        end = "out of order";
                        return;
                    }
                    received++;
                    last = Math.max(last, n);
                    if (n >= MESSAGES - KEYS) {
                        keysDone++; // the last message of its key
                    }
                    lastPerKey[key] = n;
                    if (policy == SlowConsumer.DROP_OLDEST && n == MESSAGES - 1
                            || policy == SlowConsumer.KEEP_LATEST && keysDone == KEYS) {
                        end = "caught up";
                        return;
                    }
                }
                end = "out of time";
                problem = policy == SlowConsumer.CLOSE ? "the connection did not end" : "did not catch up";
            } catch (IOException e) {
                end = e.toString();
                if (policy != SlowConsumer.CLOSE) {
                    problem = "reading failed";
                }
            }
        }
    }

    /**
     * Reads the server's frames through a buffer, so that a reader keeps up with a busy room
     * ({@link RawWebSocket#read()} reads a byte at a time). Made once the greeting was read.
     */
    private static final class FrameReader {
        private final DataInputStream in;

        FrameReader(Socket socket) throws IOException {
            this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 << 10));
        }

        /** The next frame, or null at the end of the connection (a frame it cut short included). */
        RawWebSocket.Frame next() throws IOException {
            try {
                int first = in.readUnsignedByte();
                int second = in.readUnsignedByte();
                long length = second & 0x7F;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                if ((second & 0x80) != 0 || length > 1 << 20) {
                    throw new IOException("not a frame this server sends: masked, or " + length + " bytes");
                }
                byte[] payload = new byte[(int) length];
                in.readFully(payload);
                return new RawWebSocket.Frame((first & 0x80) != 0, (first >> 4) & 7, first & 0x0F, payload);
            } catch (EOFException end) {
                return null;
            }
        }
    }
}
