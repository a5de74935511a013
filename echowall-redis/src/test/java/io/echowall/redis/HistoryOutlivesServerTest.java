package io.echowall.redis;

import io.echowall.Echowall;
import io.echowall.Message;
import io.echowall.Position;
import io.echowall.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A room's history lives in Redis, not in a server: an Echowall server started after the one that
 * published, which has stopped since, replays what its client missed, and answers a repeated
 * idempotency key with the position the first server gave it.
 */
@Timeout(120)
class HistoryOutlivesServerTest {

    private TestRedis redis;
    private RedisBrokerOptions options;
    private final List<TestServer> servers = new ArrayList<>();

    @BeforeEach
    void start() {
        redis = TestRedis.start();
        options = RoomServers.options(Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() {
        servers.forEach(TestServer::close);
        redis.close();
    }

    private Echowall server() {
        Echowall app = RoomServers.app(RedisBroker.connect(redis.uri(), options), Duration.ofMillis(300), event -> { });
        servers.add(TestServer.start(app));
        return app;
    }

    @Test
    void aServerStartedLaterReplaysWhatAnotherPublished() throws Exception {
        Echowall first = server();
        List<Position> positions = new ArrayList<>();
        for (int n = 1; n <= 5; n++) {
            positions.add(first.rooms().publish("log", Message.text("\"m" + n + "\""), "key" + n).get(10, TimeUnit.SECONDS));
        }
        String epoch = positions.getFirst().epoch();
        assertThat(positions).extracting(Position::offset).containsExactly(1L, 2L, 3L, 4L, 5L);
        servers.getFirst().close();

        Echowall second = server();
        try (ProtocolClient client = ProtocolClient.connect(servers.getLast())) {
            ProtocolClient.Frame answer = client.subscribe("log", new Position(epoch, 2));
            assertThat(answer.recovered()).isEqualTo("true");
            for (int n = 3; n <= 5; n++) {
                ProtocolClient.Frame message = client.expect("message");
                assertThat(message.position()).isEqualTo(new Position(epoch, n));
                assertThat(message.data()).isEqualTo("\"m" + n + "\"");
            }
            assertThat(second.rooms().publish("log", Message.text("\"again\""), "key1").get(10, TimeUnit.SECONDS))
                    .isEqualTo(positions.getFirst());
            client.publish("log", "c1", "\"six\"");
            ProtocolClient.Frame six = client.expect("message");
            assertThat(six.position()).isEqualTo(new Position(epoch, 6));
            assertThat(six.data()).isEqualTo("\"six\"");
        }
    }
}
