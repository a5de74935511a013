package io.echowall;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.echowall.testing.RawWebSocket;
import io.echowall.testing.TestClient;
import io.echowall.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The {@code echowall.v1} endpoint through a real client: positions, acknowledged and idempotent
 * publishes, resume after a reconnect with nothing lost or repeated, and the reasons given when a
 * resume cannot recover.
 */
@Timeout(60)
class RoomsEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String V1 = "echowall.v1";

    private Echowall app;
    private TestServer server;

    private void start(Consumer<Echowall> routes) {
        app = Echowall.create(c -> c.withHost("127.0.0.1"));
        routes.accept(app);
        server = TestServer.start(app);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A client of the protocol: JSON in and out. */
    private final class Client implements AutoCloseable {
        final TestClient socket;

        Client(String path) {
            socket = server.connect(path, Map.of(), V1);
            JsonNode welcome = next();
            assertThat(welcome.path("type").asText()).isEqualTo("welcome");
            assertThat(welcome.path("version").asInt()).isEqualTo(1);
        }

        void send(String json) {
            socket.send(json);
        }

        JsonNode next() {
            try {
                return JSON.readTree(socket.nextMessage().text());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        /** The next message that is not a presence event. */
        JsonNode nextBesidesPresence() {
            JsonNode m = next();
            while (m.path("type").asText().equals("presence")) {
                m = next();
            }
            return m;
        }

        /** The next message, which must be of {@code type}; presence events are passed over unless asked for. */
        JsonNode expect(String type) {
            JsonNode m = type.equals("presence") ? next() : nextBesidesPresence();
            assertThat(m.path("type").asText()).as("%s", m).isEqualTo(type);
            return m;
        }

        JsonNode subscribe(String room, String since) {
            send("{\"type\":\"subscribe\",\"room\":\"" + room + "\"" + (since == null ? "" : ",\"since\":" + since) + "}");
            return expect("subscribed");
        }

        /** The offsets of the next {@code count} room messages. */
        List<Long> offsets(int count) {
            List<Long> offsets = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                offsets.add(expect("message").path("offset").asLong());
            }
            return offsets;
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    private static List<Long> range(long from, long to) {
        List<Long> list = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            list.add(i);
        }
        return list;
    }

    @Test
    void aPublishIsAcknowledgedWithItsPositionAndReachesTheSubscribers() throws Exception {
        start(app -> app.roomsEndpoint("/v1"));
        try (Client ada = new Client("/v1"); Client bob = new Client("/v1")) {
            JsonNode subscribed = ada.subscribe("lobby", null);
            assertThat(subscribed.path("offset").asLong()).isZero();
            assertThat(subscribed.has("recovered")).isFalse();
            bob.subscribe("lobby", null);

            ada.send("{\"type\":\"publish\",\"room\":\"lobby\",\"id\":\"a:1\",\"data\":{\"text\":\"hi\"}}");
            List<JsonNode> toAda = List.of(ada.nextBesidesPresence(), ada.nextBesidesPresence()); // its own message and the ack, in either order
            JsonNode ack = toAda.stream().filter(m -> m.path("type").asText().equals("ack")).findFirst().orElseThrow();
            JsonNode own = toAda.stream().filter(m -> m.path("type").asText().equals("message")).findFirst().orElseThrow();
            JsonNode atBob = bob.expect("message");

            assertThat(ack.path("id").asText()).isEqualTo("a:1");
            assertThat(ack.path("offset").asLong()).isEqualTo(1);
            assertThat(ack.path("epoch").asText()).isEqualTo(subscribed.path("epoch").asText());
            assertThat(atBob).isEqualTo(own);
            assertThat(atBob.path("data").path("text").asText()).isEqualTo("hi");
            assertThat(atBob.path("offset").asLong()).isEqualTo(1);
        }
    }

    @Test
    void aPublishRepeatedWithItsIdIsAppliedOnce() {
        start(app -> app.roomsEndpoint("/v1"));
        try (Client ada = new Client("/v1"); Client watcher = new Client("/v1")) {
            watcher.subscribe("lobby", null);
            for (int i = 0; i < 3; i++) {
                ada.send("{\"type\":\"publish\",\"room\":\"lobby\",\"id\":\"same\",\"data\":\"once\"}");
                assertThat(ada.expect("ack").path("offset").asLong()).isEqualTo(1);
            }
            ada.send("{\"type\":\"publish\",\"room\":\"lobby\",\"id\":\"other\",\"data\":\"twice\"}");
            assertThat(ada.expect("ack").path("offset").asLong()).isEqualTo(2);

            assertThat(watcher.expect("message").path("data").asText()).isEqualTo("once");
            assertThat(watcher.expect("message").path("data").asText()).isEqualTo("twice");
        }
    }

    @Test
    void aPublishResentAfterAReconnectIsAppliedOnceAlsoForAnAnonymousClient() {
        start(app -> app.roomsEndpoint("/v1"));
        try (Client watcher = new Client("/v1")) {
            watcher.subscribe("lobby", null);
            for (int connection = 0; connection < 2; connection++) {
                try (Client anonymous = new Client("/v1")) {
                    anonymous.send("{\"type\":\"publish\",\"room\":\"lobby\",\"id\":\"r4nd0m:1\",\"data\":\"hi\"}");
                    assertThat(anonymous.expect("ack").path("offset").asLong()).isEqualTo(1);
                }
            }
            watcher.expect("message");
            watcher.socket.expectNoMessage(Duration.ofMillis(200));
        }
    }

    @Test
    void aClientThatReconnectsGetsWhatItMissedOnceAndInOrder() {
        start(app -> app.roomsEndpoint("/v1"));
        String since;
        try (Client ada = new Client("/v1")) {
            String epoch = ada.subscribe("news", null).path("epoch").asText();
            for (int i = 1; i <= 3; i++) {
                app.rooms().publish("news", "{\"n\":" + i + "}");
            }
            assertThat(ada.offsets(3)).containsExactly(1L, 2L, 3L);
            since = "{\"epoch\":\"" + epoch + "\",\"offset\":3}";
        }
        for (int i = 4; i <= 8; i++) {
            app.rooms().publish("news", "{\"n\":" + i + "}");
        }
        try (Client again = new Client("/v1")) {
            JsonNode subscribed = again.subscribe("news", since);
            assertThat(subscribed.path("recovered").asBoolean()).isTrue();
            assertThat(subscribed.path("offset").asLong()).isEqualTo(3);
            app.rooms().publish("news", "{\"n\":9}");
            JsonNode first = again.expect("message");
            assertThat(first.path("data").path("n").asInt()).isEqualTo(4);
            assertThat(again.offsets(5)).containsExactly(5L, 6L, 7L, 8L, 9L);
            again.socket.expectNoMessage(Duration.ofMillis(200));
        }
    }

    @Test
    void aClientThatDroppedBeforeAnyMessageGetsTheFirstOnes() {
        start(app -> app.roomsEndpoint("/v1"));
        String since;
        try (Client ada = new Client("/v1")) {
            JsonNode subscribed = ada.subscribe("quiet", null);
            since = "{\"epoch\":\"" + subscribed.path("epoch").asText() + "\",\"offset\":0}";
        }
        for (int i = 1; i <= 5; i++) {
            app.rooms().publish("quiet", "m" + i);
        }
        try (Client again = new Client("/v1")) {
            assertThat(again.subscribe("quiet", since).path("recovered").asBoolean()).isTrue();
            assertThat(again.offsets(5)).isEqualTo(range(1, 5));
        }
    }

    @Test
    void aResumeThatCannotRecoverSaysWhy() {
        start(app -> app.room("short", RoomOptions.defaults().withHistory(5, Duration.ofMinutes(1)))
                .room("none", RoomOptions.defaults().withHistory(0, Duration.ofMinutes(1)))
                .roomsEndpoint("/v1"));
        try (Client ada = new Client("/v1")) {
            String epoch = ada.subscribe("short", null).path("epoch").asText();
            ada.send("{\"type\":\"unsubscribe\",\"room\":\"short\"}");
            ada.expect("unsubscribed");
            for (int i = 1; i <= 20; i++) {
                app.rooms().publish("short", "m" + i);
            }

            JsonNode trimmed = ada.subscribe("short", "{\"epoch\":\"" + epoch + "\",\"offset\":2}");
            assertThat(trimmed.path("recovered").asBoolean()).isFalse();
            assertThat(trimmed.path("reason").asText()).isEqualTo("trimmed");
            assertThat(trimmed.path("offset").asLong()).isEqualTo(20);

            JsonNode lost = ada.subscribe("other", "{\"epoch\":\"not-" + epoch + "\",\"offset\":2}");
            assertThat(lost.path("reason").asText()).isEqualTo("epoch");

            JsonNode none = ada.subscribe("none", "{\"epoch\":\"x\",\"offset\":0}");
            assertThat(none.path("reason").asText()).isEqualTo("no-history");
        }
    }

    @Test
    void aLargeGapIsReplayedInPagesWithNothingLost() {
        start(app -> app.room("big", RoomOptions.defaults().withHistory(10_000, Duration.ofMinutes(5))).roomsEndpoint("/v1"));
        for (int i = 1; i <= 5_000; i++) {
            app.rooms().publish("big", "{\"n\":" + i + "}");
        }
        String epoch = app.rooms().publish("big", Message.text("{\"n\":5001}"), null).join().epoch();
        try (Client ada = new Client("/v1")) {
            JsonNode subscribed = ada.subscribe("big", "{\"epoch\":\"" + epoch + "\",\"offset\":0}");
            assertThat(subscribed.path("recovered").asBoolean()).isTrue();
            assertThat(ada.offsets(5_001)).isEqualTo(range(1, 5_001));
        }
    }

    @Test
    void aSubscriptionMadeWhilePublishersRunSeesEveryLaterOffsetOnce() throws Exception {
        start(app -> app.room("busy", RoomOptions.defaults().withHistory(100_000, Duration.ofMinutes(5))).roomsEndpoint("/v1"));
        int total = 3_000;
        Thread publisher = Thread.ofVirtual().start(() -> {
            for (int i = 1; i <= total; i++) {
                app.rooms().publish("busy", "{\"n\":" + i + "}");
            }
        });
        try (Client ada = new Client("/v1")) {
            long start = ada.subscribe("busy", null).path("offset").asLong();
            publisher.join(Duration.ofSeconds(30));
            assertThat(ada.offsets((int) (total - start))).isEqualTo(range(start + 1, total));
            ada.socket.expectNoMessage(Duration.ofMillis(200));
        }
    }

    @Test
    void rawMembersOfTheSameRoomGetTheMessageAsItIs() {
        start(app -> app.roomsEndpoint("/v1").ws("/raw", ws -> {
            ws.join("mixed");
            for (var m : ws) {
                ws.send(m);
            }
        }));
        try (Client ada = new Client("/v1"); TestClient raw = server.connect("/raw")) {
            ada.subscribe("mixed", null);
            raw.send("joined?"); // the handler joins before it echoes, so the echo says it is in
            raw.expectText("joined?");
            app.rooms().publish("mixed", "plain text");
            raw.expectText("plain text");
            assertThat(ada.expect("message").path("data").asText()).isEqualTo("plain text");
        }
    }

    @Test
    void presenceReachesTheSubscribers() {
        start(app -> app.roomsEndpoint("/v1"));
        try (Client ada = new Client("/v1")) {
            ada.subscribe("lobby", null);
            try (Client bob = new Client("/v1")) {
                bob.subscribe("lobby", null);
                JsonNode joined = ada.expect("presence");
                assertThat(joined.path("joined").asBoolean()).isTrue();
                assertThat(joined.path("user").asText()).isNotEmpty();
            }
        }
    }

    @Test
    void theAppNamesTheUserAsTheConnectionOpens() {
        start(app -> app.roomsEndpoint("/v1", new RoomAccess() {
            @Override
            public String user(WebSocket ws) {
                return ws.queryParam("nick");
            }
        }));
        try (Client watcher = new Client("/v1")) {
            watcher.subscribe("lobby", null);
            TestClient ada = server.connect("/v1?nick=ada", Map.of(), V1);
            try {
                assertThat(ada.nextMessage().text()).contains("\"user\":\"ada\"");
                ada.send("{\"type\":\"subscribe\",\"room\":\"lobby\"}");
                JsonNode joined = watcher.expect("presence");
                assertThat(joined.path("user").asText()).isEqualTo("ada");
            } finally {
                ada.close();
            }
        }
    }

    @Test
    void theAppStampsOrRefusesWhatAClientPublishesBeforeItIsStored() {
        start(app -> app.roomsEndpoint("/v1", new RoomAccess() {
            @Override
            public String user(WebSocket ws) {
                return ws.queryParam("nick");
            }

            @Override
            public String publishing(WebSocket ws, String room, String data) {
                JsonNode line;
                try {
                    line = JSON.readTree(data);
                } catch (Exception e) {
                    throw new AssertionError(e); // the protocol hands over JSON only
                }
                String text = line.path("text").asText("");
                if (text.isBlank()) {
                    throw new PublishRefused("a line needs some text");
                }
                return JSON.createObjectNode().put("from", ws.user()).put("text", text).toString();
            }
        }));
        try (Client watcher = new Client("/v1")) {
            watcher.subscribe("lobby", null);
            TestClient ada = server.connect("/v1?nick=ada", Map.of(), V1);
            try {
                ada.nextMessage(); // the welcome
                ada.send("{\"type\":\"publish\",\"room\":\"lobby\",\"id\":\"a:1\",\"data\":{\"text\":\"  \"}}");
                JsonNode refused = JSON.readTree(ada.nextMessage().text());
                assertThat(refused.path("type").asText()).isEqualTo("error");
                assertThat(refused.path("code").asText()).isEqualTo("forbidden");
                assertThat(refused.path("message").asText()).isEqualTo("a line needs some text");
                assertThat(refused.path("id").asText()).isEqualTo("a:1");

                ada.send("{\"type\":\"publish\",\"room\":\"lobby\",\"id\":\"a:2\",\"data\":{\"from\":\"bob\",\"text\":\"hi\"}}");
                JsonNode ack = JSON.readTree(ada.nextMessage().text());
                assertThat(ack.path("type").asText()).isEqualTo("ack");
                assertThat(ack.path("offset").asLong()).as("the refused publish took no position").isEqualTo(1);
            } catch (Exception e) {
                throw new AssertionError(e);
            } finally {
                ada.close();
            }
            JsonNode stored = watcher.expect("message");
            assertThat(stored.path("offset").asLong()).isEqualTo(1);
            assertThat(stored.path("data")).isEqualTo(JSON.createObjectNode().put("from", "ada").put("text", "hi"));
        }
    }

    @Test
    void aClientCannotTakeRoomsWithoutEnd() {
        start(app -> app.roomsEndpoint("/v1"));
        try (Client greedy = new Client("/v1")) {
            for (int i = 0; i < 256; i++) {
                greedy.subscribe("room-" + i, null);
            }
            greedy.send("{\"type\":\"subscribe\",\"room\":\"one-more\"}");
            JsonNode refused = greedy.expect("error");
            assertThat(refused.path("code").asText()).isEqualTo("too-many-rooms");
            assertThat(refused.path("room").asText()).isEqualTo("one-more");
            greedy.send("{\"type\":\"unsubscribe\",\"room\":\"room-0\"}");
            greedy.expect("unsubscribed");
            greedy.subscribe("one-more", null);
        }
    }

    @Test
    void anEndpointTakesARateLimitButNotTheEventLoop() {
        start(app -> app.roomsEndpoint("/v1", RoomAccess.OPEN, WebSocketOptions.defaults().withRateLimit(1_000, 0)));
        try (Client ada = new Client("/v1")) {
            assertThat(ada.socket.subprotocol()).isEqualTo(V1);
            ada.send("{\"type\":\"ping\"}");
            ada.expect("pong");
        }
        assertThatIllegalArgumentException().isThrownBy(() -> Echowall.create().roomsEndpoint("/x", RoomAccess.OPEN,
                WebSocketOptions.defaults().withEventLoop(true)));
    }

    @Test
    void badRequestsAreAnsweredAndTheConnectionGoesOn() {
        start(app -> app.roomsEndpoint("/v1", new RoomAccess() {
            @Override
            public boolean mayPublish(WebSocket ws, String room) {
                return !room.startsWith("news");
            }
        }));
        try (Client ada = new Client("/v1")) {
            ada.send("not json");
            assertThat(ada.expect("error").path("code").asText()).isEqualTo("bad-request");
            ada.send("{\"type\":\"dance\",\"room\":\"x\"}");
            assertThat(ada.expect("error").path("code").asText()).isEqualTo("unknown-type");
            ada.send("{\"type\":\"publish\",\"room\":\"news\",\"id\":\"1\",\"data\":1}");
            JsonNode forbidden = ada.expect("error");
            assertThat(forbidden.path("code").asText()).isEqualTo("forbidden");
            assertThat(forbidden.path("id").asText()).isEqualTo("1");
            ada.send("{\"type\":\"unsubscribe\",\"room\":\"never\"}");
            assertThat(ada.expect("error").path("code").asText()).isEqualTo("not-subscribed");
            ada.socket.send(new byte[] {1, 2});
            assertThat(ada.expect("error").path("code").asText()).isEqualTo("bad-request");
            ada.send("{\"type\":\"ping\"}");
            ada.expect("pong");
        }
    }

    @Test
    void anHttpPublishSentThreeTimesWithOneIdempotencyKeyYieldsOneMessage() throws Exception {
        start(app -> app.roomsEndpoint("/v1").publishEndpoint("/publish"));
        try (Client ada = new Client("/v1")) {
            ada.subscribe("alerts", null);
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                answers.add(server.send(java.net.http.HttpRequest.newBuilder(server.uri("/publish/alerts"))
                        .header("Idempotency-Key", "deploy-42")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"level\":\"high\"}"))).body());
            }
            assertThat(answers).hasSize(3).allSatisfy(body -> assertThat(JSON.readTree(body).path("offset").asLong()).isEqualTo(1));
            assertThat(ada.expect("message").path("data").path("level").asText()).isEqualTo("high");
            ada.socket.expectNoMessage(Duration.ofMillis(200));
        }
    }

    @Test
    void theBrowserClientIsServedBesideTheEndpoint() {
        start(app -> app.roomsEndpoint("/v1"));
        var script = server.get("/echowall/echowall.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("javascript"));
        assertThat(script.body()).contains("export function connect", "echowall.v1");
        assertThat(server.get("/echowall/echowall.d.ts").statusCode()).isEqualTo(200);
    }

    @Test
    void anUpgradeWithoutTheSubprotocolIsRefusedWithTheReason() throws Exception {
        start(app -> app.roomsEndpoint("/v1"));
        try (RawWebSocket raw = RawWebSocket.send(server.port(), RawWebSocket.request(server.port(), "/v1"))) {
            RawWebSocket.Response response = raw.response();
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.body()).contains("offer it in Sec-WebSocket-Protocol");
        }
    }
}
