package io.echowall;

import io.echowall.testing.RawWebSocket;
import io.echowall.testing.TestClient;
import io.echowall.testing.TestServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The {@code /metrics} page scraped while real clients load the server: its counters agree with what
 * the clients counted, and its series stay the same however many paths and rooms are used. Then the
 * {@code /health} pages, and how both are protected.
 */
@Timeout(180)
class MetricsTest {

    private static final String ECHO = "/echo/{id}";
    private static final String ROOM = "/rooms/{room}";

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /**
     * An echo at /echo/{id}; at /rooms/{room}, a member that says "joined", then publishes what it gets;
     * at /hop, a connection that publishes each message to the room the message names, then says "ok".
     */
    private static Echowall app() {
        return app(c -> c);
    }

    /** {@link #app()} with {@code settings} applied to its configuration. */
    private static Echowall app(java.util.function.UnaryOperator<EchowallConfig> settings) {
        var app = Echowall.create(c -> settings.apply(c.withHost("127.0.0.1"))).metrics("/metrics").health("/health");
        app.get("/users/{id}", ctx -> ctx.text("user " + ctx.pathParam("id")));
        app.ws(ECHO, ws -> {
            for (var message : ws) {
                ws.send(message);
            }
        });
        app.ws(ROOM, ws -> {
            String room = ws.pathParam("room");
            ws.join(room);
            ws.send("joined");
            for (var message : ws) {
                ws.publish(room, message);
            }
        });
        app.ws("/hop", ws -> {
            for (var message : ws) {
                ws.join(message.text());
                ws.publish(message.text(), message);
                ws.leave(message.text());
                ws.send("ok");
            }
        });
        return app;
    }

    /** What one client counted. */
    private static final class Tally {
        final AtomicLong sent = new AtomicLong();
        final AtomicLong sentBytes = new AtomicLong();
        final AtomicLong received = new AtomicLong();
        final AtomicLong receivedBytes = new AtomicLong();
    }

    private static long sum(List<Tally> tallies, java.util.function.Function<Tally, AtomicLong> field) {
        return tallies.stream().mapToLong(t -> field.apply(t).get()).sum();
    }

