package io.echowall;

import io.echowall.testing.RawWebSocket;
import io.echowall.testing.TestClient;
import io.echowall.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.zip.Inflater;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rooms on one server, through real clients: members in every handler style get each publication in
 * order, a publisher does not get its own back, presence is counted per user with a grace period,
 * and members that cannot keep up meet their room's policy while the others keep receiving.
 */
@Timeout(60)
class RoomsTest {

    private static final Duration GRACE = Duration.ofMillis(300);
    private static final String STYLES = "blocking,listener,event-loop";

    private final List<PresenceEvent> presence = new CopyOnWriteArrayList<>();
    private final Map<String, CloseStatus> closes = new ConcurrentHashMap<>();
    private Echowall app;
    private TestServer server;

    /** Joins the room of the path as the user of the query, then publishes what it receives. */
    private final class Member implements WebSocketListener {
        @Override
        public void onOpen(WebSocket ws) {
            enter(ws);
        }

        @Override
        public void onMessage(WebSocket ws, Message message) {
            ws.publish(ws.pathParam("room"), message);
        }

        @Override
        public void onClose(WebSocket ws, CloseStatus status) {
            closes.put(ws.user(), status);
        }
    }

    private static void enter(WebSocket ws) {
        String user = ws.queryParam("user");
        if (user != null) {
            ws.user(user);
        }
        ws.join(ws.pathParam("room"));
    }

