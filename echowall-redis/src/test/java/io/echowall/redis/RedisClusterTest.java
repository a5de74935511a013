package io.echowall.redis;

import io.echowall.Broker;
import io.echowall.Message;
import io.echowall.Position;
import io.echowall.PresenceEvent;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * RedisBrokers on a real Redis Cluster of three masters, made by the test: rooms spread over the shards
 * with sharded pub/sub, published from a script in the room's slot with positions and history, and
 * presence works as on a single Redis. Sharded pub/sub needs Redis 7, which the
 * embedded artifact lacks (it ships 6.2): this test runs on a system {@code redis-server} 7+, which CI
 * installs, and is skipped elsewhere unless {@code ECHOWALL_REQUIRE_REDIS_CLUSTER} is set.
 */
@Timeout(120)
class RedisClusterTest {

    private static final Duration GRACE = Duration.ofMillis(300);
    private static final List<TestRedis> nodes = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        File binary = TestRedis.system();
        boolean usable = binary != null && TestRedis.majorVersion(binary) >= 7;
        if (System.getenv("ECHOWALL_REQUIRE_REDIS_CLUSTER") != null) {
            assertThat(usable).as("a redis-server 7+ on the PATH").isTrue();
        }
        assumeThat(usable).as("a redis-server 7+ on the PATH").isTrue();
        for (int i = 0; i < 3; i++) {
            nodes.add(TestRedis.start(binary, TestRedis.freePort(),
                    List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf")));
        }
        // Slots split in three, then every node meets the first: what redis-cli --cluster create does.
        RedisClient client = RedisClient.create();
        try {
            for (int i = 0; i < 3; i++) {
                try (StatefulRedisConnection<String, String> c = client.connect(io.lettuce.core.RedisURI.create(nodes.get(i).uri()))) {
                    c.sync().clusterAddSlotsRange(Range.create(i * 5462, Math.min(16383, i * 5462 + 5461)));
                    if (i > 0) {
                        c.sync().clusterMeet("127.0.0.1", nodes.getFirst().port());
                    }
                }
            }
            for (TestRedis node : nodes) {
                try (StatefulRedisConnection<String, String> c = client.connect(io.lettuce.core.RedisURI.create(node.uri()))) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> c.sync().clusterInfo().contains("cluster_state:ok")
                            && c.sync().clusterNodes().lines().count() == 3);
                }
            }
        } finally {
            client.shutdown();
        }
    }

    @AfterAll
    static void stopCluster() {
        nodes.forEach(TestRedis::close);
    }

    @Test
    void roomsOnEveryShardCarryMessagesInOrderAndPresenceOnce() throws Exception {
        RedisBrokerOptions options = RedisBrokerOptions.defaults().withKeyPrefix("t" + UUID.randomUUID() + ":")
                .withLeaseTime(Duration.ofSeconds(2));
        List<String> seeds = nodes.stream().map(TestRedis::uri).toList();
        List<RedisBroker> brokers = new ArrayList<>();
        List<RecordingNode> servers = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                RecordingNode node = new RecordingNode(GRACE);
                RedisBroker broker = RedisBroker.connectCluster(seeds, options);
                broker.open(node);
                brokers.add(broker);
                servers.add(node);
            }
            // Enough rooms that they land on every shard.
            List<String> rooms = IntStream.range(0, 12).mapToObj(n -> "room" + n).toList();
            for (String room : rooms) {
                brokers.get(1).subscribe(room);
                String probe = RecordingNode.PROBE + UUID.randomUUID();
                await().untilAsserted(() -> {
                    brokers.getFirst().publish(room, Message.text(probe), null, null);
                    assertThat(servers.get(1).deliveries).anyMatch(d -> d.room().equals(room) && d.message().text().equals(probe));
                });
            }
            for (int n = 0; n < 100; n++) {
                for (String room : rooms) {
                    brokers.getFirst().publish(room, Message.text(room + ":" + n), null, null);
                }
            }
            for (String room : rooms) {
                List<String> expected = IntStream.range(0, 100).mapToObj(n -> room + ":" + n).toList();
                await().until(() -> servers.get(1).texts(room).size() >= 100);
                assertThat(servers.get(1).texts(room)).isEqualTo(expected);
                // positions, history and idempotency keys live in the room's slot too
                List<RecordingNode.Delivery> got = servers.get(1).deliveries(room);
                Position last = got.getLast().position();
                for (int n = 0; n < got.size(); n++) {
                    assertThat(got.get(n).position()).isEqualTo(new Position(last.epoch(), last.offset() - got.size() + 1 + n));
                }
                Broker.Page page = brokers.getFirst().history(room, last.offset() - 100, 100);
                assertThat(page.messages()).extracting(e -> e.message().text()).isEqualTo(expected);
                Position keyed = brokers.getFirst().publish(room, Message.text("once"), null, "k").get(10, TimeUnit.SECONDS);
                assertThat(brokers.get(1).publish(room, Message.text("twice"), null, "k").get(10, TimeUnit.SECONDS)).isEqualTo(keyed);
            }
            assertThat(servers.getFirst().deliveries).isEmpty();

            brokers.get(0).joined("room1", "ada");
            brokers.get(1).joined("room1", "ada");
            brokers.get(1).joined("room7", "bob");
            for (RecordingNode server : servers) {
                await().until(() -> server.presence.size() == 2);
            }
            assertThat(brokers.get(0).users("room1", null, 10)).containsExactly("ada");
            assertThat(brokers.get(1).users("room7")).isEqualTo(1);
            brokers.get(0).left("room1", "ada", GRACE);
            brokers.get(1).left("room1", "ada", GRACE);
            brokers.get(1).left("room7", "bob", GRACE);
            for (RecordingNode server : servers) {
                await().until(() -> server.presence.size() == 4);
                assertThat(server.presence).containsExactlyInAnyOrder(new PresenceEvent("room1", "ada", true),
                        new PresenceEvent("room7", "bob", true), new PresenceEvent("room1", "ada", false),
                        new PresenceEvent("room7", "bob", false));
            }
        } finally {
            brokers.forEach(RedisBroker::close);
        }
    }
}
