package io.echowall.jmh;

import io.echowall.Message;
import io.echowall.WebSocket;
import io.echowall.WebSocketListener;
import io.echowall.rooms.Fanout;
import io.echowall.rooms.LocalBroker;
import io.echowall.rooms.RoomHub;
import io.echowall.rooms.RoomOptionsTable;
import io.echowall.rooms.Seat;
import io.echowall.websocket.Protocol;
import io.echowall.websocket.Session;
import io.echowall.websocket.UpgradeRequest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * An echo through a real {@link Session}, in memory: the benchmark thread plays the event loop and
 * delivers a 64-byte text message (copied out of a "network buffer", as the connection does), the
 * user's echo code sends it back, and the transport counts it. One case per handler style:
 * {@code blocking} ({@code for (var m : ws) ws.send(m)} on its virtual thread), {@code listener}
 * ({@code onMessage} on virtual threads, the default) and {@code eventLoop} ({@code onMessage} on the
 * event loop). Each read is framed by {@link Session#readBurst}, as the connection frames it. No Netty:
 * this is the framework's own cost around the user's code.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class SessionEchoBenchmark {

    static final int BURST = 32;

    @Param({"blocking", "listener", "eventLoop"})
    String style;

    private final byte[] wire = Payloads.utf8("ascii", 64);
    private LoopbackTransport transport;
    private Protocol protocol;
    private Session session;
    private long sent;

    @Setup
    public void setUp() {
        transport = new LoopbackTransport();
        var request = new UpgradeRequest("/foobar/", Map.of(), "", "host:127.0.0.1:5000\n", null, Map.of());
        // The server's defaults: 64 messages or 64 KiB queued for the handler, a 30 s send timeout.
        var limits = new Session.Limits(64, 64 << 10, Duration.ofSeconds(30));
        var timing = new Protocol.Timing(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(5));
        Set<Session> registry = ConcurrentHashMap.newKeySet();
        // Sessions that never join a room: their seats need a hub, never an open broker.
        RoomHub hub = new RoomHub(new LocalBroker(), Duration.ofSeconds(5), Fanout.NOWHERE,
                new RoomOptionsTable());
        Session.Seats seats = id -> new Seat(hub, () -> "loop", id);
        WebSocketListener echo = new WebSocketListener() {
            @Override
            public void onMessage(WebSocket ws, Message message) {
                ws.send(message);
            }
        };
        protocol = new Protocol(transport, timing);
        session = switch (style) {
            case "blocking" -> Session.blocking(transport, protocol, request, limits, seats, registry, ws -> {
                for (var message : ws) {
                    ws.send(message);
                }
            });
            case "listener" -> Session.listening(transport, protocol, request, limits, seats, registry, echo, false);
            case "eventLoop" -> Session.listening(transport, protocol, request, limits, seats, registry, echo, true);
            default -> throw new IllegalArgumentException("unknown style " + style);
        };
        session.opened();
        sent = 0;
    }

    @TearDown
    public void tearDown() throws InterruptedException {
        protocol.closeReceived(ByteBuffer.wrap(new byte[] {0x03, (byte) 0xE8})); // 1000
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!transport.connectionClosed && System.nanoTime() < deadline) {
            if (transport.runTasks() == 0) {
                Thread.sleep(1);
            }
        }
        session.connectionLost();
        transport.runTasks();
    }

    private void receive() {
        protocol.messageReceived(Message.wrap(true, wire.clone()));
        sent++;
    }

    /** One message in, its echo out, before the next: an idle connection's round trip. */
    @Benchmark
    public long roundTrip() {
        session.readBurst(true);
        receive();
        session.readBurst(false);
        transport.awaitWritten(sent);
        return sent;
    }

    /** {@value #BURST} messages delivered in one read burst, then all their echoes awaited. */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public long burst() {
        session.readBurst(true); // as the connection tells it, from the first message to read complete
        for (int i = 0; i < BURST; i++) {
            receive();
        }
        session.readBurst(false);
        transport.awaitWritten(sent);
        return sent;
    }
}
