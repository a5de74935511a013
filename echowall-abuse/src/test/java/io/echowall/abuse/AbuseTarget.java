package io.echowall.abuse;

import io.echowall.CloseStatus;
import io.echowall.ConnectionClosed;
import io.echowall.Echowall;
import io.echowall.Message;
import io.echowall.RoomOptions;
import io.echowall.WebSocket;
import io.echowall.WebSocketListener;
import io.echowall.WebSocketOptions;
import io.netty.util.internal.PlatformDependent;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The server under attack, run by {@link Target} in a JVM of its own with a small heap, so that what
 * an attack costs shows in that JVM's memory and an {@code OutOfMemoryError} cannot hit the tests.
 *
 * <p>Arguments: the {@link HandlerStyle}, {@code deflate} or {@code plain}, and the keepalive ping
 * interval in seconds. It listens on a free port of 127.0.0.1 and prints {@code AbuseTarget listening
 * on port N} once ready. Endpoints:
 * <ul>
 *   <li>{@code /echo}: echoes every message in the chosen style;
 *   <li>{@code /filtered/echo}: the same echo behind a before filter, so the upgrade takes the
 *       filter path;
 *   <li>{@code /flood}: sends 16 KiB text messages as fast as the connection takes them, from the
 *       moment it opens, until the session closes (see {@link Flood});
 *   <li>{@code /slow-echo}: a blocking echo that takes about 2 ms per message;
 *   <li>{@code /room/{room}}: joins the room, answers {@code joined}, then publishes every message it
 *       receives to the room's other members (see {@link RoomEndpoint}); rooms named {@code close.*},
 *       {@code drop_oldest.*} and {@code keep_latest.*} have that slow-consumer policy, the last two
 *       with {@link #ROOM_QUEUE} bytes of room messages waiting at most per member;
 *   <li>{@code GET /room-closes}: how the room connections closed so far, one {@code count room code
 *       reason} line per kind;
 *   <li>{@code GET /memory}: heap used after two full GCs, and the direct memory Netty and the JDK
 *       have in use, as {@code name=bytes} lines.
 * </ul>
 * SIGTERM stops the app gracefully (every WebSocket gets 1001). The process also stops when its
 * standard input ends, which is when the test JVM that started it is gone, and after 15 minutes at
 * most, so that no target outlives a broken test run.
 */
public final class AbuseTarget {

    /** The line that tells {@link Target} the port. */
    static final String READY = "AbuseTarget listening on port ";

    /**
     * Room messages that may wait for a member that is behind, in the rooms that keep such members: a
     * quarter of the default (256 KiB), so that what 50 slow members may hold is small next to the
     * heap and a leak past it stands out.
     */
    static final int ROOM_QUEUE = 64 << 10;

    private static final Duration LIFETIME = Duration.ofMinutes(15);

    private AbuseTarget() {
    }

    /** Starts the target; see the class comment for the arguments. */
    public static void main(String[] args) throws InterruptedException {
        HandlerStyle style = HandlerStyle.valueOf(args[0]);
        boolean deflate = args[1].equals("deflate");
        Duration ping = Duration.ofSeconds(Integer.parseInt(args[2]));

        // Short timeouts, so that each attack meets its limit within seconds; a queue of 1000 messages
        // lets the shutdown test have 300 messages waiting without the inbox pausing the connection.
        var app = Echowall.create(c -> c.withHost("127.0.0.1")
                .withSendTimeout(Duration.ofSeconds(3))
                .withCloseTimeout(Duration.ofSeconds(2))
                .withPing(ping, Duration.ofSeconds(2))
                .withShutdownTimeout(Duration.ofSeconds(10))
                .withReceiveQueueSize(1000)
                .withPermessageDeflate(deflate));
        app.before("/filtered/{endpoint}", ctx -> ctx.attribute("filtered", true));
        echo(app, "/echo", style);
        echo(app, "/filtered/echo", style);
        flood(app, style);
        app.ws("/slow-echo", ws -> {
            for (var message : ws) {
                LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
                ws.send(message);
            }
        });
        rooms(app);
        app.get("/memory", ctx -> ctx.text(memoryReport()));
        app.start(0);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.stop();
            System.out.println("AbuseTarget stopped");
        }, "abuse-target-stop"));
        System.out.println(READY + app.port());

        CountDownLatch parentGone = new CountDownLatch(1);
        Thread watchdog = new Thread(() -> {
            try {
                System.in.read(); // the parent never writes: this returns when its end of the pipe closes
            } catch (IOException e) {
                // a broken pipe means the same: the parent is gone
            }
            parentGone.countDown();
        }, "abuse-target-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        parentGone.await(LIFETIME.toSeconds(), TimeUnit.SECONDS);
        System.exit(0);
    }

    private static void echo(Echowall app, String path, HandlerStyle style) {
        switch (style) {
            case BLOCKING -> app.ws(path, ws -> {
                for (var message : ws) {
                    ws.send(message);
                }
            });
            case LISTENER -> app.ws(path, new Echo());
            case EVENT_LOOP -> app.ws(path, WebSocketOptions.defaults().withEventLoop(true), new Echo());
        }
    }

    private static void flood(Echowall app, HandlerStyle style) {
        switch (style) {
            case BLOCKING -> app.ws("/flood", ws -> Flood.blocking(ws));
            case LISTENER -> app.ws("/flood", new WebSocketListener() {
                @Override
                public void onOpen(WebSocket ws) {
                    Flood.blocking(ws);
                }
            });
            case EVENT_LOOP -> app.ws("/flood", WebSocketOptions.defaults().withEventLoop(true), new WebSocketListener() {
                @Override
                public void onOpen(WebSocket ws) {
                    Flood.burst(ws);
                }

                @Override
                public void onMessage(WebSocket ws, Message message) {
                    Flood.burst(ws);
                }
            });
        }
    }

    private static void rooms(Echowall app) {
        RoomOptions keep = RoomOptions.defaults().withMaxQueuedBytes(ROOM_QUEUE);
        app.room("close.*", RoomOptions.defaults());
        app.room("drop_oldest.*", keep.withSlowConsumer(RoomOptions.SlowConsumer.DROP_OLDEST));
        app.room("keep_latest.*", keep.withLatestPerKey(RoomEndpoint::key));
        RoomEndpoint endpoint = new RoomEndpoint();
        app.ws("/room/{room}", endpoint);
        app.get("/room-closes", ctx -> ctx.text(endpoint.closes()));
    }

    private static String memoryReport() {
        System.gc();
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long jdkDirect = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct"))
                .mapToLong(BufferPoolMXBean::getMemoryUsed)
                .sum();
        return "heapUsed=" + heap + "\nnettyDirect=" + PlatformDependent.usedDirectMemory()
                + "\njdkDirect=" + jdkDirect + "\n";
    }

    /**
     * A room member that publishes what it receives. It joins the room named by its path and then says
     * {@code joined}, so that a client knows it gets every message published from then on. Each close
     * is counted by room, code and reason: how the server closed a member is visible from outside.
     */
    static final class RoomEndpoint implements WebSocketListener {
        private final Map<String, LongAdder> closes = new ConcurrentHashMap<>();

        /** The conflation key of a room message: its text up to the first space ({@code k07 …}). */
        static String key(Message message) {
            String text = message.text();
            int space = text.indexOf(' ');
            return space < 0 ? null : text.substring(0, space);
        }

        @Override
        public void onOpen(WebSocket ws) {
            ws.join(ws.pathParam("room"));
            ws.send("joined");
        }

        @Override
        public void onMessage(WebSocket ws, Message message) {
            ws.publish(ws.pathParam("room"), message);
        }

        @Override
        public void onClose(WebSocket ws, CloseStatus status) {
            closes.computeIfAbsent(ws.pathParam("room") + " " + status.code() + " " + status.reason(),
                    kind -> new LongAdder()).increment();
        }

        /** One {@code count room code reason} line per kind of close, sorted. */
        String closes() {
            StringBuilder report = new StringBuilder();
            new TreeMap<>(closes).forEach((kind, count) -> report.append(count.sum()).append(' ').append(kind).append('\n'));
            return report.toString();
        }
    }

    /** Echoes in event style. */
    private static final class Echo implements WebSocketListener {
        @Override
        public void onMessage(WebSocket ws, Message message) {
            ws.send(message);
        }
    }

    /**
     * What {@code /flood} sends: one shared 16 KiB text message, again and again, until the session
     * closes. A blocking sender waits while the peer is behind and gives up when the send timeout
     * closes the session; an event-loop sender cannot wait, so it sends a bounded burst per event
     * (on open, and again for each message the peer sends) and relies on the server dropping a peer
     * that lets too much pile up.
     */
    private static final class Flood {
        private static final Message CHUNK = Message.text("f".repeat(16 * 1024));
        private static final int MAX_MESSAGES = 100_000;
        private static final Duration MAX_TIME = Duration.ofSeconds(60);
        // 16 MiB: more than the kernel and the server's event-loop limit hold for a peer that does not read.
        private static final int BURST = 1024;

        static void blocking(WebSocket ws) {
            send(ws, MAX_MESSAGES, System.nanoTime() + MAX_TIME.toNanos());
        }

        static void burst(WebSocket ws) {
            send(ws, BURST, System.nanoTime() + MAX_TIME.toNanos());
        }

        private static void send(WebSocket ws, int count, long deadline) {
            try {
                for (int i = 0; i < count && ws.isOpen() && System.nanoTime() < deadline; i++) {
                    ws.send(CHUNK);
                }
            } catch (ConnectionClosed closed) {
                // The server closed the session (the peer was too slow, or left): the flood is over.
            }
        }
    }
}
