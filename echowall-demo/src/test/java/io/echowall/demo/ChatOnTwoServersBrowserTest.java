package io.echowall.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static io.echowall.demo.ChatTabs.enter;
import static io.echowall.demo.ChatTabs.members;
import static io.echowall.demo.ChatTabs.notes;
import static io.echowall.demo.ChatTabs.said;
import static io.echowall.demo.ChatTabs.say;
import static io.echowall.demo.ChatTabs.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat page in a real browser on two Echowall servers, each on a port of its own, that share one
 * real Redis (a redis-server from the embedded-redis artifact) through {@code RedisBroker}: a Chromium
 * tab on each server, and the two chat with each other, list each other as online, and see each other
 * leave, exactly as on one server.
 *
 * <p>Needs Debian's Chromium at {@code /usr/bin/chromium}: without it the test is skipped, unless
 * {@code ECHOWALL_REQUIRE_BROWSER=1} makes that a failure.
 */
@Timeout(120)
class ChatOnTwoServersBrowserTest {

    private static final Duration GRACE = Duration.ofMillis(500);

    @RegisterExtension
    static final Browser browser = new Browser();

    @Test
    void twoTabsOnTwoServersChatThroughRedis() {
        try (var redis = TestRedis.start();
             var one = ChatOnTwoServersTest.onRedis(redis, GRACE);
             var two = ChatOnTwoServersTest.onRedis(redis, GRACE);
             var ada = browser.newPage()) {
            assertThat(one.page("/chat").getPort()).as("the two servers' ports").isNotEqualTo(two.page("/chat").getPort());
            var bob = browser.newPage(); // closed by the test itself
            enter(ada, one.page("/chat"), "ada");
            enter(bob, two.page("/chat"), "bob");
            // The member list and the arrival come from the other server, through Redis.
            ada.await("bob in ada's member list", () -> members(ada).equals(List.of("ada (you)", "bob")));
            bob.await("ada in bob's member list", () -> members(bob).equals(List.of("ada", "bob (you)")));
            assertThat(notes(ada)).as("told once").containsExactly("bob joined");

            say(ada, "hello from server one");
            bob.await("ada's message on bob's page", () -> said(bob).equals(List.of("ada: hello from server one")));
            say(bob, "hello from server two ✓");
            List<String> lobby = List.of("ada: hello from server one", "bob: hello from server two ✓");
            ada.await("bob's answer on ada's page", () -> said(ada).equals(lobby));
            bob.await("bob's own message, back from the room", () -> said(bob).equals(lobby));

            bob.close();
            ada.await("bob gone from ada's member list", () -> members(ada).equals(List.of("ada (you)")));
            assertThat(notes(ada)).containsExactly("bob joined", "bob left");
            assertThat(text(ada, "#online")).isEqualTo("1");
        }
    }
}
