package io.echowall.redis;

import io.echowall.Echowall;
import io.echowall.Position;
import io.echowall.PresenceEvent;
import io.echowall.testing.TestClient;
import io.echowall.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three Echowall servers sharing one Redis, with real WebSocket clients on each: what a member publishes
 * on one server reaches the members on every server in order, clients of the {@code echowall.v1}
 * protocol see the same positions everywhere, and every server counts the same users.
 */
@Timeout(120)
class SeveralServersTest {

    private static final Duration GRACE = Duration.ofMillis(300);

    private TestRedis redis;
    private final List<Echowall> apps = new ArrayList<>();
    private final List<TestServer> servers = new ArrayList<>();
    private final List<List<PresenceEvent>> presence = new ArrayList<>();

    @BeforeEach
    void start() {
        redis = TestRedis.start();
        RedisBrokerOptions options = RoomServers.options(Duration.ofSeconds(2));
        for (int i = 0; i < 3; i++) {
            List<PresenceEvent> events = new CopyOnWriteArrayList<>();
            Echowall app = RoomServers.app(RedisBroker.connect(redis.uri(), options), GRACE, events::add);
            apps.add(app);
            presence.add(events);
            servers.add(TestServer.start(app));
        }
    }

    @AfterEach
    void stop() {
        servers.forEach(TestServer::close);
        redis.close();
    }

    @Test
    void aMessagePublishedOnOneServerReachesTheMembersOfAllInOrder() {
        List<TestClient> members = new ArrayList<>();
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String user = "user" + i;
            members.add(servers.get(i % 3).connect("/room/lobby?user=" + user));
            users.add(user);
        }
        await().until(() -> RoomServers.agree(apps, "lobby", users));
        // A subscription is in place once its server counts the user; a later publication reaches it.
        TestClient publisher = members.getFirst();
        for (int n = 0; n < 300; n++) {
            publisher.send("m" + n);
        }
        for (TestClient member : members.subList(1, members.size())) {
            for (int n = 0; n < 300; n++) {
                member.expectText("m" + n);
            }
        }
        publisher.expectNoMessage(Duration.ofMillis(200));

        members.forEach(TestClient::close);
        await().until(() -> RoomServers.agree(apps, "lobby", List.of()));
        for (List<PresenceEvent> events : presence) {
            await().until(() -> events.size() == 12);
            assertThat(events.stream().filter(PresenceEvent::joined).map(PresenceEvent::user)).containsExactlyInAnyOrderElementsOf(users);
            assertThat(events.stream().filter(e -> !e.joined()).map(PresenceEvent::user)).containsExactlyInAnyOrderElementsOf(users);
        }
    }

    @Test
    void protocolClientsOnEveryServerGetTheSameMessagesAtTheSamePositions() {
        List<ProtocolClient> clients = new ArrayList<>();
        List<ProtocolClient.Frame> starts = new ArrayList<>();
        for (TestServer server : servers) {
            ProtocolClient client = ProtocolClient.connect(server);
            clients.add(client);
            starts.add(client.subscribe("feed"));
        }
        Position start = starts.getFirst().position();
        assertThat(starts).extracting(ProtocolClient.Frame::position).containsOnly(start);
        for (int n = 0; n < 100; n++) {
            apps.get(0).rooms().publish("feed", "\"a" + n + "\"");
            apps.get(1).rooms().publish("feed", "\"b" + n + "\"");
        }
        List<List<String>> seen = new ArrayList<>();
        for (ProtocolClient client : clients) {
            List<String> frames = new ArrayList<>();
            for (int n = 1; n <= 200; n++) {
                ProtocolClient.Frame frame = client.expect("message");
                assertThat(frame.position()).isEqualTo(new Position(start.epoch(), start.offset() + n));
                frames.add(frame.json());
            }
            seen.add(frames);
        }
        assertThat(seen.get(1)).isEqualTo(seen.getFirst());
        assertThat(seen.get(2)).isEqualTo(seen.getFirst());
        clients.forEach(ProtocolClient::close);
    }

    @Test
    void anHttpHandlersPublicationReachesEveryServer() {
        TestClient ada = servers.get(1).connect("/room/news?user=ada");
        TestClient bob = servers.get(2).connect("/room/news?user=bob");
        await().until(() -> RoomServers.agree(apps, "news", List.of("ada", "bob")));
        apps.getFirst().rooms().publish("news", "extra");
        ada.expectText("extra");
        bob.expectText("extra");
        ada.close();
        bob.close();
    }
}
