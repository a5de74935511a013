package io.echowall.redis;

import io.echowall.Broker;
import io.echowall.Message;
import io.echowall.Position;
import io.echowall.PresenceEvent;
import io.echowall.RoomOptions;
import io.lettuce.core.RedisClient;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Three RedisBrokers on one real Redis, each the broker of its own server (a recording node): what one
 * publishes gets the room's next position and reaches every subscribed server, its own too, in one order;
 * histories page, trim and survive as the room's options say; idempotency keys apply a publication once;
 * presence is counted across servers with one grace period, and each join and leave reaches every server
 * exactly once.
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
            RecordingNode node = new RecordingNode(GRACE, RedisBrokerTest::roomOptions);
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

    /** Rooms named {@code small…} keep 10 messages, {@code brief…} 300 ms of them, {@code none…} none. */
    private static RoomOptions roomOptions(String room) {
        RoomOptions defaults = RoomOptions.defaults();
        if (room.startsWith("small")) {
            return defaults.withHistory(10, Duration.ofMinutes(5));
        } else if (room.startsWith("brief")) {
            return defaults.withHistory(100, Duration.ofMillis(300));
        } else if (room.startsWith("none")) {
            return defaults.withHistory(0, Duration.ofMinutes(5));
        }
        return defaults;
    }

    /**
     * Subscribes {@code server} to {@code room} and waits until its own probe comes back: its
     * subscription is in place in Redis then, so whatever any server publishes later reaches it.
     */
    private void subscribed(int server, String room) {
        brokers.get(server).subscribe(room);
        String probe = RecordingNode.PROBE + UUID.randomUUID();
        publish(server, room, probe);
        await().until(() -> nodes.get(server).deliveries.stream().anyMatch(d -> d.message().text().equals(probe)));
    }

    private CompletableFuture<Position> publish(int server, String room, String text) {
        return brokers.get(server).publish(room, Message.text(text), null, null);
    }

    private static Position position(CompletableFuture<Position> published) throws Exception {
        return published.get(10, TimeUnit.SECONDS);
    }

    @Test
    void everyServerGetsARoomsMessagesInOneOrderWithConsecutivePositionsThePublishersToo() throws Exception {
        subscribed(0, "lobby");
        subscribed(1, "lobby");
        subscribed(2, "lobby");
        List<CompletableFuture<Position>> positions = new ArrayList<>();
        for (int n = 0; n < 500; n++) {
            positions.add(publish(0, "lobby", "a" + n));
            positions.add(publish(1, "lobby", "b" + n));
        }
        for (RecordingNode node : nodes) {
            await().until(() -> node.deliveries("lobby").size() == 1000);
        }
        List<RecordingNode.Delivery> order = nodes.getFirst().deliveries("lobby");
        assertThat(nodes.get(1).deliveries("lobby")).isEqualTo(order);
        assertThat(nodes.get(2).deliveries("lobby")).isEqualTo(order);
        long first = order.getFirst().position().offset();
        for (int i = 0; i < order.size(); i++) {
            assertThat(order.get(i).position()).isEqualTo(new Position(order.getFirst().position().epoch(), first + i));
        }
        // each publisher's messages in the order it published them, at the positions it was told
        assertThat(order.stream().map(d -> d.message().text()).filter(t -> t.startsWith("a")))
                .containsExactlyElementsOf(IntStream.range(0, 500).mapToObj(n -> "a" + n).toList());
        assertThat(order.stream().map(d -> d.message().text()).filter(t -> t.startsWith("b")))
                .containsExactlyElementsOf(IntStream.range(0, 500).mapToObj(n -> "b" + n).toList());
        for (int n = 0; n < 500; n++) {
            String a = "a" + n;
            assertThat(order).contains(new RecordingNode.Delivery("lobby", position(positions.get(2 * n)), Message.text(a), null));
        }
    }

    @Test
    void aPublicationGoesOutInOrderBehindTheSubscriptionItFollows() {
        // no waiting for the subscription: the broker holds the publications until it is in place
        brokers.get(0).subscribe("hall");
        List<String> sent = IntStream.range(0, 100).mapToObj(n -> "m" + n).toList();
        sent.forEach(text -> publish(0, "hall", text));
        await().until(() -> nodes.getFirst().texts("hall").size() == 100);
        assertThat(nodes.getFirst().texts("hall")).isEqualTo(sent);
    }

    @Test
    void onlySubscribedServersGetARoomsMessages() {
        subscribed(1, "news");
        subscribed(2, "sport");
        brokers.get(2).unsubscribe("sport");
        publish(0, "news", "headline");
        publish(0, "sport", "score");
        await().until(() -> nodes.get(1).texts("news").equals(List.of("headline")));
        // Server 2's unsubscription travels on its own connection and may land after "score": what
        // matters is that it lands. Once node 1 has a later marker, Redis has sent 2 whatever it would.
        await().until(() -> {
            int before = nodes.get(2).deliveries.size();
            String marker = RecordingNode.PROBE + UUID.randomUUID();
            publish(0, "sport", marker);
            publish(0, "news", marker);
            await().until(() -> nodes.get(1).deliveries.stream().anyMatch(d -> d.message().text().equals(marker)));
            return nodes.get(2).deliveries.size() == before;
        });
        publish(0, "sport", "late score");
        publish(0, "news", "second headline");
        await().until(() -> nodes.get(1).texts("news").size() == 2);
        assertThat(nodes.get(2).texts("news")).isEmpty();
        assertThat(nodes.get(2).texts("sport")).doesNotContain("late score");
        assertThat(nodes.get(1).texts("sport")).isEmpty();
    }

    @Test
    void aMessageKeepsItsTypeBytesAndTagOnTheWireAndInTheHistory() {
        subscribed(1, "bytes");
        byte[] payload = {0, 1, 2, (byte) 0xFF, '\r', '\n', ' ', '-'};
        brokers.get(0).publish("bytes", Message.binary(payload), "server-0/1", null);
        brokers.get(0).publish("bytes", Message.text("ünïcødé ✓"), "täg 2:-", null);
        brokers.get(0).publish("bytes", Message.text(""), null, null);
        await().until(() -> nodes.get(1).messages("bytes").size() == 3);
        assertThat(nodes.get(1).deliveries("bytes")).extracting(RecordingNode.Delivery::message, RecordingNode.Delivery::tag)
                .containsExactly(tuple(Message.binary(payload), "server-0/1"), tuple(Message.text("ünïcødé ✓"), "täg 2:-"),
                        tuple(Message.text(""), null));
        Broker.Page page = brokers.get(2).history("bytes", 1, 10); // after the probe
        assertThat(page.messages()).extracting(Broker.Entry::message)
                .containsExactly(Message.binary(payload), Message.text("ünïcødé ✓"), Message.text(""));
    }

    @Test
    void aHistoryIsPagedByOffsetAndKeepsTheRoomsLatestMessages() throws Exception {
        Broker.Page empty = brokers.get(0).history("small", Long.MAX_VALUE, 0);
        assertThat(empty.latest()).isZero();
        assertThat(empty.oldest()).isEqualTo(1);
        assertThat(empty.messages()).isEmpty();
        for (int n = 1; n <= 25; n++) {
            // the epoch a reader saw before the first message is the one the messages count in
            assertThat(position(publish(n % 3, "small", "m" + n))).isEqualTo(new Position(empty.epoch(), n));
        }
        List<String> read = new ArrayList<>();
        long after = 0;
        for (Broker.Page page = brokers.get(1).history("small", after, 4); !page.messages().isEmpty();
             page = brokers.get(1).history("small", after, 4)) {
            assertThat(page.epoch()).isEqualTo(empty.epoch());
            assertThat(page.oldest()).isEqualTo(16);
            assertThat(page.latest()).isEqualTo(25);
            assertThat(page.messages().size()).isLessThanOrEqualTo(4);
            for (Broker.Entry entry : page.messages()) {
                assertThat(entry.offset()).isEqualTo(Math.max(after, 15) + 1);
                read.add(entry.message().text());
                after = entry.offset();
            }
        }
        assertThat(read).isEqualTo(IntStream.rangeClosed(16, 25).mapToObj(n -> "m" + n).toList());
        Broker.Page head = brokers.get(2).history("small", Long.MAX_VALUE, 0);
        assertThat(head).isEqualTo(new Broker.Page(empty.epoch(), 16, 25, List.of()));
    }

    @Test
    void messagesOlderThanTheRoomsHistoryAgeAreDroppedButTheRoomKeepsItsPosition() throws Exception {
        Position first = position(publish(0, "brief", "one"));
        publish(1, "brief", "two");
        publish(2, "brief", "three");
        await().atMost(Duration.ofSeconds(10)).until(() -> brokers.get(0).history("brief", 0, 10).messages().isEmpty());
        assertThat(brokers.get(1).history("brief", 0, 10)).isEqualTo(new Broker.Page(first.epoch(), 4, 3, List.of()));
        assertThat(position(publish(1, "brief", "four"))).isEqualTo(new Position(first.epoch(), 4));
        assertThat(brokers.get(2).history("brief", 0, 10).messages()).extracting(Broker.Entry::offset).containsExactly(4L);
    }

    @Test
    void aRoomWithoutHistoryStillCountsItsMessages() throws Exception {
        subscribed(0, "none");
        Position one = position(publish(1, "none", "one"));
        Position two = position(publish(2, "none", "two"));
        assertThat(two).isEqualTo(new Position(one.epoch(), one.offset() + 1));
        await().until(() -> nodes.getFirst().texts("none").equals(List.of("one", "two")));
        assertThat(brokers.getFirst().history("none", 0, 10)).isEqualTo(new Broker.Page(one.epoch(), two.offset() + 1, two.offset(), List.of()));
    }

    @Test
    void aRepeatedIdempotencyKeyIsAppliedOnceAndAnsweredWithItsFirstPosition() throws Exception {
        subscribed(0, "orders");
        subscribed(1, "orders");
        Position first = position(brokers.get(0).publish("orders", Message.text("pay"), null, "ada\u0000k1"));
        Position again = position(brokers.get(1).publish("orders", Message.text("pay again"), null, "ada\u0000k1"));
        Position other = position(brokers.get(1).publish("orders", Message.text("other key"), null, "bob\u0000k1"));
        assertThat(again).isEqualTo(first);
        assertThat(other).isEqualTo(new Position(first.epoch(), first.offset() + 1));
        publish(2, "orders", "end");
        for (int server = 0; server < 2; server++) {
            RecordingNode node = nodes.get(server);
            await().until(() -> node.texts("orders").contains("end"));
            assertThat(node.texts("orders")).containsExactly("pay", "other key", "end");
        }
    }

    @Test
    void aFlushedRedisStartsTheRoomsOverInANewEpoch() throws Exception {
        subscribed(1, "lobby");
        Position before = position(publish(0, "lobby", "before"));
        RedisClient client = RedisClient.create(redis.uri());
        try (var connection = client.connect()) {
            connection.sync().flushall();
        } finally {
            client.shutdown();
        }
        Position after = position(publish(0, "lobby", "after"));
        assertThat(after.epoch()).isNotEqualTo(before.epoch());
        assertThat(after.offset()).isEqualTo(1);
        await().until(() -> nodes.get(1).texts("lobby").equals(List.of("before", "after")));
        assertThat(nodes.get(1).deliveries("lobby").getLast().position()).isEqualTo(after);
        assertThat(brokers.get(2).history("lobby", 0, 10)).isEqualTo(new Broker.Page(after.epoch(), 1, 1,
                List.of(new Broker.Entry(1, Message.text("after")))));
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

        brokers.get(0).left("lobby", "ada", GRACE);
        brokers.get(0).left("lobby", "ada", GRACE);
        brokers.get(1).left("lobby", "ada", GRACE);
        brokers.get(2).left("lobby", "bob", GRACE);
        brokers.get(1).left("lobby", "cy", GRACE);
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
        brokers.get(0).left("lobby", "ada", GRACE);
        brokers.get(1).joined("lobby", "ada");
        await().during(GRACE.multipliedBy(3)).atMost(Duration.ofSeconds(5)).until(() ->
                nodes.stream().allMatch(n -> n.presence.equals(List.of(new PresenceEvent("lobby", "ada", true)))));
        brokers.get(1).left("lobby", "ada", GRACE);
        for (RecordingNode node : nodes) {
            await().until(() -> node.presence.equals(List.of(new PresenceEvent("lobby", "ada", true),
                    new PresenceEvent("lobby", "ada", false))));
        }
    }

    @Test
    void eachLeaveKeepsTheGracePeriodItWasGiven() {
        brokers.get(0).joined("lobby", "7@a");
        brokers.get(1).joined("lobby", "ada");
        await().until(() -> nodes.stream().allMatch(n -> n.presence.size() == 2));
        brokers.get(1).left("lobby", "ada", Duration.ofMinutes(1));
        brokers.get(0).left("lobby", "7@a", Duration.ZERO);
        for (RecordingNode node : nodes) {
            await().until(() -> node.presence.size() == 3);
            assertThat(node.presence.getLast()).isEqualTo(new PresenceEvent("lobby", "7@a", false));
        }
        // ada is in her grace period, far longer than this test: she stays present, 7@a left once
        await().during(GRACE.multipliedBy(3)).atMost(Duration.ofSeconds(5)).until(() ->
                nodes.stream().allMatch(n -> n.presence.size() == 3));
        assertThat(brokers.get(2).users("lobby", null, 10)).containsExactly("ada");
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
