package io.echowall.websocket;

import io.echowall.CloseException;
import io.echowall.CloseStatus;
import io.echowall.ConnectionClosed;
import io.echowall.Message;
import io.echowall.WebSocket;
import io.echowall.WebSocketHandler;
import io.echowall.WebSocketListener;
import io.echowall.rooms.TestSeats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Sessions in each delivery style over a real protocol and an in-memory connection: user code on its
 * threads, the protocol on a fake event loop, timers fired by hand.
 */
@Timeout(20)
class SessionTest {

    private final FakeConnection connection = new FakeConnection();
    private final Protocol protocol = connection.protocol;
    private final Set<Session> registry = ConcurrentHashMap.newKeySet();
    private final UpgradeRequest request = new UpgradeRequest("/chat/lobby", Map.of("room", "lobby"), "a=1&a=2&b=x",
            "host:example.com\norigin:http://example.com\n", "chat.v1", Map.of("user", "ada"));
    private final Session.Limits limits = new Session.Limits(8, 1 << 20, Duration.ofSeconds(10));

    @AfterEach
    void stopLoop() {
        connection.close();
    }

    private Session blocking(WebSocketHandler handler) {
        return blocking(handler, limits);
    }

    private Session blocking(WebSocketHandler handler, Session.Limits limits) {
        Session s = Session.blocking(connection, protocol, request, limits, TestSeats.unused(), registry, handler);
        connection.onLoop(s::opened);
        return s;
    }

    private Session listening(WebSocketListener listener, boolean onEventLoop) {
        Session s = Session.listening(connection, protocol, request, limits, TestSeats.unused(), registry, listener, onEventLoop);
        connection.onLoop(s::opened);
        return s;
    }

    private void peerSends(String... texts) {
        connection.onLoop(() -> {
            for (String t : texts) {
                protocol.messageReceived(Message.text(t));
            }
        });
    }

    private void peerCloses(int code, String reason) {
        ByteBuffer payload = ByteBuffer.allocate(2 + reason.length()).putShort((short) code).put(reason.getBytes()).flip();
        connection.onLoop(() -> protocol.closeReceived(payload));
    }

    @Test
    void aBlockingHandlerThatReturnsClosesNormally() {
        Session s = blocking(ws -> ws.send(ws.receive()));
        peerSends("hi");
        await().until(() -> connection.written().size() == 2);
        assertThat(connection.written()).containsExactly("hi", "close 1000");
        assertThat(s.state()).isEqualTo(WebSocket.State.CLOSING);
        peerCloses(1000, "");
        connection.onLoop(s::connectionLost);
        assertThat(s.closeStatus()).contains(CloseStatus.NORMAL);
        assertThat(registry).isEmpty();
    }

    @Test
    void iterationEndsQuietlyWhenThePeerClosesAndNothingEmptyIsYielded() throws Exception {
        List<Message> seen = new CopyOnWriteArrayList<>();
        AtomicReference<ConnectionClosed> afterLoop = new AtomicReference<>();
        blocking(ws -> {
            for (Message m : ws) {
                seen.add(m);
            }
            try {
                ws.receive();
            } catch (ConnectionClosed e) {
                afterLoop.set(e);
            }
        });
        peerSends("one", "two");
        peerCloses(4000, "bye");
        await().until(() -> afterLoop.get() != null);
        assertThat(seen).containsExactly(Message.text("one"), Message.text("two"));
        assertThat(afterLoop.get().status()).isEqualTo(new CloseStatus(4000, "bye"));
        await().until(() -> connection.written().contains("shutdown output"));
        assertThat(connection.written()).containsExactly("close 4000 bye", "shutdown output");
    }

    @Test
    void messagesThatCameBeforeThePeersCloseAreAnsweredBeforeTheCloseReply() {
        blocking(ws -> {
            for (Message m : ws) {
                ws.send(m);
            }
        });
        peerSends("one", "two");
        peerCloses(1000, "");
        await().until(() -> connection.written().contains("shutdown output"));
        assertThat(connection.written()).containsExactly("one", "two", "close 1000", "shutdown output");
    }

    @Test
    void aHandlerThatNeverDrainsGetsTheCloseSentWhenItsTimeRunsOut() {
        CountDownLatch hold = new CountDownLatch(1);
        blocking(ws -> hold.await());
        peerSends("never taken");
        connection.onLoop(() -> protocol.violation(Closes.PROTOCOL_ERROR));
        assertThat(connection.written()).isEmpty();
        connection.fire(Wire.Timer.DRAIN);
        assertThat(connection.written()).containsExactly("close " + Closes.PROTOCOL_ERROR, "shutdown output");
        hold.countDown();
    }

