package io.echowall.redis;

import io.echowall.Echowall;
import io.echowall.PresenceEvent;
import io.echowall.testing.TestClient;
import io.echowall.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server killed without warning, in a JVM of its own with its clients connected to it: the other
 * servers each hear exactly one leave per user that had no connection left anywhere, within the lease
 * time plus the grace period, and none for the users still connected elsewhere.
 */
@Timeout(120)
class KilledServerTest {

    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final Duration GRACE = Duration.ofMillis(500);

    private TestRedis redis;
    private RedisBrokerOptions options;
    private final List<Echowall> apps = new ArrayList<>();
    private final List<TestServer> servers = new ArrayList<>();
    private final List<List<PresenceEvent>> presence = new ArrayList<>();
    private Process doomed;
    private HttpClient http;

    @BeforeEach
    void start() {
        redis = TestRedis.start();
        options = RoomServers.options(LEASE);
        for (int i = 0; i < 2; i++) {
            List<PresenceEvent> events = new CopyOnWriteArrayList<>();
            Echowall app = RoomServers.app(RedisBroker.connect(redis.uri(), options), GRACE, events::add);
            apps.add(app);
            presence.add(events);
            servers.add(TestServer.start(app));
        }
        http = HttpClient.newHttpClient();
    }

    @AfterEach
    void stop() {
        if (doomed != null) {
            doomed.destroyForcibly();
        }
        http.shutdownNow();
        servers.forEach(TestServer::close);
        redis.close();
    }

    /** Starts ServerMain in a new JVM on this test's class path and returns its port. */
    private int startDoomedServer() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        doomed = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ServerMain.class.getName(), redis.uri(), options.keyPrefix(),
                Long.toString(LEASE.toMillis()), Long.toString(GRACE.toMillis()))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
            try (var out = new BufferedReader(new InputStreamReader(doomed.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith("PORT ")) {
                        return Integer.parseInt(line.substring(5).trim());
                    }
                }
                throw new IllegalStateException("the server exited before listening");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            return port.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the server in its own JVM did not start", e);
        }
    }

    private WebSocket connect(int port, String room, String user) throws Exception {
        return http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/room/" + room + "?user=" + user),
                new WebSocket.Listener() { }).get(10, TimeUnit.SECONDS);
    }

    @Test
    void theUsersOfAKilledServerLeaveOnceOnEveryOtherServer() throws Exception {
        int port = startDoomedServer();
        List<WebSocket> onDoomed = new ArrayList<>();
        for (String user : List.of("ada", "bob", "cy", "eve")) {
            onDoomed.add(connect(port, "lobby", user));
        }
        onDoomed.add(connect(port, "lobby", "ada")); // a second tab
        onDoomed.add(connect(port, "kitchen", "bob"));
        TestClient eve = servers.get(0).connect("/room/lobby?user=eve"); // eve stays, on a live server
        TestClient dan = servers.get(1).connect("/room/lobby?user=dan");
        await().until(() -> RoomServers.agree(apps, "lobby", List.of("ada", "bob", "cy", "dan", "eve"))
                && RoomServers.agree(apps, "kitchen", List.of("bob")));

        long killed = System.nanoTime();
        doomed.destroyForcibly();
        List<PresenceEvent> leaves = List.of(new PresenceEvent("lobby", "ada", false),
                new PresenceEvent("lobby", "bob", false), new PresenceEvent("lobby", "cy", false),
                new PresenceEvent("kitchen", "bob", false));
        // Detection takes up to a lease and a renewal; then the grace period; then a sweep.
        Duration bound = LEASE.plus(LEASE.dividedBy(3)).plus(GRACE).plus(Duration.ofSeconds(2));
        for (List<PresenceEvent> events : presence) {
            await().atMost(bound).until(() -> events.stream().filter(e -> !e.joined()).count() >= 4);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - killed);
        assertThat(took).isGreaterThanOrEqualTo(GRACE);
        await().during(LEASE).atMost(LEASE.multipliedBy(3)).until(() ->
                presence.stream().allMatch(events -> events.stream().filter(e -> !e.joined()).count() == 4));
        for (List<PresenceEvent> events : presence) {
            assertThat(events.stream().filter(e -> !e.joined()).toList()).containsExactlyInAnyOrderElementsOf(leaves);
        }
        assertThat(RoomServers.agree(apps, "lobby", List.of("dan", "eve"))).isTrue();
        assertThat(RoomServers.agree(apps, "kitchen", List.of())).isTrue();
        eve.close();
        dan.close();
    }
}
