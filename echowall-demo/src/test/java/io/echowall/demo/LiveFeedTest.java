package io.echowall.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.echowall.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live feed through the test kit's clients, speaking {@code echowall.v1} as the page's echowall.js
 * does: every page gets the same updates, in order, with live counts across the app; a page may
 * subscribe to the live room only, and publish nothing; and the task that publishes the updates runs
 * only while a page is open, so that stopping the app leaves no thread behind.
 */
@Timeout(60)
class LiveFeedTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyPageGetsTheSameUpdatesInOrder() throws Exception {
        try (var server = new DemoServer(EchoWall.Style.BLOCKING);
             TestClient first = page(server);
             TestClient second = page(server);
             ChatPage chatter = new ChatPage(server.server, "ada")) {
            chatter.join("lobby");

            List<JsonNode> updates = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                updates.add(nextUpdate(first));
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
                seen = nextUpdate(second);
            } while (seen.path("tick").asLong() < last.path("tick").asLong());
            assertThat(seen).isEqualTo(last);
        }
    }

    @Test
    void theTaskRunsWhilePagesAreOpenAndEndsWithTheApp() throws Exception {
        var server = new DemoServer(EchoWall.Style.BLOCKING);
        try {
            assertThat(feedRunning()).as("a feed with no page").isFalse();
            TestClient page = page(server);
            nextUpdate(page);
            assertThat(feedRunning()).isTrue();
            page.close();
            await("the feed to stop with its last page").until(() -> !feedRunning());

            nextUpdate(page(server));
            assertThat(feedRunning()).as("the feed starts again with the next page").isTrue();
        } finally {
            server.close();
        }
        await("the feed to stop with the app").until(() -> !feedRunning());
    }

    @Test
    void aPageMaySubscribeToTheLiveRoomOnlyAndPublishNothing() throws Exception {
        try (var server = new DemoServer(EchoWall.Style.BLOCKING);
             TestClient page = server.server.connect("/live/socket", Map.of(), "echowall.v1")) {
            assertThat(next(page).path("type").asText()).isEqualTo("welcome");
            page.send("{\"type\":\"subscribe\",\"room\":\"chat:lobby\"}");
            assertThat(next(page).path("code").asText()).as("subscribing to another room").isEqualTo("forbidden");
            page.send("{\"type\":\"publish\",\"room\":\"live\",\"id\":\"x:1\",\"data\":{\"tick\":-1}}");
            assertThat(next(page).path("code").asText()).as("publishing to the live room").isEqualTo("forbidden");
        }
    }

    /** A page's connection: the {@code echowall.v1} endpoint, subscribed to the live room. */
    private static TestClient page(DemoServer server) throws Exception {
        TestClient page = server.server.connect("/live/socket", Map.of(), "echowall.v1");
        assertThat(next(page).path("type").asText()).isEqualTo("welcome");
        page.send("{\"type\":\"subscribe\",\"room\":\"live\"}");
        JsonNode subscribed = next(page);
        assertThat(subscribed.path("type").asText()).as("%s", subscribed).isEqualTo("subscribed");
        return page;
    }

    /** The next update the page gets: the data of the next room message, past presence events. */
    private static JsonNode nextUpdate(TestClient page) throws Exception {
        JsonNode message;
        do {
            message = next(page);
        } while (message.path("type").asText().equals("presence"));
        assertThat(message.path("type").asText()).as("%s", message).isEqualTo("message");
        assertThat(message.path("room").asText()).isEqualTo(LiveFeed.ROOM);
        return message.path("data");
    }

    private static JsonNode next(TestClient client) throws Exception {
        return JSON.readTree(client.nextMessage().text());
    }

    private static Instant time(JsonNode update) {
        return Instant.parse(update.path("time").asText());
    }

    /** Whether the feed's thread is alive, in any app of this JVM. */
    static boolean feedRunning() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(LiveFeed.THREAD));
    }
}
