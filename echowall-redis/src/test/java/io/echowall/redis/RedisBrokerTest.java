package io.echowall.redis;

import io.echowall.Message;
import io.echowall.PresenceEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three RedisBrokers on one real Redis, each the broker of its own server (a recording node): what one
 * publishes reaches the others in order and never comes back, presence is counted across them with one
 * grace period, and each join and leave reaches every server exactly once.
 */
@Timeout(120)
class RedisBrokerTest {

    private static final Duration GRACE = Duration.ofMillis(400);
    private static TestRedis redis;

    private final List<RedisBroker> brokers = new ArrayList<>();
    private final List<RecordingNode> nodes = new ArrayList<>();
    private RedisBrokerOptions options;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void startServers() {
        // A prefix per test: what one test left in Redis is invisible to the next.
        options = RedisBrokerOptions.defaults().withKeyPrefix("t" + UUID.randomUUID() + ":")
                .withLeaseTime(Duration.ofSeconds(2));
        for (int i = 0; i < 3; i++) {
            RecordingNode node = new RecordingNode(GRACE);
            RedisBroker broker = RedisBroker.connect(redis.uri(), options);
            broker.open(node);
            nodes.add(node);
            brokers.add(broker);
        }
    }

    @AfterEach
    void stopServers() {
        brokers.forEach(RedisBroker::close);
    }

    /** Subscribes {@code broker} to {@code room} and waits until a publication from elsewhere arrives. */
    private void subscribed(int server, String room) {
        brokers.get(server).subscribe(room);
        int other = (server + 1) % brokers.size();
        String probe = RecordingNode.PROBE + UUID.randomUUID();
        await().untilAsserted(() -> {
            brokers.get(other).publish(room, Message.text(probe));
            assertThat(nodes.get(server).deliveries).anyMatch(d -> d.message().text().equals(probe));
        });
    }

    @Test
    void aPublicationReachesTheOtherServersInOrderAndNeverItsOwn() {
        subscribed(0, "lobby");
        subscribed(1, "lobby");
        subscribed(2, "lobby");
        List<String> sent = IntStream.range(0, 1000).mapToObj(n -> "m" + n).toList();
        sent.forEach(text -> brokers.get(0).publish("lobby", Message.text(text)));
        await().until(() -> nodes.get(1).texts("lobby").size() == 1000 && nodes.get(2).texts("lobby").size() == 1000);
        assertThat(nodes.get(1).texts("lobby")).isEqualTo(sent);
        assertThat(nodes.get(2).texts("lobby")).isEqualTo(sent);
        assertThat(nodes.get(0).texts("lobby")).isEmpty();
    }

    @Test
    void onlySubscribedServersGetARoomsMessages() {
        subscribed(1, "news");
        subscribed(2, "sport");
        brokers.get(2).unsubscribe("sport");
        brokers.get(0).publish("news", Message.text("headline"));
        brokers.get(0).publish("sport", Message.text("score"));
        await().until(() -> nodes.get(1).texts("news").equals(List.of("headline")));
        // Server 2's unsubscription travels on its own connection and may land after "score": what
        // matters is that it lands. Once node 1 has a later marker, Redis has sent 2 whatever it would.
        await().until(() -> {
            int before = nodes.get(2).deliveries.size();
            String marker = RecordingNode.PROBE + UUID.randomUUID();
            brokers.get(0).publish("sport", Message.text(marker));
            brokers.get(0).publish("news", Message.text(marker));
            await().until(() -> nodes.get(1).deliveries.stream().anyMatch(d -> d.message().text().equals(marker)));
            return nodes.get(2).deliveries.size() == before;
        });
        brokers.get(0).publish("sport", Message.text("late score"));
        brokers.get(0).publish("news", Message.text("second headline"));
        await().until(() -> nodes.get(1).texts("news").size() == 2);
        assertThat(nodes.get(2).texts("news")).isEmpty();
        assertThat(nodes.get(2).texts("sport")).doesNotContain("late score");
        assertThat(nodes.get(1).texts("sport")).isEmpty();
    }

