package io.echowall.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.echowall.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live feed through the test kit's clients: every page gets the same updates, in order, with
 * live counts across the app, and the task that publishes them runs only while a page is open, so
 * that stopping the app leaves no thread behind.
 */
@Timeout(60)
class LiveFeedTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyPageGetsTheSameUpdatesInOrder() throws Exception {
        try (var server = new DemoServer(EchoWall.Style.BLOCKING);
             TestClient first = server.server.connect("/live/socket");
             TestClient second = server.server.connect("/live/socket");
             TestClient chatter = server.server.connect("/chat/socket")) {
            chatter.send("{\"type\":\"nick\",\"nick\":\"ada\"}");
            chatter.send("{\"type\":\"join\",\"room\":\"lobby\"}");

            List<JsonNode> updates = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                updates.add(JSON.readTree(first.nextMessage().text()));
            }
            JsonNode last = updates.getLast();
            for (int i = 1; i < updates.size(); i++) {
                JsonNode previous = updates.get(i - 1);
                JsonNode update = updates.get(i);
                assertThat(update.path("server").asText()).isEqualTo(previous.path("server").asText()).isNotBlank();
                assertThat(update.path("tick").asLong()).isEqualTo(previous.path("tick").asLong() + 1);
                // Order, not pace: how far apart they come depends on the machine's load.
                assertThat(time(update)).isAfter(time(previous));
            }
            assertThat(last.path("pages").asLong()).as("live pages open").isEqualTo(2);
            assertThat(last.path("chatters").asLong()).as("users in the chat's lobby").isEqualTo(1);
            assertThat(last.path("heapMiB").asLong()).isPositive();

            // The second page got the very same updates: one publication per second, to the whole room.
            JsonNode seen;
            do {
                seen = JSON.readTree(second.nextMessage().text());
            } while (seen.path("tick").asLong() < last.path("tick").asLong());
            assertThat(seen).isEqualTo(last);
        }
    }

    @Test
    void theTaskRunsWhilePagesAreOpenAndEndsWithTheApp() {
        var server = new DemoServer(EchoWall.Style.BLOCKING);
        try {
            assertThat(feedRunning()).as("a feed with no page").isFalse();
            TestClient page = server.server.connect("/live/socket");
            page.nextMessage();
            assertThat(feedRunning()).isTrue();
            page.close();
            await("the feed to stop with its last page").until(() -> !feedRunning());

            server.server.connect("/live/socket").nextMessage();
            assertThat(feedRunning()).as("the feed starts again with the next page").isTrue();
        } finally {
            server.close();
        }
        await("the feed to stop with the app").until(() -> !feedRunning());
    }

    private static Instant time(JsonNode update) {
        return Instant.parse(update.path("time").asText());
    }

    /** Whether the feed's thread is alive, in any app of this JVM. */
    static boolean feedRunning() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(LiveFeed.THREAD));
    }
}
