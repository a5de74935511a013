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

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Heap retained per idle session, for each handler style: opens N sessions over in-memory transports
 * (no Netty, no sockets), lets every blocking handler park in {@code receive()}, and divides the growth
 * of the heap after a full GC by N. This is the framework's own share of a connection's memory (the
 * session, its inbox, the kept upgrade headers, a parked handler's virtual thread and its stack); the
 * Netty channel, its pipeline and the kernel's socket buffers come on top.
 *
 * <pre>java -cp echowall-jmh/target/echowall-jmh.jar io.echowall.jmh.SessionFootprint [sessions]</pre>
 */
public final class SessionFootprint {

    private SessionFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        System.out.printf("%-10s %8s %14s%n", "style", "sessions", "bytes/session");
        for (String style : List.of("blocking", "listener", "eventLoop")) {
            measure(style, n); // the first pass warms up class loading and the virtual-thread scheduler
        }
        for (String style : List.of("blocking", "listener", "eventLoop")) {
            long perSession = measure(style, n);
            System.out.printf("%-10s %8d %14d%n", style, n, perSession);
        }
    }

    private static long measure(String style, int n) throws InterruptedException {
        // The upgrade headers a browser sends (435 characters), kept by each session.
        String headers = "host:127.0.0.1:5000\nconnection:Upgrade\npragma:no-cache\ncache-control:no-cache\n"
                + "user-agent:Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36\n"
                + "upgrade:websocket\norigin:http://127.0.0.1:5000\nsec-websocket-version:13\n"
                + "accept-encoding:gzip, deflate, br\naccept-language:en-US,en;q=0.9\n"
                + "sec-websocket-key:dGhlIHNhbXBsZSBub25jZQ==\n"
                + "sec-websocket-extensions:permessage-deflate; client_max_window_bits\n";
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
        List<Session> sessions = new ArrayList<>(n);
        List<Protocol> protocols = new ArrayList<>(n);
        List<LoopbackTransport> transports = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            transports.add(new LoopbackTransport()); // the stand-in for Netty is not counted
        }
        long before = heapAfterGc();
        for (int i = 0; i < n; i++) {
            LoopbackTransport transport = transports.get(i);
            Protocol protocol = new Protocol(transport, timing);
            var request = new UpgradeRequest("/foobar/", Map.of(), "", copy(headers), null, Map.of());
            Session session = switch (style) {
                case "blocking" -> Session.blocking(transport, protocol, request, limits, seats, registry, ws -> {
                    for (var message : ws) {
                        ws.send(message);
                    }
                });
                case "listener" -> Session.listening(transport, protocol, request, limits, seats, registry, echo, false);
                default -> Session.listening(transport, protocol, request, limits, seats, registry, echo, true);
            };
            session.opened();
            sessions.add(session);
            protocols.add(protocol);
        }
        Thread.sleep(500); // every handler thread reaches receive() and parks; listeners' onOpen ends
        long after = heapAfterGc();
        for (int i = 0; i < n; i++) {
            protocols.get(i).closeReceived(ByteBuffer.wrap(new byte[] {0x03, (byte) 0xE8})); // 1000
        }
        Thread.sleep(200);
        for (int i = 0; i < n; i++) {
            transports.get(i).runTasks();
            sessions.get(i).connectionLost();
        }
        return (after - before) / n;
    }

    /** A string with an array of its own, as each connection's parsed headers have. */
    private static String copy(String s) {
        return new String(s.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1);
    }

    private static long heapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
