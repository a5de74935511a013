package io.echowall.redis;

import io.echowall.Echowall;
import io.echowall.Message;
import io.echowall.Position;
import io.echowall.RoomOptions;
import io.echowall.testing.TestServer;
import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resume through any server: three Echowall servers share one Redis, and an {@code echowall.v1} client
 * that left one server picks up on another exactly where it was, or is told why it cannot, each time it
 * asks.
 */
@Timeout(120)
class ResumeAcrossServersTest {

    /** A room whose history keeps only this many messages, to make gaps larger than it cheap. */
    private static final int SMALL_HISTORY = 10;

    private TestRedis redis;
    private final List<Echowall> apps = new ArrayList<>();
    private final List<TestServer> servers = new ArrayList<>();

    @BeforeEach
    void start() {
        redis = TestRedis.start();
        RedisBrokerOptions options = RoomServers.options(Duration.ofSeconds(2));
        for (int i = 0; i < 3; i++) {
            Echowall app = RoomServers.app(RedisBroker.connect(redis.uri(), options), Duration.ofMillis(300), event -> { });
            app.room("small", RoomOptions.defaults().withHistory(SMALL_HISTORY, Duration.ofMinutes(5)));
            // Holds the whole test: the resume must not depend on how far the concurrent publisher got.
            app.room("feed", RoomOptions.defaults().withHistory(1000, Duration.ofMinutes(5)));
            apps.add(app);
            servers.add(TestServer.start(app));
        }
    }

    @AfterEach
    void stop() {
        servers.forEach(TestServer::close);
        redis.close();
    }

    private Position publish(int server, String room, String data) throws Exception {
        return apps.get(server).rooms().publish(room, Message.text(data), null).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aClientThatMovesToAnotherServerResumesWithNoGapAndNoRepeatWhilePublishesGoOn() throws Exception {
        Position last;
        try (ProtocolClient client = ProtocolClient.connect(servers.get(0))) {
            Position start = client.subscribe("feed").position();
            for (int n = 0; n < 50; n++) {
                publish(2, "feed", "\"m" + n + "\"");
            }
            for (int n = 0; n < 50; n++) {
                ProtocolClient.Frame message = client.expect("message");
                assertThat(message.position()).isEqualTo(new Position(start.epoch(), start.offset() + n + 1));
                assertThat(message.data()).isEqualTo("\"m" + n + "\"");
            }
            last = new Position(start.epoch(), start.offset() + 50);
        }
        for (int n = 50; n < 100; n++) {
            publish(1, "feed", "\"m" + n + "\""); // missed while away
        }
        // Publishes go on while the client resumes on another server: the seam between replay and live.
        CompletableFuture<Void> more = CompletableFuture.runAsync(() -> {
            for (int n = 100; n < 300; n++) {
                apps.get(n % 3).rooms().publish("feed", Message.text("\"m" + n + "\""), null).join();
            }
        });
        try (ProtocolClient client = ProtocolClient.connect(servers.get(1))) {
            ProtocolClient.Frame answer = client.subscribe("feed", last);
            assertThat(answer.recovered()).isEqualTo("true");
            for (int n = 50; n < 300; n++) {
                ProtocolClient.Frame message = client.expect("message");
                assertThat(message.position()).as("message %d", n).isEqualTo(new Position(last.epoch(), last.offset() + n - 49));
                assertThat(message.data()).isEqualTo("\"m" + n + "\"");
            }
            more.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClientThatDroppedBeforeAnyMessageGetsTheFivePublishedSinceOnAnotherServer() throws Exception {
        Position subscribed;
        try (ProtocolClient client = ProtocolClient.connect(servers.get(0))) {
            subscribed = client.subscribe("quiet").position();
        }
        assertThat(subscribed.offset()).isZero();
        for (int n = 1; n <= 5; n++) {
            publish(2, "quiet", "\"q" + n + "\"");
        }
        try (ProtocolClient client = ProtocolClient.connect(servers.get(1))) {
            assertThat(client.subscribe("quiet", subscribed).recovered()).isEqualTo("true");
            for (int n = 1; n <= 5; n++) {
                ProtocolClient.Frame message = client.expect("message");
                assertThat(message.position()).isEqualTo(new Position(subscribed.epoch(), n));
                assertThat(message.data()).isEqualTo("\"q" + n + "\"");
            }
        }
    }

    @Test
    void aGapLargerThanTheHistoryIsToldOnEveryServerEveryTime() throws Exception {
        Position since;
        try (ProtocolClient client = ProtocolClient.connect(servers.get(0))) {
            since = client.subscribe("small").position();
        }
        for (int n = 0; n < SMALL_HISTORY * 3; n++) {
            publish(n % 3, "small", "\"s" + n + "\"");
        }
        for (int attempt = 0; attempt < 6; attempt++) {
            try (ProtocolClient client = ProtocolClient.connect(servers.get(attempt % 3))) {
                ProtocolClient.Frame answer = client.subscribe("small", since);
                assertThat(answer.recovered()).as("attempt %d", attempt).isEqualTo("false");
                assertThat(answer.reason()).as("attempt %d", attempt).isEqualTo("trimmed");
                assertThat(answer.position()).isEqualTo(new Position(since.epoch(), SMALL_HISTORY * 3 + attempt));
                // Told, the client goes on from the room's position: the next message is the next offset.
                publish(attempt % 3, "small", "\"after" + attempt + "\"");
                ProtocolClient.Frame next = client.expect("message");
                assertThat(next.data()).isEqualTo("\"after" + attempt + "\"");
                assertThat(next.position().offset()).isEqualTo(SMALL_HISTORY * 3 + attempt + 1);
            }
        }
    }

    @Test
    void aFlushedRedisIsToldAsALostHistoryOnEveryServerEveryTime() throws Exception {
        Position since;
        try (ProtocolClient client = ProtocolClient.connect(servers.get(0))) {
            client.subscribe("log");
            since = publish(0, "log", "\"before\"");
            assertThat(client.expect("message").position()).isEqualTo(since);
        }
        RedisClient lettuce = RedisClient.create(redis.uri());
        try (var connection = lettuce.connect()) {
            connection.sync().flushall();
        } finally {
            lettuce.shutdown();
        }
        Position after = publish(1, "log", "\"after\"");
        assertThat(after.epoch()).isNotEqualTo(since.epoch());
        for (int attempt = 0; attempt < 6; attempt++) {
            try (ProtocolClient client = ProtocolClient.connect(servers.get(attempt % 3))) {
                ProtocolClient.Frame answer = client.subscribe("log", since);
                assertThat(answer.recovered()).as("attempt %d", attempt).isEqualTo("false");
                assertThat(answer.reason()).as("attempt %d", attempt).isEqualTo("epoch");
                assertThat(answer.position().epoch()).isEqualTo(after.epoch());
            }
        }
    }
}
