package io.echowall;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.echowall.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event-stream transport of {@code echowall.v1} endpoints, through a real HTTP client: the same
 * envelopes as on a WebSocket over Server-Sent Events, requests by POST, resume across streams, and the
 * refusals (unknown session, oversize request, another origin) and the slow-reader policy.
 */
@Timeout(60)
class EventStreamTransportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Echowall app;
    private TestServer server;

    private void start(UnaryOperator<EchowallConfig> config, Consumer<Echowall> routes) {
        app = Echowall.create(c -> config.apply(c.withHost("127.0.0.1")));
        routes.accept(app);
        server = TestServer.start(app);
    }

    private void start(Consumer<Echowall> routes) {
        start(c -> c, routes);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** One event stream, read by a thread of its own into a queue of events. */
    private final class Stream implements AutoCloseable {
        final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
        final InputStream body;
        final String session;
        final JsonNode welcome;

        Stream(String path) {
            HttpResponse<InputStream> response = server.send(HttpRequest.newBuilder(server.uri(path))
                    .header("Accept", "text/event-stream").GET(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            body = response.body();
            Thread.ofVirtual().start(this::read);
            welcome = next();
            assertThat(welcome.path("type").asText()).isEqualTo("welcome");
            session = welcome.path("session").asText();
            assertThat(session).hasSizeGreaterThanOrEqualTo(22); // 128 bits in base64url
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                StringBuilder data = new StringBuilder();
                String event = "message";
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (!data.isEmpty()) {
                            JsonNode node = JSON.readTree(data.toString());
                            events.add(event.equals("close") ? JSON.createObjectNode().put("type", "close")
                                    .put("code", node.path("code").asInt()) : node);
                        }
                        data.setLength(0);
                        event = "message";
                    } else if (line.startsWith("data: ")) {
                        data.append(data.isEmpty() ? "" : "\n").append(line.substring(6));
                    } else if (line.startsWith("event: ")) {
                        event = line.substring(7);
                    }
                }
            } catch (IOException e) {
                // The stream ended.
            }
            events.add(JSON.createObjectNode().put("type", "end"));
        }

        JsonNode next() {
            try {
                JsonNode node = events.poll(20, TimeUnit.SECONDS);
                assertThat(node).as("an event within 20 s").isNotNull();
                return node;
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }

        JsonNode expect(String type) {
            JsonNode m = next();
            while (m.path("type").asText().equals("presence")) {
                m = next();
            }
            assertThat(m.path("type").asText()).as("%s", m).isEqualTo(type);
            return m;
        }

        HttpResponse<String> post(String path, String body) {
            return server.send(HttpRequest.newBuilder(server.uri(path + (path.contains("?") ? "&" : "?") + "session=" + session))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    @Test
    void aClientSubscribesPublishesAndIsAcknowledgedOverTheEventStream() throws Exception {
        start(app -> app.roomsEndpoint("/v1"));
        try (Stream stream = new Stream("/v1")) {
            assertThat(stream.post("/v1", "{\"type\":\"subscribe\",\"room\":\"lobby\"}").statusCode()).isEqualTo(204);
            assertThat(stream.expect("subscribed").path("offset").asLong()).isZero();
            // Several requests in one POST, one per line, are taken in order.
            HttpResponse<String> posted = stream.post("/v1",
                    "{\"type\":\"publish\",\"room\":\"lobby\",\"id\":\"c:1\",\"data\":{\"n\":1}}\n"
                            + "{\"type\":\"publish\",\"room\":\"lobby\",\"id\":\"c:2\",\"data\":\"two\"}\n");
            assertThat(posted.statusCode()).isEqualTo(204);
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                JsonNode m = stream.next();
                seen.add(m.path("type").asText() + ":" + m.path("offset").asLong());
            }
            assertThat(seen).containsExactlyInAnyOrder("message:1", "message:2", "ack:1", "ack:2");
            assertThat(seen.indexOf("message:1")).isLessThan(seen.indexOf("message:2"));
            assertThat(seen.indexOf("ack:1")).isLessThan(seen.indexOf("ack:2"));
            // A message whose JSON spans lines still arrives whole.
            app.rooms().publish("lobby", Message.text("{\n  \"pretty\": true\n}"), null).join();
            assertThat(stream.expect("message").path("data").path("pretty").asBoolean()).isTrue();
            stream.post("/v1", "{\"type\":\"ping\"}");
            stream.expect("pong");
        }
    }

    @Test
    void aServerThatStopsEndsTheStreamWithACloseEventCarryingTheCode() throws Exception {
        start(app -> app.roomsEndpoint("/v1"));
        try (Stream stream = new Stream("/v1")) {
            stream.post("/v1", "{\"type\":\"subscribe\",\"room\":\"lobby\"}");
            stream.expect("subscribed");
            // The app, not the test server: closing that also shuts its HTTP client down, which could
            // abort the response before this stream read the last events the server wrote.
            Thread stopping = Thread.ofVirtual().start(app::stop);
            JsonNode close = stream.expect("close");
            assertThat(close.path("code").asInt()).isEqualTo(1001);
            assertThat(stream.expect("end")).isNotNull();
            stopping.join();
        }
    }

    @Test
    void aNewStreamResumesFromThePositionTheLastOneReached() throws Exception {
        start(app -> app.roomsEndpoint("/v1"));
        String epoch;
        try (Stream first = new Stream("/v1")) {
            first.post("/v1", "{\"type\":\"subscribe\",\"room\":\"news\"}");
            epoch = first.expect("subscribed").path("epoch").asText();
            app.rooms().publish("news", Message.text("1"), null).join();
            assertThat(first.expect("message").path("offset").asLong()).isEqualTo(1);
        }
        for (int i = 2; i <= 5; i++) {
            app.rooms().publish("news", Message.text(String.valueOf(i)), null).join();
        }
        try (Stream second = new Stream("/v1")) {
            second.post("/v1", "{\"type\":\"subscribe\",\"room\":\"news\",\"since\":{\"epoch\":\"" + epoch + "\",\"offset\":1}}");
            assertThat(second.expect("subscribed").path("recovered").asBoolean()).isTrue();
            List<Long> offsets = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                offsets.add(second.expect("message").path("offset").asLong());
            }
            assertThat(offsets).containsExactly(2L, 3L, 4L, 5L);
        }
    }

    @Test
    void aPostToAnUnknownOrEndedSessionIsNotFound() throws Exception {
        start(app -> app.roomsEndpoint("/v1"));
        HttpResponse<String> unknown = server.send(HttpRequest.newBuilder(server.uri("/v1?session=AAAAAAAAAAAAAAAAAAAAAA"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"ping\"}")));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).path("error").asText()).isEqualTo("unknown-session");
        Stream stream = new Stream("/v1");
        stream.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int status;
        do {
            status = stream.post("/v1", "{\"type\":\"ping\"}").statusCode();
        } while (status != 404 && System.nanoTime() < deadline);
        assertThat(status).as("a POST after the stream closed").isEqualTo(404);
    }

    @Test
    void anOversizeRequestIsRefusedWholeWith413() throws Exception {
        start(c -> c.withMaxMessageSize(1024), app -> app.roomsEndpoint("/v1"));
        try (Stream stream = new Stream("/v1")) {
            String big = "{\"type\":\"publish\",\"room\":\"lobby\",\"id\":\"c:1\",\"data\":\"" + "x".repeat(2000) + "\"}";
            HttpResponse<String> refused = stream.post("/v1", "{\"type\":\"subscribe\",\"room\":\"lobby\"}\n" + big);
            assertThat(refused.statusCode()).isEqualTo(413);
            assertThat(JSON.readTree(refused.body()).path("error").asText()).isEqualTo("too-large");
            // Nothing of the refused POST was taken: the subscribe before the big one did not happen either.
            assertThat(stream.post("/v1", "{\"type\":\"unsubscribe\",\"room\":\"lobby\"}").statusCode()).isEqualTo(204);
            assertThat(stream.expect("error").path("code").asText()).isEqualTo("not-subscribed");
        }
    }

    @Test
    void anotherOriginCanNeitherOpenAStreamNorPostToOne() throws Exception {
        start(app -> app.roomsEndpoint("/v1"));
        HttpResponse<String> open = server.send(HttpRequest.newBuilder(server.uri("/v1"))
                .header("Accept", "text/event-stream").header("Origin", "https://evil.example").GET());
        assertThat(open.statusCode()).isEqualTo(403);
        try (Stream stream = new Stream("/v1")) {
            HttpResponse<String> posted = server.send(HttpRequest.newBuilder(server.uri("/v1?session=" + stream.session))
                    .header("Origin", "https://evil.example")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"subscribe\",\"room\":\"lobby\"}")));
            assertThat(posted.statusCode()).isEqualTo(403);
            HttpResponse<String> sameOrigin = server.send(HttpRequest.newBuilder(server.uri("/v1?session=" + stream.session))
                    .header("Origin", "http://127.0.0.1:" + server.port())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"subscribe\",\"room\":\"lobby\"}")));
            assertThat(sameOrigin.statusCode()).isEqualTo(204);
            assertThat(stream.expect("subscribed").path("room").asText()).isEqualTo("lobby");
        }
    }

    @Test
    void theEndpointsRateLimitSlowsPostedRequestsAndLosesNone() throws Exception {
        start(app -> app.roomsEndpoint("/v1", RoomAccess.OPEN, WebSocketOptions.defaults().withRateLimit(5, 0)));
        try (Stream stream = new Stream("/v1")) {
            String pings = "{\"type\":\"ping\"}\n".repeat(15);
            assertThat(stream.post("/v1", pings).statusCode()).isEqualTo(204);
            for (int i = 0; i < 15; i++) {
                stream.expect("pong");
            }
        }
    }

    @Test
    void beforeFiltersAndRoomAccessSeeTheStreamAsTheyWouldAnUpgrade() throws Exception {
        start(app -> {
            app.before("/v1", ctx -> ctx.attribute("user", ctx.queryParam("name")));
            app.roomsEndpoint("/v1", new RoomAccess() {
                @Override
                public String user(WebSocket ws) {
                    return (String) ws.attribute("user");
                }

                @Override
                public boolean maySubscribe(WebSocket ws, String room) {
                    return room.startsWith(ws.user() + ":");
                }
            });
        });
        try (Stream stream = new Stream("/v1?name=ada")) {
            assertThat(stream.welcome.path("user").asText()).isEqualTo("ada");
            stream.post("/v1?name=ada", "{\"type\":\"subscribe\",\"room\":\"bob:inbox\"}");
            assertThat(stream.expect("error").path("code").asText()).isEqualTo("forbidden");
            stream.post("/v1?name=ada", "{\"type\":\"subscribe\",\"room\":\"ada:inbox\"}");
            assertThat(stream.expect("subscribed").path("room").asText()).isEqualTo("ada:inbox");
        }
    }

    @Test
    void aStreamWhoseReaderStopsMeetsTheRoomsPolicyInsteadOfGrowingTheHeap() throws Exception {
        start(c -> c.withSendBufferSize(64 << 10), app -> app.roomsEndpoint("/v1"));
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /v1 HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String session = readUntil(in, "\"session\":\"").split("\"session\":\"")[1];
            session = session.substring(0, session.indexOf('"'));
            HttpResponse<String> subscribed = server.send(HttpRequest.newBuilder(server.uri("/v1?session=" + session))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"subscribe\",\"room\":\"flood\"}")));
            assertThat(subscribed.statusCode()).isEqualTo(204);
            readUntil(in, "\"subscribed\"");
            // The reader stops while far more than the send buffer is published: the room's default policy
            // (CLOSE) must drop the stream rather than keep what it cannot take.
            String payload = "\"" + "x".repeat(8 << 10) + "\"";
            int published = 4_000; // 32 MiB: far more than the kernel's buffers on both sides hold
            for (int i = 0; i < published; i++) {
                app.rooms().publish("flood", Message.text(payload), null).join();
            }
            long read = 0;
            byte[] buffer = new byte[64 << 10];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    read += n;
                }
            } catch (IOException reset) {
                // Dropped with a reset: as good as an end.
            }
            assertThat(read).as("bytes the stopped reader still got").isLessThan((long) published * (8 << 10) / 2);
        }
    }

    /** Reads the raw stream until {@code marker} has been seen; what was read, as text. */
    private static String readUntil(InputStream in, String marker) throws IOException {
        StringBuilder read = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (read.indexOf(marker) < 0 || read.indexOf("\n\n", read.indexOf(marker)) < 0) {
            int n = in.read(buffer);
            if (n < 0) {
                throw new AssertionError("the stream ended before " + marker + ": " + read);
            }
            read.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
        return read.toString();
    }
}