    @BeforeEach
    void start() {
        app = Echowall.create(c -> c.withHost("127.0.0.1").withPresenceGrace(GRACE));
        app.ws("/blocking/{room}", ws -> {
            enter(ws);
            for (var message : ws) {
                ws.publish(ws.pathParam("room"), message);
            }
        });
        app.ws("/listener/{room}", new Member());
        app.ws("/event-loop/{room}", WebSocketOptions.defaults().withEventLoop(true), new Member());
        app.post("/publish/{room}", ctx -> {
            app.rooms().publish(ctx.pathParam("room"), ctx.body());
            ctx.status(204);
        });
        app.room("ticker:*", RoomOptions.defaults().withLatestPerKey(m -> m.text().substring(0, m.text().indexOf('='))));
        app.room("feed:*", RoomOptions.defaults().withSlowConsumer(RoomOptions.SlowConsumer.DROP_OLDEST));
        app.rooms().onPresence(presence::add);
        server = TestServer.start(app);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private TestClient join(String style, String room, String user) {
        TestClient client = server.connect("/" + style + "/" + room + "?user=" + user);
        await().until(() -> app.rooms().users(room, null, 1000).contains(user));
        return client;
    }

    @Test
    void everyMemberInEveryStyleGetsEachPublicationInOrder() {
        List<TestClient> members = new ArrayList<>();
        for (String style : STYLES.split(",")) {
            for (int i = 0; i < 5; i++) {
                members.add(join(style, "lobby", style + i));
            }
        }
        for (int n = 0; n < 200; n++) {
            app.rooms().publish("lobby", "m" + n);
        }
        for (TestClient member : members) {
            for (int n = 0; n < 200; n++) {
                member.expectText("m" + n);
            }
        }
        assertThat(app.rooms().users("lobby")).isEqualTo(15);
        members.forEach(TestClient::close);
    }

    @ParameterizedTest
    @ValueSource(strings = {"blocking", "listener", "event-loop"})
    void aMemberPublishesToTheOthersButNotToItself(String style) {
        try (TestClient ada = join(style, "chat", "ada"); TestClient bob = join("listener", "chat", "bob");
             TestClient outsider = join("listener", "elsewhere", "cy")) {
            ada.send("hello from ada");
            bob.expectText("hello from ada");
            ada.expectNoMessage(Duration.ofMillis(300));
            outsider.expectNoMessage(Duration.ZERO);
        }
    }

    /** Many publications in one round travel joined; the publisher still gets none of its own. */
    @Test
    void aBurstFromOneMemberReachesTheOthersInOrderAndNotItself() throws Exception {
        try (TestClient bob = join("listener", "burst", "bob");
             RawWebSocket ada = RawWebSocket.open(server.port(), "/event-loop/burst?user=ada")) {
            await().until(() -> app.rooms().users("burst") == 2);
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            for (int n = 0; n < 50; n++) {
                burst.write(RawWebSocket.encode(0x81, ("b" + n).getBytes(StandardCharsets.UTF_8), true));
            }
            ada.sendRaw(burst.toByteArray()); // one write: one read on the server, one fan-out round
            for (int n = 0; n < 50; n++) {
                bob.expectText("b" + n);
            }
            ada.readTimeout(300);
            assertThat(readOrNull(ada)).as("ada's own messages come back to her").isNull();
        }
    }

    /**
     * Messages published from a thread of the app's own to a room large enough that its runs take a
     * while: those that come just after a run wait a little to share the next one, and still reach
     * every member, each in order.
     */
    @Test
    void publicationsFromAnotherThreadToABusyRoomReachEveryMemberInOrder() throws Exception {
        int memberCount = 300;
        int messages = 500;
        List<RawWebSocket> members = new ArrayList<>();
        try {
            for (int i = 0; i < memberCount; i++) {
                members.add(RawWebSocket.open(server.port(), "/listener/busy-feed?user=u" + i));
            }
            await().until(() -> app.rooms().users("busy-feed") == memberCount);
            for (int n = 0; n < messages; n++) {
                app.rooms().publish("busy-feed", "m" + n);
            }
            for (RawWebSocket member : members) {
                member.readTimeout(10_000);
                for (int n = 0; n < messages; n++) {
                    assertThat(member.read().text()).isEqualTo("m" + n);
                }
            }
        } finally {
            for (RawWebSocket member : members) {
                member.close();
            }
        }
    }

    @Test
    void aPublishedMessageKeepsItsType() {
        try (TestClient bob = join("event-loop", "bytes", "bob")) {
            byte[] payload = {0, 1, 2, (byte) 0xFF};
            app.rooms().publish("bytes", Message.binary(payload));
            bob.expectBinary(payload);
        }
    }

    /**
     * Room frames go out uncompressed, past the deflate encoder, while the member's own replies are
     * compressed: on one connection both arrive whole, each in its order.
     */
    @Test
    void aMemberWithPermessageDeflateGetsRoomFramesUncompressedBesideItsCompressedReplies() throws Exception {
        Echowall deflating = Echowall.create(c -> c.withHost("127.0.0.1").withPermessageDeflate(true));
        deflating.ws("/echo/{room}", new WebSocketListener() {
            @Override
            public void onOpen(WebSocket ws) {
                enter(ws);
            }

            @Override
            public void onMessage(WebSocket ws, Message message) {
                ws.send(message);
            }
        });
        try (TestServer other = TestServer.start(deflating);
             RawWebSocket member = RawWebSocket.open(other.port(), "/echo/mixed?user=ada",
                     "Sec-WebSocket-Extensions: permessage-deflate")) {
            assertThat(member.response().header("Sec-WebSocket-Extensions")).startsWith("permessage-deflate");
            await().until(() -> deflating.rooms().users("mixed") == 1);
            int count = 100;
            for (int n = 0; n < count; n++) {
                member.sendText("e" + n);
                deflating.rooms().publish("mixed", "r" + n);
            }
            List<String> replies = new ArrayList<>();
            List<String> roomMessages = new ArrayList<>();
            Inflater inflater = new Inflater(true); // one for all: context takeover
            while (replies.size() + roomMessages.size() < 2 * count) {
                RawWebSocket.Frame frame = member.read();
                assertThat(frame.opcode()).isEqualTo(RawWebSocket.TEXT);
                if (frame.rsv() == 0) {
                    roomMessages.add(frame.text());
                } else {
                    assertThat(frame.rsv()).as("RSV1: compressed").isEqualTo(4);
                    replies.add(inflate(inflater, frame.payload()));
                }
            }
            assertThat(roomMessages).isEqualTo(numbered("r", count));
            assertThat(replies).isEqualTo(numbered("e", count));
        }
    }

    private static List<String> numbered(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(n -> prefix + n).toList();
    }

    /** A permessage-deflate message (RFC 7692 section 7.2.2: the stripped tail put back). */
    private static String inflate(Inflater inflater, byte[] compressed) throws Exception {
        byte[] input = Arrays.copyOf(compressed, compressed.length + 4);
        input[compressed.length + 2] = (byte) 0xFF;
        input[compressed.length + 3] = (byte) 0xFF;
        inflater.setInput(input);
        byte[] out = new byte[1024];
        int length = inflater.inflate(out);
        return new String(out, 0, length, StandardCharsets.UTF_8);
    }

    @Test
    void presenceIsPerUserAndALeaveWaitsForTheGracePeriod() {
        TestClient tab1 = join("blocking", "lobby", "ada");
        TestClient tab2 = join("listener", "lobby", "ada");
        TestClient bob = join("event-loop", "lobby", "bob");
        assertThat(app.rooms().users("lobby")).isEqualTo(2);
        assertThat(app.rooms().users("lobby", null, 10)).containsExactly("ada", "bob");
        tab1.close();
        tab2.close();
        await().until(() -> presence.contains(new PresenceEvent("lobby", "ada", false)));
        assertThat(presence).containsExactlyInAnyOrder(new PresenceEvent("lobby", "ada", true),
                new PresenceEvent("lobby", "bob", true), new PresenceEvent("lobby", "ada", false));
        assertThat(app.rooms().users("lobby")).isEqualTo(1);
        bob.close();
    }

    @Test
    void aReloadWithinTheGracePeriodIsNotALeave() {
        join("listener", "lobby", "ada").close();
        TestClient reloaded = server.connect("/listener/lobby?user=ada");
        await().during(GRACE.multipliedBy(3)).atMost(Duration.ofSeconds(5))
                .until(() -> presence.equals(List.of(new PresenceEvent("lobby", "ada", true))));
        reloaded.close();
    }

    /** A raw member that joins and then reads nothing, with a small window so it falls behind fast. */
    private RawWebSocket stalledMember(String room, String user) throws Exception {
        java.net.Socket socket = new java.net.Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
        RawWebSocket raw = RawWebSocket.send(socket, RawWebSocket.request(server.port(),
                "/listener/" + room + "?user=" + user).getBytes(StandardCharsets.ISO_8859_1));
        await().until(() -> app.rooms().users(room, null, 1000).contains(user));
        return raw;
    }

    private static String padded(String text) {
        return text + "=" + "x".repeat(16 << 10);
    }

    @Test
    void aMemberThatCannotKeepUpIsClosedWhileTheOthersGetEverything() throws Exception {
        try (RawWebSocket stalled = stalledMember("busy", "slow");
             TestClient healthy = join("event-loop", "busy", "fast")) {
            assertThat(stalled.response().status()).isEqualTo(101);
            for (int n = 0; n < 2000; n++) {
                app.rooms().publish("busy", padded("m" + n));
                healthy.expectText(padded("m" + n));
            }
            await().until(() -> closes.containsKey("slow"));
            assertThat(closes.get("slow").code()).isEqualTo(1008);
        }
    }

    @Test
    void aSlowMemberOfATickerGetsTheLatestValuePerKey() throws Exception {
        int rounds = 1500;
        try (RawWebSocket stalled = stalledMember("ticker:prices", "slow")) {
            for (int n = 1; n <= rounds; n++) {
                app.rooms().publish("ticker:prices", padded("BTC") + n);
                app.rooms().publish("ticker:prices", padded("ETH") + n);
            }
            Map<String, Integer> last = new ConcurrentHashMap<>();
            int received = 0;
            stalled.readTimeout(2000);
            for (RawWebSocket.Frame f; (f = readOrNull(stalled)) != null; ) {
                String text = f.text();
                String key = text.substring(0, 3);
                int value = Integer.parseInt(text.substring(text.lastIndexOf('x') + 1));
                assertThat(value).as("values of " + key + " only go up").isGreaterThan(last.getOrDefault(key, 0));
                last.put(key, value);
                received++;
                if (last.getOrDefault("BTC", 0) == rounds && last.getOrDefault("ETH", 0) == rounds) {
                    break;
                }
            }
            assertThat(last).containsEntry("BTC", rounds).containsEntry("ETH", rounds);
            assertThat(received).as("older values were replaced while it was behind").isLessThan(2 * rounds);
            assertThat(closes).doesNotContainKey("slow");
        }
    }

    @Test
    void aSlowMemberOfAFeedLosesTheOldestButGetsTheNewest() throws Exception {
        int count = 3000;
        try (RawWebSocket stalled = stalledMember("feed:news", "slow")) {
            for (int n = 1; n <= count; n++) {
                app.rooms().publish("feed:news", padded("n") + n);
            }
            int previous = 0;
            int received = 0;
            stalled.readTimeout(2000);
            for (RawWebSocket.Frame f; (f = readOrNull(stalled)) != null && previous < count; ) {
                String text = f.text();
                int value = Integer.parseInt(text.substring(text.lastIndexOf('x') + 1));
                assertThat(value).isGreaterThan(previous);
                previous = value;
                received++;
            }
            assertThat(previous).as("the newest message arrives").isEqualTo(count);
            assertThat(received).as("the oldest went while it was behind").isLessThan(count);
            assertThat(closes).doesNotContainKey("slow");
        }
    }

    /**
     * A frame the member's socket takes only in part (it goes to the socket directly) continues through
     * the pipeline; a message published behind it waits its turn: both arrive whole, in order.
     */
    @Test
    void aMessageTheSocketTakesOnlyInPartArrivesWholeBeforeTheNext() throws Exception {
        byte[] big = new byte[8 << 20]; // more than a socket buffer takes (at most 4 MiB by default on Linux)
        new java.util.Random(7).nextBytes(big);
        try (RawWebSocket stalled = stalledMember("feed:large", "slow")) {
            app.rooms().publish("feed:large", Message.binary(big));
            app.rooms().publish("feed:large", "after");
            stalled.readTimeout(5000);
            RawWebSocket.Frame first = stalled.read();
            assertThat(first.opcode()).isEqualTo(RawWebSocket.BINARY);
            assertThat(Arrays.equals(first.payload(), big)).as("the large message arrives byte for byte").isTrue();
            assertThat(stalled.read().text()).isEqualTo("after");
            assertThat(closes).doesNotContainKey("slow");
        }
    }

    /** Members whose connections are reset while the room is busy leave it; the others miss nothing. */
    @Test
    void membersThatResetTheirConnectionsLeaveAndTheOthersMissNothing() throws Exception {
        try (TestClient healthy = join("event-loop", "resets", "fast")) {
            List<java.net.Socket> sockets = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port());
                RawWebSocket.send(socket, RawWebSocket.request(server.port(), "/listener/resets?user=gone" + i)
                        .getBytes(StandardCharsets.ISO_8859_1));
                sockets.add(socket);
            }
            await().until(() -> app.rooms().users("resets") == 6);
            for (int n = 0; n < 500; n++) {
                if (n == 100) {
                    for (java.net.Socket socket : sockets) {
                        socket.setSoLinger(true, 0);
                        socket.close(); // a reset: the server's next write to it fails
                    }
                }
                app.rooms().publish("resets", "m" + n);
            }
            for (int n = 0; n < 500; n++) {
                healthy.expectText("m" + n);
            }
            await().until(() -> app.rooms().users("resets") == 1);
        }
    }

    /**
     * While a room keeps publishing, the server closes a member and waits for its answer: the close
     * frame is the last frame the member gets (RFC 6455 section 5.5.1), though it is still in the room
     * and its connection still open.
     */
    @Test
    void noRoomFrameFollowsTheServersCloseFrame() throws Exception {
        Echowall closing = Echowall.create(c -> c.withHost("127.0.0.1"));
        closing.ws("/closing", new WebSocketListener() {
            @Override
            public void onOpen(WebSocket ws) {
                ws.join("closing");
            }

            @Override
            public void onMessage(WebSocket ws, Message message) {
                ws.close(1000, "asked to");
            }
        });
        java.util.concurrent.atomic.AtomicBoolean publishing = new java.util.concurrent.atomic.AtomicBoolean(true);
        try (TestServer other = TestServer.start(closing);
             RawWebSocket member = RawWebSocket.open(other.port(), "/closing")) {
            await().until(() -> closing.rooms().users("closing") == 1);
            Thread publisher = Thread.ofVirtual().start(() -> {
                for (int n = 0; n < 500_000 && publishing.get(); n++) {
                    closing.rooms().publish("closing", "m" + n);
                }
            });
            try {
                member.readTimeout(5000);
                assertThat(member.read().text()).startsWith("m");
                member.sendText("close me");
                RawWebSocket.Frame close = member.readClose();
                assertThat(close).isNotNull();
                assertThat(close.closeCode()).isEqualTo(1000);
                member.readTimeout(500); // no answer yet: the server waits for it, the room goes on
                assertThat(readOrNull(member)).as("a frame after the close frame").isNull();
            } finally {
                publishing.set(false);
                publisher.join();
            }
        }
    }

    private static RawWebSocket.Frame readOrNull(RawWebSocket ws) {
        try {
            return ws.read();
        } catch (java.io.IOException timedOutOrClosed) {
            return null;
        }
    }
}