    @Test
    void stoppingTheServerLetsTheHandlerAnswerWhatItHadReceivedBeforeThe1001() {
        CountDownLatch go = new CountDownLatch(1);
        blocking(ws -> {
            go.await();
            for (Message m : ws) {
                ws.send(m);
            }
        });
        peerSends("a", "b", "c");
        Session session = registry.iterator().next();
        session.goingAway(Duration.ofSeconds(5));
        peerSends("after the stop began");
        go.countDown();
        await().until(() -> connection.written().size() == 4);
        assertThat(connection.written()).containsExactly("a", "b", "c", "close " + Closes.SHUTTING_DOWN);
    }

    @Test
    void sendAfterCloseThrowsAndWritesNothing() {
        CountDownLatch hold = new CountDownLatch(1);
        Session s = blocking(ws -> hold.await());
        s.close(4001, "done");
        assertThatThrownBy(() -> s.send("late")).isInstanceOf(ConnectionClosed.class);
        await().until(() -> !connection.written().isEmpty());
        assertThat(connection.written()).containsExactly("close 4001 done");
        hold.countDown();
    }

    @Test
    void aHandlerThatThrowsClosesWith1011WithoutItsMessage() {
        blocking(ws -> {
            throw new IllegalStateException("secret detail");
        });
        await().until(() -> !connection.written().isEmpty());
        assertThat(connection.written()).containsExactly("close " + Closes.INTERNAL_ERROR);
    }

    @Test
    void aCloseExceptionClosesWithItsStatus() {
        blocking(ws -> {
            throw new CloseException(4403, "forbidden room");
        });
        await().until(() -> !connection.written().isEmpty());
        assertThat(connection.written()).containsExactly("close 4403 forbidden room");
    }

    @Test
    void aFullInboxStopsReadingAndTheHandlerTakingMessagesResumesIt() {
        CountDownLatch go = new CountDownLatch(1);
        List<Message> taken = new CopyOnWriteArrayList<>();
        blocking(ws -> {
            go.await();
            for (Message m : ws) {
                taken.add(m);
            }
        });
        peerSends("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7");
        assertThat(connection.readingChanges()).containsExactly("reading on", "reading off");
        go.countDown();
        await().until(() -> taken.size() == 8);
        await().until(() -> connection.readingChanges().size() == 3);
        assertThat(connection.readingChanges()).containsExactly("reading on", "reading off", "reading on");
    }

    @Test
    void aSendThatFindsNoRoomInTimeClosesTheSlowPeerWith1008() {
        connection.writable = false;
        AtomicReference<ConnectionClosed> failure = new AtomicReference<>();
        blocking(ws -> {
            try {
                ws.send("stuck");
            } catch (ConnectionClosed e) {
                failure.set(e);
            }
        }, new Session.Limits(8, 1 << 20, Duration.ofNanos(1)));
        await().until(() -> failure.get() != null);
        assertThat(failure.get().status()).isEqualTo(Closes.SLOW_PEER);
        await().until(() -> !connection.written().isEmpty());
        assertThat(connection.written()).containsExactly("close " + Closes.SLOW_PEER);
    }

    @Test
    void aSendWaitsWhileThePeerIsBehindAndGoesOnOnceItCatchesUp() {
        connection.writable = false;
        AtomicReference<Thread> sender = new AtomicReference<>();
        Session s = blocking(ws -> {
            sender.set(Thread.currentThread());
            ws.send("waited");
        });
        await().until(() -> sender.get() != null && sender.get().getState() == Thread.State.WAITING
                || sender.get() != null && sender.get().getState() == Thread.State.TIMED_WAITING);
        assertThat(connection.written()).isEmpty();
        connection.writable = true;
        connection.onLoop(s::writabilityChanged);
        await().until(() -> connection.written().size() == 2);
        assertThat(connection.written()).containsExactly("waited", "close 1000");
    }