    @Test
    void countersAgreeWithWhatTheClientsCountedDuringAndAfterALoadRun() throws Exception {
        server = TestServer.start(app()).within(Duration.ofSeconds(30));
        int echoClients = 16;
        int perClient = 400;
        int members = 4;
        int perMember = 50;
        List<Tally> echoes = new ArrayList<>();
        List<Tally> roomTallies = new ArrayList<>();
        List<TestClient> clients = new ArrayList<>();
        CountDownLatch halfway = new CountDownLatch(echoClients);
        CountDownLatch scrapedMidRun = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();

        for (int c = 0; c < members; c++) { // every member is in before anyone publishes
            TestClient member = server.connect("/rooms/lobby");
            member.expectText("joined");
            clients.add(member);
            Tally tally = new Tally();
            tally.received.incrementAndGet();
            tally.receivedBytes.addAndGet("joined".length());
            roomTallies.add(tally);
        }
        for (int c = 0; c < members; c++) {
            TestClient member = clients.get(c);
            Tally tally = roomTallies.get(c);
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < perMember; i++) {
                    String text = "news " + i;
                    tally.sent.incrementAndGet(); // counted before it goes: the server never counts more
                    tally.sentBytes.addAndGet(text.length());
                    member.send(text);
                }
            }));
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < (members - 1) * perMember; i++) {
                    String text = member.nextMessage().text();
                    tally.received.incrementAndGet(); // counted once here: the server counted it before
                    tally.receivedBytes.addAndGet(text.length());
                }
            }));
        }
        for (int c = 0; c < echoClients; c++) {
            TestClient client = server.connect("/echo/" + c);
            clients.add(client);
            Tally tally = new Tally();
            echoes.add(tally);
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < perClient; i++) {
                    if (i == perClient / 2) {
                        halfway.countDown();
                        awaitQuietly(scrapedMidRun); // the load pauses once, until a scrape happened during it
                    }
                    String text = "m".repeat(1 + i % 100);
                    tally.sent.incrementAndGet();
                    tally.sentBytes.addAndGet(text.length());
                    client.send(text);
                }
            }));
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < perClient; i++) {
                    String text = client.nextMessage().text();
                    tally.received.incrementAndGet();
                    tally.receivedBytes.addAndGet(text.length());
                }
            }));
        }

        // Mid-run, with messages in flight both ways: the server has counted no more than the clients
        // sent (read after the scrape), and no fewer than the clients received (read before it).
        assertThat(halfway.await(60, TimeUnit.SECONDS)).isTrue();
        long receivedBefore = sum(echoes, t -> t.received);
        Scrape mid = scrape();
        long sentAfter = sum(echoes, t -> t.sent);
        scrapedMidRun.countDown();
        assertThat(mid.value("echowall_websocket_received_messages_total", "route", ECHO))
                .isBetween(1.0, (double) sentAfter);
        assertThat(mid.value("echowall_websocket_sent_messages_total", "route", ECHO))
                .isGreaterThanOrEqualTo(receivedBefore);
        assertThat(mid.value("echowall_websocket_connections", "route", ECHO)).isEqualTo(echoClients);
        assertThat(mid.value("echowall_connections")).isGreaterThanOrEqualTo(echoClients + members);

        for (Thread t : threads) {
            assertThat(t.join(Duration.ofSeconds(90))).as("client thread %s finished", t).isTrue();
        }
        for (TestClient client : clients) {
            client.close();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> scrape().value("echowall_websocket_connections") == 0);
        Scrape end = scrape();

        assertThat(end.value("echowall_websocket_received_messages_total", "route", ECHO)).isEqualTo(sum(echoes, t -> t.sent));
        assertThat(end.value("echowall_websocket_received_bytes_total", "route", ECHO)).isEqualTo(sum(echoes, t -> t.sentBytes));
        assertThat(end.value("echowall_websocket_sent_messages_total", "route", ECHO)).isEqualTo(sum(echoes, t -> t.received));
        assertThat(end.value("echowall_websocket_sent_bytes_total", "route", ECHO)).isEqualTo(sum(echoes, t -> t.receivedBytes));
        assertThat(sum(echoes, t -> t.received)).isEqualTo((long) echoClients * perClient);

        assertThat(end.value("echowall_websocket_received_messages_total", "route", ROOM)).isEqualTo(sum(roomTallies, t -> t.sent));
        assertThat(end.value("echowall_websocket_received_bytes_total", "route", ROOM)).isEqualTo(sum(roomTallies, t -> t.sentBytes));
        assertThat(end.value("echowall_websocket_sent_messages_total", "route", ROOM)).isEqualTo(sum(roomTallies, t -> t.received));
        assertThat(end.value("echowall_websocket_sent_bytes_total", "route", ROOM)).isEqualTo(sum(roomTallies, t -> t.receivedBytes));
        assertThat(end.value("echowall_rooms_published_total")).isEqualTo(members * perMember);

        int all = echoClients + members;
        assertThat(end.value("echowall_websocket_handshakes_total", "outcome", "accepted")).isEqualTo(all);
        assertThat(end.value("echowall_websocket_closes_total", "code", "1000")).isEqualTo(all);
        assertThat(end.value("echowall_websocket_closes_total")).isEqualTo(all);
        assertThat(end.value("echowall_rooms")).isZero();
        assertThat(end.value("echowall_rooms_members")).isZero();
        assertThat(end.value("echowall_broker_up")).isEqualTo(1);
        assertThat(end.value("echowall_websocket_send_queue_bytes")).isZero();
        assertThat(end.value("echowall_connections_accepted_total")).isGreaterThanOrEqualTo(all + 1);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void theSeriesStayTheSameWhileTenThousandPathsAndRoomsAreUsed() throws Exception {
        server = TestServer.start(app()).within(Duration.ofSeconds(30));
        int paths = 10_000;
        int webSocketPaths = 1_000;
        int rooms = 10_000;
        useEverySeries(2, 1, 1);
        scrape(); // the page's own request is counted once it was answered: from the second scrape on
        Set<String> before = scrape().series();

        useEverySeries(paths, webSocketPaths, rooms);
        Scrape after = scrape();

        assertThat(after.series()).as("series after %d paths, %d WebSocket paths, %d rooms", paths,
                webSocketPaths, rooms).isEqualTo(before);
        assertThat(after.value("echowall_http_requests_seconds_count", "route", "/users/{id}")).isEqualTo(paths / 2 + 1);
        assertThat(after.value("echowall_http_requests_seconds_count", "route", "NOT_FOUND")).isEqualTo(paths / 2 + 1);
        assertThat(after.value("echowall_websocket_handshakes_total", "route", ECHO)).isEqualTo(webSocketPaths + 1);
        assertThat(after.value("echowall_rooms_published_total")).isEqualTo(rooms + 1);
        System.out.printf("%d series before and after %d paths, %d WebSocket paths and %d rooms%n",
                before.size(), paths, webSocketPaths, rooms);
    }

    /** Makes each path and room name used by {@link #useEverySeries} one never used before. */
    private int unique;

    /**
     * Requests {@code paths} distinct paths (every other one a route, the rest nothing), opens and
     * closes echoes at {@code webSocketPaths} distinct paths, and publishes to {@code rooms} distinct
     * rooms.
     */
    private void useEverySeries(int paths, int webSocketPaths, int rooms) throws Exception {
        int batch = 100;
        try (RawHttp http = RawHttp.connect(server.port())) {
            for (int start = 0; start < paths; start += batch) {
                StringBuilder pipelined = new StringBuilder();
                int end = Math.min(paths, start + batch);
                for (int i = start; i < end; i++) {
                    String path = (i % 2 == 0 ? "/users/" : "/nowhere/") + unique++;
                    pipelined.append("GET ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                }
                http.send(pipelined.toString());
                for (int i = start; i < end; i++) {
                    assertThat(http.read().status()).isEqualTo(i % 2 == 0 ? 200 : 404);
                }
            }
        }
        for (int i = 0; i < webSocketPaths; i++) {
            try (RawWebSocket ws = RawWebSocket.open(server.port(), "/echo/" + unique++)) {
                ws.sendText("hi");
                assertThat(ws.read().text()).isEqualTo("hi");
                ws.sendClose(1000, "");
                assertThat(ws.readClose().closeCode()).isEqualTo(1000);
            }
        }
        try (TestClient hopper = server.connect("/hop")) {
            for (int i = 0; i < rooms; i++) {
                hopper.send("room " + unique++);
                hopper.expectText("ok");
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> scrape().value("echowall_websocket_connections") == 0);
    }

    @Test
    void theHealthPagesSayTheServerIsAliveAndReady() {
        server = TestServer.start(app());

        HttpResponse<String> live = server.get("/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("{\"status\":\"UP\"}");
        HttpResponse<String> ready = server.get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"status\":\"UP\",\"server\":\"UP\",\"broker\":\"UP\"}");
        assertThat(ready.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(ready.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(server.get("/health").statusCode()).as("only live and ready are served").isEqualTo(404);
        assertThat(scrape().value("echowall_broker_up")).isEqualTo(1);
        // The broker going down is proved on a real Redis: echowall-redis's ReadinessTest.
    }

    @Test
    void aRoomMemberClosedForNotReadingIsCountedAsASlowClose() throws Exception {
        server = TestServer.start(app(c -> c.withCloseTimeout(Duration.ofSeconds(1))));
        try (RawWebSocket slow = RawWebSocket.open(server.port(), "/rooms/ticker"); // joins, then never reads
             TestClient publisher = server.connect("/rooms/ticker")) {
            publisher.expectText("joined");
            String chunk = "x".repeat(64 << 10);
            // Until the member's socket buffers and its 256 KiB room backlog are full: a few MiB on loopback.
            for (int sent = 0; sent < 4_000 && scrape().value("echowall_websocket_slow_closes_total") == 0; sent += 20) {
                for (int i = 0; i < 20; i++) {
                    publisher.send(chunk);
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> scrape().value("echowall_websocket_slow_closes_total") == 1);
        }
        Scrape end = scrape();
        assertThat(end.value("echowall_websocket_slow_closes_total", "route", ROOM, "reason", "too_slow_for_room")).isEqualTo(1);
        assertThat(end.value("echowall_websocket_slow_closes_total", "reason", "peer_too_slow")).isZero();
        assertThat(end.value("echowall_websocket_closes_total", "route", ROOM, "code", "1008")).isEqualTo(1);
    }

    @Test
    void theOperationsPagesAreOrdinaryRoutesThatFiltersProtect() {
        var app = Echowall.create(c -> c.withHost("127.0.0.1")).metrics("/metrics").health("/health");
        app.before("/metrics", ctx -> {
            if (!"Bearer s3cret".equals(ctx.header("Authorization"))) {
                ctx.status(401).text("who are you?");
            }
        });
        server = TestServer.start(app);

        assertThat(server.get("/metrics").statusCode()).isEqualTo(401);
        assertThat(server.get("/health/live").statusCode()).isEqualTo(200);
        HttpResponse<String> scraped = server.send(java.net.http.HttpRequest.newBuilder(server.uri("/metrics"))
                .header("Authorization", "Bearer s3cret"));
        assertThat(scraped.statusCode()).isEqualTo(200);
        assertThat(scraped.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(new Scrape(scraped.body()).value("echowall_http_requests_seconds_count", "route", "/metrics",
                "status", "401")).isEqualTo(1);
    }

    @Test
    void handshakesAreCountedByOutcomeUnderTheirRouteTemplate() throws Exception {
        var registry = new SimpleMeterRegistry();
        var app = Echowall.create(c -> c.withHost("127.0.0.1").withMeterRegistry(registry));
        app.before("/private/{id}", ctx -> ctx.status(401).text("no"));
        app.ws("/private/{id}", ws -> { });
        app.ws(ECHO, ws -> { });
        server = TestServer.start(app);
        int port = server.port();

        RawWebSocket.open(port, "/echo/1").close();
        RawWebSocket.send(port, RawWebSocket.request(port, "/echo/2", "Origin: http://elsewhere.example")).close();
        RawWebSocket.send(port, RawWebSocket.request(port, "/echo/3", "Sec-WebSocket-Key: again")).close();
        RawWebSocket.send(port, RawWebSocket.request(port, "/echo/4", "Sec-WebSocket-Version: 8")).close();
        RawWebSocket.send(port, RawWebSocket.request(port, "/private/5")).close();
        RawWebSocket.send(port, RawWebSocket.request(port, "/nowhere/6")).close();

        await().untilAsserted(() -> assertThat(registry.find("echowall.websocket.handshakes").counters())
                .extracting(c -> c.getId().getTag("route") + " " + c.getId().getTag("outcome") + " " + (long) c.count())
                .containsExactlyInAnyOrder("/echo/{id} accepted 1", "/echo/{id} forbidden_origin 1",
                        "/echo/{id} bad_request 1", "/echo/{id} wrong_version 1", "/private/{id} refused 1",
                        "NOT_FOUND not_found 1"));
    }

    @Test
    void theMetricsPageNeedsAPrometheusRegistry() {
        assertThatThrownBy(() -> Echowall.create(c -> c.withMeterRegistry(new SimpleMeterRegistry())).metrics("/metrics"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the /metrics page shows a Prometheus registry, and the configured MeterRegistry is a "
                        + "SimpleMeterRegistry without one; configure a PrometheusMeterRegistry (alone or in a "
                        + "CompositeMeterRegistry), or serve your registry yourself");
    }

    // ---------------------------------------------------------------- the page, parsed

    private Scrape scrape() {
        HttpResponse<String> page = server.get("/metrics");
        assertThat(page.statusCode()).isEqualTo(200);
        return new Scrape(page.body());
    }

    /** One scrape in Prometheus's text format: each series (name and labels) with its value. */
    private record Scrape(Map<String, Double> samples) {

        private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{.*})? (\\S+)$");
        private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

        Scrape(String text) {
            this(parse(text));
        }

        private static Map<String, Double> parse(String text) {
            Map<String, Double> samples = new java.util.LinkedHashMap<>();
            for (String line : text.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                Matcher m = SAMPLE.matcher(line);
                assertThat(m.matches()).as("a sample line: %s", line).isTrue();
                samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
            }
            return samples;
        }

        /** The names and labels of every series, without values. */
        Set<String> series() {
            return new TreeSet<>(samples.keySet());
        }

        /** The sum of the series named {@code name} whose labels include {@code labels} (name, value, …). */
        double value(String name, String... labels) {
            double sum = 0;
            for (var sample : samples.entrySet()) {
                String key = sample.getKey();
                int brace = key.indexOf('{');
                if (!(brace < 0 ? key : key.substring(0, brace)).equals(name)) {
                    continue;
                }
                Map<String, String> found = new java.util.HashMap<>();
                Matcher m = LABEL.matcher(brace < 0 ? "" : key.substring(brace));
                while (m.find()) {
                    found.put(m.group(1), m.group(2));
                }
                boolean matches = true;
                for (int i = 0; i < labels.length; i += 2) {
                    matches &= labels[i + 1].equals(found.get(labels[i]));
                }
                if (matches) {
                    sum += sample.getValue();
                }
            }
            return sum;
        }
    }
}
