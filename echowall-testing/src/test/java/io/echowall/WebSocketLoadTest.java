package io.echowall;

import io.echowall.testing.RawWebSocket;
import io.echowall.testing.RawWebSocket.Frame;
import io.echowall.testing.TestClient;
import io.echowall.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many sessions at once, handlers that block, and peers that read or write too slowly: the server
 * keeps serving everyone else and its memory stays bounded.
 */
@Timeout(120)
class WebSocketLoadTest {

    @Test
    void twoHundredBlockingSessionsEchoWhileOneHandlerIsBlockedForever() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        AtomicBoolean blockedHandlerRunning = new AtomicBoolean();
        var app = Echowall.create(c -> c.withHost("127.0.0.1"));
        app.ws("/echo", ws -> {
            for (var m : ws) {
                ws.send(m);
            }
        });
        app.ws("/stuck", ws -> {
            blockedHandlerRunning.set(true);
            never.await(); // blocked forever, until the server stops and interrupts it
        });
        try (var server = TestServer.start(app)) {
            int port = server.port();
            try (RawWebSocket stuck = RawWebSocket.open(port, "/stuck")) {
                stuck.sendText("nobody reads this");
                await().untilTrue(blockedHandlerRunning);
                List<RawWebSocket> clients = new ArrayList<>();
                try {
                    for (int i = 0; i < 200; i++) {
                        clients.add(RawWebSocket.open(port, "/echo"));
                    }
                    for (int round = 0; round < 3; round++) {
                        for (int i = 0; i < clients.size(); i++) {
                            clients.get(i).sendText("client " + i + " round " + round);
                        }
                        for (int i = 0; i < clients.size(); i++) {
                            assertThat(clients.get(i).read().text()).isEqualTo("client " + i + " round " + round);
                        }
                    }
                } finally {
                    for (RawWebSocket c : clients) {
                        c.close();
                    }
                }
            }
        }
    }

    @Test
    void aClientThatStopsReadingDoesNotGrowTheServersBuffers() throws Exception {
        int sendBuffer = 256 << 10;
        int messageSize = 64 << 10;
        int attempts = 10_000; // 640 MiB if nothing pushed back
        AtomicInteger sent = new AtomicInteger();
        AtomicLong maxBuffered = new AtomicLong();
        AtomicReference<Throwable> ended = new AtomicReference<>();
        var app = Echowall.create(c -> c.withHost("127.0.0.1").withSendBufferSize(sendBuffer)
                .withSendTimeout(Duration.ofSeconds(3)));
        app.ws("/flood", ws -> {
            byte[] chunk = new byte[messageSize];
            try {
                for (int i = 0; i < attempts; i++) {
                    ws.send(chunk);
                    sent.incrementAndGet();
                    maxBuffered.accumulateAndGet(ws.bufferedAmount(), Math::max);
                }
            } catch (ConnectionClosed e) {
                ended.set(e);
            }
        });
        try (var server = TestServer.start(app)) {
            try (RawWebSocket reader = RawWebSocket.open(server.port(), "/flood")) {
                // The client reads nothing: the handler must end up parked in send, then give up.
                await().atMost(Duration.ofSeconds(30)).until(() -> ended.get() != null);
                assertThat(((ConnectionClosed) ended.get()).status().code()).isEqualTo(1008);
                assertThat(sent.get()).isLessThan(attempts);
                // What waits in the server is bounded by the send buffer plus the message in hand
                // (and the few bytes of frame header on each queued frame).
                assertThat(maxBuffered.get()).isLessThanOrEqualTo(sendBuffer + messageSize + 1024);
            }
        }
    }

    @Test
    void aHandlerThatDoesNotReadStopsTheSocketAndLosesNothing() throws Exception {
        CountDownLatch startReading = new CountDownLatch(1);
        AtomicInteger received = new AtomicInteger();
        AtomicBoolean inOrder = new AtomicBoolean(true);
        int messages = 4000;
        int size = 16 << 10; // 62.5 MiB in all: far more than socket buffers and the receive queue hold
        var app = Echowall.create(c -> c.withHost("127.0.0.1"));
        app.ws("/slow", ws -> {
            startReading.await();
            for (var m : ws) {
                String text = m.text();
                int seq = Integer.parseInt(text.substring(0, text.indexOf(':')));
                if (seq != received.getAndIncrement()) {
                    inOrder.set(false);
                }
            }
        });
        try (var server = TestServer.start(app)) {
            try (RawWebSocket ws = RawWebSocket.open(server.port(), "/slow")) {
                AtomicLong written = new AtomicLong();
                ExecutorService writer = Executors.newSingleThreadExecutor();
                Future<?> writing = writer.submit(() -> {
                    String padding = "x".repeat(size - 16);
                    for (int i = 0; i < messages; i++) {
                        ws.sendText(i + ":" + padding);
                        written.addAndGet(size);
                    }
                    return null;
                });
                // With the handler not reading, the server must stop reading: the writer gets stuck
                // long before everything is written.
                long[] lastSeen = {-1};
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(600))
                        .until(() -> stalled(written, lastSeen));
                assertThat(written.get()).isLessThan((long) messages * size / 2);
                startReading.countDown();
                writing.get();
                writer.shutdown();
                await().atMost(Duration.ofSeconds(60)).until(() -> received.get() == messages);
                assertThat(inOrder).isTrue();
            }
        }
    }

    /** Whether {@code counter} moved past zero and has not moved since the last poll, kept in {@code lastSeen}. */
    private static boolean stalled(AtomicLong counter, long[] lastSeen) {
        long now = counter.get();
        boolean still = now > 0 && now == lastSeen[0];
        lastSeen[0] = now;
        return still;
    }

    @Test
    void aQuietPeerThatAnswersPingsStaysAndOneThatDoesNotIsDropped() throws Exception {
        var app = Echowall.create(c -> c.withHost("127.0.0.1")
                .withPing(Duration.ofMillis(150), Duration.ofSeconds(1)));
        app.ws("/echo", ws -> {
            for (var m : ws) {
                ws.send(m);
            }
        });
        try (var server = TestServer.start(app)) {
            try (TestClient healthy = server.connect("/echo"); RawWebSocket deaf = RawWebSocket.open(server.port(), "/echo")) {
                // The raw client never answers the server's pings: it is dropped without a close frame.
                Frame ping = deaf.read();
                assertThat(ping.opcode()).isEqualTo(RawWebSocket.PING);
                assertThat(deaf.read()).isNull();
                // The JDK client answers pings automatically: quiet for many ping intervals, still open.
                await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                        .until(() -> !healthy.webSocket().isInputClosed());
                healthy.send("still alive");
                healthy.expectText("still alive");
            }
        }
    }

    @Test
    void stopClosesWebSocketsWithGoingAwayAndInterruptsStuckHandlers() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        var app = Echowall.create(c -> c.withHost("127.0.0.1").withShutdownTimeout(Duration.ofSeconds(2)));
        app.ws("/echo", ws -> {
            for (var m : ws) {
                ws.send(m);
            }
        });
        app.ws("/stuck", ws -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
        });
        CountDownLatch slowStarted = new CountDownLatch(1);
        CountDownLatch slowMayFinish = new CountDownLatch(1);
        app.get("/slow", ctx -> {
            slowStarted.countDown();
            if (!slowMayFinish.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never let /slow finish");
            }
            ctx.text("finished");
        });
        TestServer server = TestServer.start(app);
        int port = server.port();
        TestClient client = server.connect("/echo");
        RawWebSocket stuck = RawWebSocket.open(port, "/stuck");
        try (Socket http = new Socket("127.0.0.1", port)) {
            OutputStream out = http.getOutputStream();
            out.write("GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The request must be in progress, not still on the wire, for stop() to wait for it.
            assertThat(slowStarted.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            Thread stopper = Thread.ofPlatform().start(app::stop);
            assertThat(client.expectClose(1001)).isEqualTo("server shutting down");
            assertThat(stuck.readClose().closeCode()).isEqualTo(1001);
            slowMayFinish.countDown(); // the stop is under way: a request in progress still finishes
            String response = new String(http.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(response).startsWith("HTTP/1.1 200").endsWith("finished");
            stopper.join();
            await().untilTrue(interrupted);
        } finally {
            client.close();
            stuck.close();
            server.close();
        }
    }

    @Test
    void theJdkClientGetsEveryMessageInOrderAndAOneMebibyteMessage() throws Exception {
        var app = Echowall.create(c -> c.withHost("127.0.0.1"));
        app.ws("/echo", new WebSocketListener() {
            @Override
            public void onMessage(WebSocket ws, Message message) {
                ws.send(message);
            }
        });
        try (var server = TestServer.start(app); TestClient client = server.connect("/echo")) {
            for (int i = 0; i < 1000; i++) {
                client.send("m" + i);
            }
            for (int i = 0; i < 1000; i++) {
                client.expectText("m" + i);
            }
            byte[] big = new byte[1 << 20];
            new java.util.Random(1).nextBytes(big);
            client.send(big);
            client.expectBinary(big);
        }
    }

}