    @Test
    void aMessageKeepsItsTypeAndBytes() {
        subscribed(1, "bytes");
        byte[] payload = {0, 1, 2, (byte) 0xFF, '\r', '\n'};
        brokers.get(0).publish("bytes", Message.binary(payload));
        brokers.get(0).publish("bytes", Message.text("ünïcødé ✓"));
        await().until(() -> nodes.get(1).messages("bytes").size() == 2);
        assertThat(nodes.get(1).messages("bytes")).containsExactly(Message.binary(payload), Message.text("ünïcødé ✓"));
    }

    @Test
    void presenceIsCountedPerUserAcrossServersAndEachChangeReachesEveryServerOnce() {
        brokers.get(0).joined("lobby", "ada");
        brokers.get(0).joined("lobby", "ada");
        brokers.get(1).joined("lobby", "ada");
        brokers.get(2).joined("lobby", "bob");
        brokers.get(1).joined("lobby", "cy");
        List<PresenceEvent> joins = List.of(new PresenceEvent("lobby", "ada", true),
                new PresenceEvent("lobby", "bob", true), new PresenceEvent("lobby", "cy", true));
        for (RecordingNode node : nodes) {
            await().until(() -> node.presence.size() >= 3);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(brokers.get(i).users("lobby")).isEqualTo(3);
            assertThat(brokers.get(i).users("lobby", null, 10)).containsExactly("ada", "bob", "cy");
            assertThat(brokers.get(i).users("lobby", "ada", 1)).containsExactly("bob");
        }

        brokers.get(0).left("lobby", "ada");
        brokers.get(0).left("lobby", "ada");
        brokers.get(1).left("lobby", "ada");
        brokers.get(2).left("lobby", "bob");
        brokers.get(1).left("lobby", "cy");
        List<PresenceEvent> leaves = List.of(new PresenceEvent("lobby", "ada", false),
                new PresenceEvent("lobby", "bob", false), new PresenceEvent("lobby", "cy", false));
        for (RecordingNode node : nodes) {
            await().until(() -> node.presence.size() >= 6);
            assertThat(node.presence.subList(0, 3)).containsExactlyInAnyOrderElementsOf(joins);
            assertThat(node.presence.subList(3, 6)).containsExactlyInAnyOrderElementsOf(leaves);
        }
        // nothing more comes: each change was announced once
        await().during(GRACE.multipliedBy(2)).atMost(Duration.ofSeconds(5)).until(() ->
                nodes.stream().allMatch(n -> n.presence.size() == 6));
        for (RedisBroker broker : brokers) {
            assertThat(broker.users("lobby")).isZero();
        }
    }

    @Test
    void aUserWhoMovesToAnotherServerWithinTheGracePeriodNeverLeaves() {
        brokers.get(0).joined("lobby", "ada");
        await().until(() -> nodes.stream().allMatch(n -> n.presence.size() == 1));
        brokers.get(0).left("lobby", "ada");
        brokers.get(1).joined("lobby", "ada");
        await().during(GRACE.multipliedBy(3)).atMost(Duration.ofSeconds(5)).until(() ->
                nodes.stream().allMatch(n -> n.presence.equals(List.of(new PresenceEvent("lobby", "ada", true)))));
        brokers.get(1).left("lobby", "ada");
        for (RecordingNode node : nodes) {
            await().until(() -> node.presence.equals(List.of(new PresenceEvent("lobby", "ada", true),
                    new PresenceEvent("lobby", "ada", false))));
        }
    }

    @Test
    void usersArePagedInOrder() {
        List<String> users = IntStream.range(0, 25).mapToObj(n -> String.format("user%02d", n)).toList();
        for (int n = 0; n < users.size(); n++) {
            brokers.get(n % 3).joined("big", users.get(n));
        }
        await().until(() -> brokers.get(0).users("big") == 25);
        List<String> pages = new ArrayList<>();
        String after = null;
        for (List<String> page = brokers.get(2).users("big", null, 10); !page.isEmpty();
             page = brokers.get(2).users("big", after, 10)) {
            assertThat(page.size()).isLessThanOrEqualTo(10);
            pages.addAll(page);
            after = page.getLast();
        }
        assertThat(pages).isEqualTo(users);
    }

    @Test
    void theBrokerIsHealthyWhileRedisIsThere() {
        assertThat(brokers).allMatch(RedisBroker::healthy);
        assertThat(nodes).allMatch(n -> n.health.isEmpty());
    }
}
