package io.echowall.demo;

import io.echowall.redis.RedisBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static io.echowall.demo.ChatPage.members;
import static io.echowall.demo.ChatPage.names;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat, unchanged, on two Echowall servers of one app that share a real Redis through
 * {@link RedisBroker}: clients on different servers talk in one room, see one member list, and hear of
 * each other's arrivals and departures. It holds because the chat keeps nothing per server.
 * {@link ChatOnTwoServersBrowserTest} does the same with two Chromium tabs.
 */
@Timeout(60)
class ChatOnTwoServersTest {

    private static final Duration GRACE = Duration.ofMillis(300);

    @Test
    void clientsOnTwoServersShareRoomsMembersAndPresenceThroughRedis() {
        try (var redis = TestRedis.start();
             var one = onRedis(redis, GRACE);
             var two = onRedis(redis, GRACE);
             var ada = new ChatPage(one.server, "ada");
             var bob = new ChatPage(two.server, "bob")) {
            ada.join("lobby");
            bob.join("lobby");
            ada.expectPresence("lobby", "bob", true); // once, from ada's own server
            assertThat(names(members(two.server, "lobby"))).as("the member list spans the servers").containsExactly("ada", "bob");

            ada.expectOwn("lobby", "hello from one", ada.say("lobby", "hello from one"));
            bob.expectSaid("lobby", "ada", "hello from one");
            bob.expectOwn("lobby", "hello from two", bob.say("lobby", "hello from two"));
            ada.expectSaid("lobby", "bob", "hello from two");

            var adaOnTwo = new ChatPage(two.server, "ada");
            adaOnTwo.join("lobby");
            ada.close();
            bob.expectQuiet(GRACE.multipliedBy(3)); // ada is still here, on the other server
            adaOnTwo.close();
            bob.expectPresence("lobby", "ada", false);
            assertThat(names(members(one.server, "lobby"))).containsExactly("bob");
        }
    }

    /**
     * The demo app on a server of its own, sharing {@code redis} with the others a test starts: their
     * rooms and presence are one. Users leave once gone for {@code grace}.
     */
    static DemoServer onRedis(TestRedis redis, Duration grace) {
        // The default key prefix: every test starts a Redis of its own, so none sees another's keys.
        var broker = RedisBroker.connect(redis.uri());
        return new DemoServer(EchoWall.Style.BLOCKING, c -> c.withBroker(broker).withPresenceGrace(grace));
    }
}
