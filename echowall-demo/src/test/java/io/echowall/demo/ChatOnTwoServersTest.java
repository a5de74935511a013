package io.echowall.demo;

import io.echowall.redis.RedisBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static io.echowall.demo.ChatPage.request;

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
             var ada = new ChatPage(one.server.connect("/chat/socket"));
             var bob = new ChatPage(two.server.connect("/chat/socket"))) {
            ada.nick("ada");
            bob.nick("bob");
            ada.join("lobby", "ada");
            bob.join("lobby", "ada", "bob"); // the member list spans the servers
            ada.expectPresence("lobby", "bob", true); // once: the other server's repeat changes nothing

            ada.send(request("say", "room", "lobby", "text", "hello from one"));
            ada.expectSaid("lobby", "ada", "hello from one");
            bob.expectSaid("lobby", "ada", "hello from one");
            bob.send(request("say", "room", "lobby", "text", "hello from two"));
            bob.expectSaid("lobby", "bob", "hello from two");
            ada.expectSaid("lobby", "bob", "hello from two");

            var adaOnTwo = new ChatPage(two.server.connect("/chat/socket"));
            adaOnTwo.nick("ada");
            adaOnTwo.join("lobby", "ada", "bob");
            ada.close();
            bob.expectQuiet(GRACE.multipliedBy(3)); // ada is still here, on the other server
            adaOnTwo.close();
            bob.expectPresence("lobby", "ada", false);
            bob.send(request("members", "room", "lobby"));
            bob.expectMembers("lobby", "bob");
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
