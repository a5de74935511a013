package io.echowall.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static io.echowall.demo.ChatPage.request;

/**
 * The chat, unchanged, on two servers of one app that share a broker ({@link SharedBroker}, standing
 * in for Redis): pages on different servers talk in one room, see one member list, and hear of each
 * other's arrivals and departures. It holds because the chat keeps nothing per server.
 */
@Timeout(60)
class ChatOnTwoServersTest {

    private static final Duration GRACE = Duration.ofMillis(300);

    @Test
    void pagesOnTwoServersShareRoomsMembersAndPresence() {
        try (var broker = new SharedBroker(GRACE);
             var one = new DemoServer(EchoWall.Style.BLOCKING, c -> c.withBroker(broker.broker()));
             var two = new DemoServer(EchoWall.Style.BLOCKING, c -> c.withBroker(broker.broker()));
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
}
