package io.echowall.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.echowall.CloseCode;
import io.echowall.CloseStatus;
import io.echowall.Echowall;
import io.echowall.RoomAccess;
import io.echowall.RoomOptions;
import io.echowall.WebSocket;
import io.echowall.external.CuttingProxy;
import io.echowall.external.ExternalPrograms;
import io.echowall.external.Processes;
import io.echowall.redis.RedisBroker;
import io.echowall.testing.TestClient;
import io.echowall.testing.TestServer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reliable publishing through a connection that keeps breaking: three echowall.js clients, run by Node
 * against a real server, publish 10,000 numbered messages in all through a TCP proxy, while every 2 to
 * 3 s the test cuts every publisher's connection, in turn: the proxy resets both sides (no close frame);
 * the proxy loses the server's answers for 150 ms, while the publishes still reach the server, then
 * resets both sides, so that publishes the server applied are never acknowledged; the server closes the
 * connections. The clients send again, with the same id, what was not acknowledged when a connection
 * broke. A subscriber connected to the server directly records the room: it must hold exactly the
 * 10,000 messages, each once, every client's in its send order, and each at the position its publish
 * was acknowledged with. Each publishing client also subscribes to the room from its start, through the
 * same cuts, and must receive the same 10,000 messages, once each and in order, told of no gap. Run with
 * the in-memory broker and with {@code RedisBroker} on a real Redis.
 *
 * <p>Needs {@code node} (20 or newer) on the PATH: without it the test is skipped, unless
 * {@code ECHOWALL_REQUIRE_NODE=1} makes that a failure.
 */