    @Test
    void upgradeRequestDetailsAreVisible() {
        AtomicReference<WebSocket> seen = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(1);
        blocking(ws -> {
            seen.set(ws);
            ready.countDown();
            ws.receive();
        });
        await().until(() -> ready.getCount() == 0);
        WebSocket ws = seen.get();
        assertThat(ws.path()).isEqualTo("/chat/lobby");
        assertThat(ws.pathParam("room")).isEqualTo("lobby");
        assertThat(ws.queryParam("a")).isEqualTo("1");
        assertThat(ws.queryParams().get("a")).containsExactly("1", "2");
        assertThat(ws.header("Origin")).isEqualTo("http://example.com");
        assertThat(ws.subprotocol()).contains("chat.v1");
        assertThat((String) ws.attribute("user")).isEqualTo("ada");
        ws.attribute("seen", 1);
        assertThat((Integer) ws.attribute("seen")).isEqualTo(1);
        assertThat(ws.closeStatus()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aListenerGetsExactlyOneOpenThenMessagesThenOneClose(boolean onEventLoop) {
        List<String> events = new CopyOnWriteArrayList<>();
        Session s = listening(new WebSocketListener() {
            @Override
            public void onOpen(WebSocket ws) {
                events.add("open");
            }

            @Override
            public void onMessage(WebSocket ws, Message message) {
                events.add(message.text());
            }

            @Override
            public void onClose(WebSocket ws, CloseStatus status) {
                events.add("close " + status.code());
            }
        }, onEventLoop);
        peerSends("a", "b");
        peerCloses(1000, "");
        connection.onLoop(s::connectionLost);
        connection.onLoop(s::connectionLost);
        await().until(() -> events.size() == 4);
        assertThat(events).containsExactly("open", "a", "b", "close 1000");
        assertThat(registry).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"blocking", "listener"})
    void everyMessageOfReadBurstsReachesUserCodeInOrder(String style) {
        List<String> seen = new CopyOnWriteArrayList<>();
        Session s = style.equals("blocking")
                ? blocking(ws -> {
                    for (Message m : ws) {
                        seen.add(m.text());
                    }
                })
                : listening(new WebSocketListener() {
                    @Override
                    public void onMessage(WebSocket ws, Message message) {
                        seen.add(message.text());
                    }
                }, false);
        List<String> sent = new java.util.ArrayList<>();
        for (int burst = 0; burst < 50; burst++) {
            List<String> texts = new java.util.ArrayList<>();
            for (int i = 0; i < burst % 5; i++) { // some bursts bring no message at all
                texts.add(burst + "." + i);
            }
            sent.addAll(texts);
            connection.onLoop(() -> {
                s.readBurst(true);
                texts.forEach(t -> protocol.messageReceived(Message.text(t)));
                s.readBurst(false);
            });
        }
        peerSends("after");
        sent.add("after");
        await().until(() -> seen.size() == sent.size());
        assertThat(seen).containsExactlyElementsOf(sent);
    }

    @Test
    void anEventLoopListenerRunsOnTheEventLoop() {
        AtomicReference<Boolean> onLoop = new AtomicReference<>();
        listening(new WebSocketListener() {
            @Override
            public void onMessage(WebSocket ws, Message message) {
                onLoop.set(connection.inEventLoop());
            }
        }, true);
        peerSends("x");
        assertThat(onLoop.get()).isTrue();
    }

    @Test
    void listenerCallbacksNeverOverlap() {
        AtomicInteger active = new AtomicInteger();
        AtomicInteger maxActive = new AtomicInteger();
        AtomicInteger delivered = new AtomicInteger();
        listening(new WebSocketListener() {
            @Override
            public void onMessage(WebSocket ws, Message message) {
                maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
                Thread.yield();
                active.decrementAndGet();
                delivered.incrementAndGet();
            }
        }, false);
        for (int batch = 0; batch < 50; batch++) {
            peerSends("w", "x", "y", "z");
        }
        await().until(() -> delivered.get() == 200);
        assertThat(maxActive.get()).isEqualTo(1);
    }

    @Test
    void aListenerThatThrowsGetsOnErrorAndTheConnectionCloses1011() {
        List<String> events = new CopyOnWriteArrayList<>();
        Session s = listening(new WebSocketListener() {
            @Override
            public void onMessage(WebSocket ws, Message message) {
                throw new IllegalArgumentException("boom");
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                events.add("error " + error.getMessage());
            }

            @Override
            public void onClose(WebSocket ws, CloseStatus status) {
                events.add("close " + status.code());
            }
        }, false);
        peerSends("x", "not delivered after the failure");
        await().until(() -> !connection.written().isEmpty());
        assertThat(connection.written()).containsExactly("close " + Closes.INTERNAL_ERROR);
        connection.onLoop(s::connectionLost);
        await().until(() -> events.size() == 2);
        assertThat(events).containsExactly("error boom", "close 1011");
    }

    @Test
    void receiveIsForBlockingHandlersOnly() {
        Session s = listening(new WebSocketListener() {
        }, false);
        assertThatThrownBy(s::receive).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeRejectsCodesThatMayNotBeSent() {
        Session s = blocking(WebSocket::receive);
        assertThatThrownBy(() -> s.close(1005, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.close(999, "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBlockingSessionLeavesTheRegistryOnlyOnceBothItsConnectionAndItsHandlerAreDone() {
        CountDownLatch hold = new CountDownLatch(1);
        Session s = blocking(ws -> hold.await());
        connection.onLoop(s::connectionLost);
        assertThat(registry).containsExactly(s);
        hold.countDown();
        await().until(registry::isEmpty);
    }
}
