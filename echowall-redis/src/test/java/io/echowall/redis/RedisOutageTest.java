package io.echowall.redis;

import io.echowall.Echowall;
import io.echowall.Message;
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
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis killed mid-test and started again on the same port, empty: each server keeps delivering to its
 * own members, says it lost the others and found them again, and by itself subscribes again and puts
 * its users back, so that messages cross servers again and every server counts the same users. Messages
 * published meanwhile get positions in an epoch of their server's own, and the rooms start a new epoch
 * in the Redis that came back empty, so that a client resuming across the outage is told what it lost.
 */
@Timeout(120)
class RedisOutageTest {

    private static final Duration GRACE = Duration.ofMillis(300);

    private TestRedis redis;
    private final List<RedisBroker> brokers = new ArrayList<>();
    private final List<Echowall> apps = new ArrayList<>();
    private final List<TestServer> servers = new ArrayList<>();
    private final List<List<PresenceEvent>> presence = new ArrayList<>();

    @BeforeEach
    void start() {
        redis = TestRedis.start();
        RedisBrokerOptions options = RoomServers.options(Duration.ofSeconds(2));
        for (int i = 0; i < 2; i++) {
            List<PresenceEvent> events = new CopyOnWriteArrayList<>();
            RedisBroker broker = RedisBroker.connect(redis.uri(), options);
            Echowall app = RoomServers.app(broker, GRACE, events::add);
            brokers.add(broker);
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
    void localDeliveryGoesOnAndEverythingComesBackWithRedis() {
        TestClient ada = servers.get(0).connect("/room/lobby?user=ada");
        TestClient bob = servers.get(0).connect("/room/lobby?user=bob");
        TestClient cy = servers.get(1).connect("/room/lobby?user=cy");
        await().until(() -> RoomServers.agree(apps, "lobby", List.of("ada", "bob", "cy")));
        ada.send("before");
        bob.expectText("before");
        cy.expectText("before");

        redis.kill();
        await().until(() -> brokers.stream().noneMatch(RedisBroker::healthy));
        for (int n = 0; n < 50; n++) {
            ada.send("during " + n);
        }
        for (int n = 0; n < 50; n++) {
            bob.expectText("during " + n);
        }
        TestClient dan = servers.get(1).connect("/room/lobby?user=dan"); // joins while Redis is gone
        bob.close(); // and leaves while Redis is gone

        redis.restart();
        await().atMost(Duration.ofSeconds(20)).until(() -> brokers.stream().allMatch(RedisBroker::healthy));
        await().until(() -> RoomServers.agree(apps, "lobby", List.of("ada", "cy", "dan")));
        // Cross-server delivery is back; whatever was published during the outage stayed on its server.
        String marker = "after " + UUID.randomUUID();
        ada.send(marker);
        assertThat(cy.nextMessage().text()).isEqualTo(marker);
        dan.expectText(marker);
        cy.send("back");
        ada.expectText("back");

        ada.close();
        cy.close();
        dan.close();
    }

    @Test
    void positionsDuringAnOutageCarryAnEpochOfTheServersOwn() throws Exception {
        ProtocolClient reader = ProtocolClient.connect(servers.get(0));
        reader.subscribe("news");
        Position before = published(1, "\"before\"", null);
        assertThat(reader.expect("message").position()).isEqualTo(before);

        redis.kill();
        await().until(() -> brokers.stream().noneMatch(RedisBroker::healthy));
        Position during = published(0, "\"during\"", "k1");
        assertThat(during.epoch()).isNotEqualTo(before.epoch());
        assertThat(during.offset()).isEqualTo(1);
        assertThat(published(0, "\"during again\"", "k1")).isEqualTo(during); // dedupe goes on too
        assertThat(published(0, "\"later\"", null)).isEqualTo(new Position(during.epoch(), 2));
        ProtocolClient.Frame live = reader.expect("message");
        assertThat(live.position()).isEqualTo(during);
        assertThat(live.data()).isEqualTo("\"during\"");
        assertThat(reader.expect("message").position()).isEqualTo(new Position(during.epoch(), 2));
        try (ProtocolClient resuming = ProtocolClient.connect(servers.get(0))) {
            ProtocolClient.Frame answer = resuming.subscribe("news", before);
            assertThat(answer.recovered()).isEqualTo("false");
            assertThat(answer.reason()).isEqualTo("epoch");
            assertThat(answer.position()).isEqualTo(new Position(during.epoch(), 2));
        }

        redis.restart();
        await().atMost(Duration.ofSeconds(20)).until(() -> brokers.stream().allMatch(RedisBroker::healthy));
        Position after = published(1, "\"after\"", null);
        assertThat(after.epoch()).isNotIn(before.epoch(), during.epoch()); // Redis came back empty
        assertThat(after.offset()).isEqualTo(1);
        assertThat(reader.expect("message").position()).isEqualTo(after);
        reader.close();
    }

    private Position published(int server, String json, String key) throws Exception {
        return apps.get(server).rooms().publish("news", Message.text(json), key).get(10, TimeUnit.SECONDS);
    }
}