@Timeout(180)
class PublishesUnderCutsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOM = "ledger";
    private static final int CLIENTS = 3;
    private static final int TOTAL = 10_000;
    /** The pace of each client: about 500 publishes a second in all, so the run spans about ten cuts. */
    private static final int EVERY_MILLIS = 6;
    /** How long a cut loses the acks of publishes the server applies, before it resets the connections. */
    private static final Duration LOST_REPLIES = Duration.ofMillis(150);
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration DRAIN = Duration.ofSeconds(30);
    /** How long the subscriber must hear nothing more once it has every message. */
    private static final Duration QUIET = Duration.ofMillis(500);

    @ParameterizedTest(name = "{0} broker")
    @ValueSource(strings = {"local", "redis"})
    void tenThousandPublishesAreAppliedOnceEachInSendOrderThroughCuts(String broker) throws Exception {
        Path node = ExternalPrograms.onPath("node", ExternalPrograms.REQUIRE_NODE,
                "node not found on the PATH; install Node.js 20 or newer to run echowall.js against a server");
        TestRedis redis = broker.equals("redis") ? TestRedis.start() : null;
        Set<WebSocket> cuttable = ConcurrentHashMap.newKeySet();
        AtomicInteger requests = new AtomicInteger(); // publish requests that reached the server, resent ones too
        Echowall app = Echowall.create(c -> redis == null ? c.withHost("127.0.0.1")
                : c.withHost("127.0.0.1").withBroker(RedisBroker.connect(redis.uri())));
        // The publishers' endpoint, whose connections the test closes; the subscriber's, which it leaves alone.
        app.roomsEndpoint("/rooms", new RoomAccess() {
            @Override
            public String user(WebSocket ws) {
                cuttable.add(ws);
                return null;
            }

            @Override
            public boolean mayPublish(WebSocket ws, String room) {
                requests.incrementAndGet();
                return true;
            }
        });
        app.roomsEndpoint("/watch");
        app.room(ROOM, RoomOptions.defaults().withHistory(TOTAL, Duration.ofMinutes(5))); // the publishers resume in it
        AtomicBoolean publishing = new AtomicBoolean(true);
        AtomicInteger resets = new AtomicInteger();
        AtomicInteger serverCloses = new AtomicInteger();
        try (TestServer server = TestServer.start(app);
             CuttingProxy proxy = CuttingProxy.start(server.port());
             TestClient watcher = server.connect("/watch", Map.of(), "echowall.v1")) {
            assertThat(frame(watcher).path("type").asText()).isEqualTo("welcome");
            watcher.send("{\"type\":\"subscribe\",\"room\":\"" + ROOM + "\"}");
            JsonNode subscribed = frame(watcher);
            assertThat(subscribed.path("type").asText()).as("%s", subscribed).isEqualTo("subscribed");
            String epoch = subscribed.path("epoch").asText();

            Thread cutter = Thread.ofVirtual().start(() -> {
                for (int cut = 0; publishing.get(); cut++) {
                    if (!pause(ThreadLocalRandom.current().nextInt(2000, 3000), publishing)) {
                        return;
                    }
                    if (cut % 3 == 0) {
                        resets.addAndGet(proxy.cut());
                    } else if (cut % 3 == 1) {
                        proxy.loseReplies();
                        if (!pause(LOST_REPLIES.toMillis(), publishing)) {
                            return;
                        }
                        resets.addAndGet(proxy.cut());
                    } else {
                        for (WebSocket ws : cuttable) {
                            if (ws.state() == WebSocket.State.OPEN) {
                                ws.close(new CloseStatus(CloseCode.SERVICE_RESTART.code(), "cut by the test"));
                                serverCloses.incrementAndGet();
                            }
                        }
                    }
                }
            });
            Processes.Result run;
            try {
                Path script = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("src/test/js/publish-under-cuts.mjs");
                run = Processes.run(List.of(node.toString(), "--experimental-websocket", "--no-warnings", script.toString(),
                                server.uri("/echowall/echowall.js").toString(), "ws://127.0.0.1:" + proxy.port() + "/rooms",
                                ROOM, epoch, Integer.toString(CLIENTS), Integer.toString(TOTAL), Integer.toString(EVERY_MILLIS)),
                        script.getParent(), NODE_TIMEOUT);
            } finally {
                publishing.set(false);
                cutter.interrupt();
                cutter.join();
            }
            assertThat(run.exitCode()).as("the publishers under Node\n%s", run.describe()).isZero();
            JsonNode result = JSON.readTree(run.stdout());
            System.out.printf("%s broker: %d connections reset, %d closed by the server, %d opened; %d publish requests for %d messages%n",
                    broker, resets.get(), serverCloses.get(), result.path("opens").asInt(), requests.get(), TOTAL);
            assertThat(result.path("failures").size()).as("failed publishes: %s", result.path("failures")).isZero();
            // The cuts fell among the publishes: each reset or close broke a connection a client then made again.
            assertThat(resets.get()).as("connections reset by the proxy").isGreaterThanOrEqualTo(3);
            assertThat(serverCloses.get()).as("connections closed by the server").isGreaterThanOrEqualTo(3);
            assertThat(result.path("opens").asInt()).as("connections the clients opened")
                    .isGreaterThanOrEqualTo(CLIENTS + 6);
            assertThat(requests.get()).as("publish requests that reached the server: some sent again after their ack was lost")
                    .isGreaterThan(TOTAL);

            // The room as the subscriber saw it: offsets 1 to TOTAL in order, then nothing more.
            List<JsonNode> messages = new ArrayList<>();
            long deadline = System.nanoTime() + DRAIN.toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode frame;
                try {
                    frame = frame(watcher, messages.size() < TOTAL ? DRAIN : QUIET);
                } catch (AssertionError none) {
                    break; // the checks below say what is missing or more
                }
                if (frame.path("type").asText().equals("message")) {
                    messages.add(frame);
                }
            }
            assertThat(messages.size()).as("messages the subscriber got").isEqualTo(TOTAL);
            assertThat(messages).extracting(m -> m.path("offset").asLong()).as("the offsets the subscriber got")
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, TOTAL).mapToObj(Long::valueOf).toList());
            assertThat(messages).extracting(m -> m.path("epoch").asText()).containsOnly(epoch);

            Map<String, Long> stored = new HashMap<>();
            Map<Integer, List<Integer>> sent = new HashMap<>();
            for (JsonNode m : messages) {
                int c = m.path("data").path("c").asInt();
                int n = m.path("data").path("n").asInt();
                assertThat(stored.put(c + "/" + n, m.path("offset").asLong())).as("message %s/%s stored twice", c, n).isNull();
                sent.computeIfAbsent(c, k -> new ArrayList<>()).add(n);
            }
            for (int c = 0; c < CLIENTS; c++) {
                int sentByC = TOTAL / CLIENTS + (c < TOTAL % CLIENTS ? 1 : 0); // as the script shares them out
                assertThat(sent.get(c)).as("client %s's messages in the room's order", c)
                        .containsExactlyElementsOf(IntStream.range(0, sentByC).boxed().toList());
            }
            // Each publisher also subscribed from the room's start, through the cuts: it got the same.
            List<String> room = messages.stream().map(m -> m.path("data").path("c").asInt() + "/" + m.path("data").path("n").asInt()).toList();
            assertThat(result.path("received").size()).isEqualTo(CLIENTS);
            for (JsonNode seen : result.path("received")) {
                assertThat(seen.path("gaps").size()).as("gaps told to client %s: %s", seen.path("c"), seen.path("gaps")).isZero();
                List<Long> offsets = new ArrayList<>();
                seen.path("offsets").forEach(o -> offsets.add(o.asLong()));
                assertThat(offsets.size()).as("messages client %s received", seen.path("c")).isEqualTo(TOTAL);
                assertThat(offsets).as("the offsets client %s received", seen.path("c"))
                        .containsExactlyElementsOf(IntStream.rangeClosed(1, TOTAL).mapToObj(Long::valueOf).toList());
                List<String> data = new ArrayList<>();
                seen.path("data").forEach(d -> data.add(d.asText()));
                assertThat(data).as("what client %s received", seen.path("c")).containsExactlyElementsOf(room);
            }

            JsonNode acks = result.path("acks");
            assertThat(acks.size()).isEqualTo(TOTAL);
            Set<String> ids = new HashSet<>();
            for (JsonNode ack : acks) {
                String key = ack.path("c").asInt() + "/" + ack.path("n").asInt();
                assertThat(ids.add(ack.path("id").asText())).as("publish id %s acknowledged twice", ack.path("id")).isTrue();
                assertThat(ack.path("epoch").asText()).isEqualTo(epoch);
                assertThat(ack.path("offset").asLong()).as("the offset message %s was acknowledged with", key)
                        .isEqualTo(stored.get(key));
            }
        } finally {
            app.stop();
            if (redis != null) {
                redis.close();
            }
        }
    }

    /** Waits {@code millis} (the cutter's pace) unless the run ends first; whether it is still on. */
    private static boolean pause(long millis, AtomicBoolean on) {
        try {
            Thread.sleep(millis);
            return on.get();
        } catch (InterruptedException e) {
            return false;
        }
    }

    private static JsonNode frame(TestClient client) {
        return frame(client, DRAIN);
    }

    private static JsonNode frame(TestClient client, Duration timeout) {
        try {
            return JSON.readTree(client.nextMessage(timeout).text());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
