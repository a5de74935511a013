package io.echowall.redis;

import io.echowall.Echowall;
import io.echowall.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server on a real Redis, with the health and metrics pages: readiness goes down (503) while Redis is
 * stopped and comes back up by itself when Redis is back, liveness stays up all along, and the broker
 * meters say the same.
 */
@Timeout(120)
class ReadinessTest {

    private static final String READY = "{\"status\":\"UP\",\"server\":\"UP\",\"broker\":\"UP\"}";
    private static final String BROKER_DOWN = "{\"status\":\"DOWN\",\"server\":\"UP\",\"broker\":\"DOWN\"}";
    private static final Pattern BROKER_UP = Pattern.compile("(?m)^echowall_broker_up (\\S+)$");
    private static final Pattern OUTAGES = Pattern.compile("(?m)^echowall_broker_outages_total (\\S+)$");

    private TestRedis redis;
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void readinessIsDownWhileRedisIsStoppedAndLivenessStaysUp() {
        redis = TestRedis.start();
        RedisBroker broker = RedisBroker.connect(redis.uri(), RoomServers.options(Duration.ofSeconds(2)));
        Echowall app = RoomServers.app(broker, Duration.ofMillis(300), event -> { })
                .health("/health").metrics("/metrics");
        server = TestServer.start(app);

        assertThat(status("/health/ready")).isEqualTo("200 " + READY);
        assertThat(meter(BROKER_UP)).isEqualTo(1);

        redis.kill();
        await().atMost(Duration.ofSeconds(30)).until(() -> status("/health/ready").equals("503 " + BROKER_DOWN));
        assertThat(status("/health/live")).as("Redis down is no reason to restart this server")
                .isEqualTo("200 {\"status\":\"UP\"}");
        assertThat(meter(BROKER_UP)).isZero();
        assertThat(meter(OUTAGES)).isEqualTo(1);

        redis.restart();
        await().atMost(Duration.ofSeconds(30)).until(() -> status("/health/ready").equals("200 " + READY));
        assertThat(meter(BROKER_UP)).isEqualTo(1);
        assertThat(meter(OUTAGES)).isEqualTo(1);
    }

    /** The status code and body of a GET of {@code path}. */
    private String status(String path) {
        HttpResponse<String> response = server.get(path);
        return response.statusCode() + " " + response.body();
    }

    /** The value of the one unlabelled series {@code sample} finds on the metrics page. */
    private double meter(Pattern sample) {
        HttpResponse<String> page = server.get("/metrics");
        assertThat(page.statusCode()).isEqualTo(200);
        Matcher m = sample.matcher(page.body());
        assertThat(m.find()).as("%s on the metrics page", sample).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
