package io.echowall.websocket;

import io.echowall.CloseCode;
import io.echowall.CloseException;
import io.echowall.CloseStatus;
import io.echowall.ConnectionClosed;
import io.echowall.Message;
import io.echowall.WebSocket;
import io.echowall.WebSocketHandler;
import io.echowall.WebSocketListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The session's close handshake and handler lifecycle, driven without sockets. */
@Timeout(20)
class SessionTest {

    private final FakeTransport transport = new FakeTransport();
    private final Set<Session> registry = ConcurrentHashMap.newKeySet();
    private final UpgradeRequest request = new UpgradeRequest("/chat/lobby", Map.of("room", "lobby"), "a=1&a=2&b=x",
            "host:example.com\norigin:http://example.com\n", "chat.v1", Map.of("user", "ada"));
    private final Session.Limits limits = new Session.Limits(8, 1 << 20, 1 << 16, Duration.ofMillis(300),
            Duration.ofMillis(300));

    @AfterEach
    void stopLoop() {
        transport.close();
    }

    private Session blocking(WebSocketHandler handler) {
        Session s = Session.blocking(transport, request, limits, registry, handler);
        transport.onLoop(s::opened);
        return s;
    }

    @Test
    void blockingHandlerEchoesThenClosesNormallyWhenItReturns() {
        Session s = blocking(ws -> ws.send(ws.receive()));
        transport.onLoop(() -> s.messageReceived(Message.text("hi")));
        await().until(() -> transport.written().size() == 2);
        assertThat(transport.written()).containsExactly(Message.text("hi"), CloseStatus.NORMAL);
        assertThat(s.state()).isEqualTo(WebSocket.State.CLOSING);
        transport.onLoop(() -> s.closeReceived(CloseStatus.NORMAL));
        assertThat(transport.connectionClosed).isTrue();
        transport.onLoop(s::disconnected);
        assertThat(s.closeStatus()).contains(CloseStatus.NORMAL);
        assertThat(registry).isEmpty();
    }

    @Test
    void iterationEndsQuietlyWhenThePeerClosesAndNothingEmptyIsYielded() throws Exception {
        List<Message> seen = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> afterLoop = new AtomicReference<>();
        Session s = blocking(ws -> {
            for (Message m : ws) {
                seen.add(m);
            }
            try {
                ws.receive();
            } catch (ConnectionClosed e) {
                afterLoop.set(e);
            }
            done.countDown();
        });
        transport.onLoop(() -> {
            s.messageReceived(Message.text("one"));
            s.messageReceived(Message.text("two"));
            s.closeReceived(new CloseStatus(4000, "bye"));
        });
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).containsExactly(Message.text("one"), Message.text("two"));
        assertThat(afterLoop.get()).isInstanceOf(ConnectionClosed.class);
        assertThat(((ConnectionClosed) afterLoop.get()).status()).isEqualTo(new CloseStatus(4000, "bye"));
        // The peer's close is echoed with its code (RFC 6455 section 5.5.1), then the server closes TCP.
        await().until(() -> transport.connectionClosed);
        assertThat(transport.written()).containsExactly(new CloseStatus(4000, "bye"));
    }

    @Test
    void messagesThatCameBeforeThePeersCloseAreAnsweredBeforeTheCloseReply() {
        Session s = blocking(ws -> {
            for (Message m : ws) {
                ws.send(m);
            }
        });
        transport.onLoop(() -> {
            s.messageReceived(Message.text("one"));
            s.messageReceived(Message.text("two"));
            s.closeReceived(CloseStatus.NORMAL);
        });
        await().until(() -> transport.connectionClosed);
        assertThat(transport.written()).containsExactly(Message.text("one"), Message.text("two"), CloseStatus.NORMAL);
    }

    @Test
    void aHandlerThatNeverDrainsStillGetsTheCloseSentAfterTheCloseTimeout() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        Session s = blocking(ws -> hold.await());
        transport.onLoop(() -> {
            s.messageReceived(Message.text("never taken"));
            s.fail(new CloseStatus(CloseCode.PROTOCOL_ERROR, "protocol error"));
        });
        assertThat(transport.written()).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> transport.connectionClosed);
        assertThat(transport.written()).containsExactly(new CloseStatus(CloseCode.PROTOCOL_ERROR, "protocol error"));
        hold.countDown();
    }

    @Test
    void aCloseWithoutCodeIsReportedAs1005AndAnsweredWithAnEmptyClose() {
        Session s = blocking(ws -> ws.receive());
        transport.onLoop(() -> s.closeReceived(null));
        await().until(() -> transport.connectionClosed);
        transport.onLoop(s::disconnected);
        assertThat(s.closeStatus().orElseThrow().code()).isEqualTo(1005);
        assertThat(transport.written()).containsExactly(new CloseStatus(CloseCode.NO_STATUS_RECEIVED, ""));
    }

    @Test
    void sendAfterCloseThrowsAndWritesNothing() {
        CountDownLatch hold = new CountDownLatch(1);
        Session s = blocking(ws -> hold.await());
        s.close(4001, "done");
        assertThatThrownBy(() -> s.send("late")).isInstanceOf(ConnectionClosed.class);
        await().until(() -> transport.written().size() == 1);
        assertThat(transport.written()).containsExactly(new CloseStatus(4001, "done"));
        hold.countDown();
    }

    @Test
    void aPeerThatNeverAnswersTheCloseIsCutAfterTheCloseTimeout() {
        Session s = blocking(ws -> ws.close(CloseCode.GOING_AWAY.code(), "away"));
        await().atMost(Duration.ofSeconds(5)).until(() -> transport.connectionClosed);
        assertThat(transport.written()).containsExactly(new CloseStatus(CloseCode.GOING_AWAY, "away"));
        transport.onLoop(s::disconnected);
        assertThat(s.closeStatus()).contains(new CloseStatus(CloseCode.GOING_AWAY, "away"));
    }

    @Test
    void aHandlerThatThrowsClosesWith1011WithoutItsMessage() {
        blocking(ws -> {
            throw new IllegalStateException("secret detail");
        });
        await().until(() -> !transport.written().isEmpty());
        CloseStatus sent = (CloseStatus) transport.written().get(0);
        assertThat(sent.code()).isEqualTo(1011);
        assertThat(sent.reason()).doesNotContain("secret");
    }

    @Test
    void aCloseExceptionClosesWithItsStatus() {
        blocking(ws -> {
            throw new CloseException(4403, "forbidden room");
        });
        await().until(() -> !transport.written().isEmpty());
        assertThat(transport.written()).containsExactly(new CloseStatus(4403, "forbidden room"));
    }

    @Test
    void failingTheConnectionSendsTheStatusAndClosesAtOnce() {
        Session s = blocking(ws -> ws.receive());
        CloseStatus status = new CloseStatus(CloseCode.PROTOCOL_ERROR, "protocol error");
        transport.onLoop(() -> s.fail(status));
        await().until(() -> transport.connectionClosed);
        assertThat(transport.written()).containsExactly(status);
    }

    @Test
    void aFullInboxStopsReadingAndTheHandlerTakingMessagesResumesIt() {
        CountDownLatch go = new CountDownLatch(1);
        List<Message> taken = new CopyOnWriteArrayList<>();
        Session s = blocking(ws -> {
            go.await();
            for (Message m : ws) {
                taken.add(m);
            }
        });
        transport.onLoop(() -> {
            for (int i = 0; i < 8; i++) {
                s.messageReceived(Message.text("m" + i));
            }
        });
        assertThat(transport.readingChanges).containsExactly(false);
        go.countDown();
        await().until(() -> taken.size() == 8);
        await().until(() -> transport.readingChanges.size() == 2);
        assertThat(transport.readingChanges).containsExactly(false, true);
    }

    @Test
    void sendWaitsWhileUnwritableThenClosesTheSlowPeerWith1008() {
        transport.writable = false;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        blocking(ws -> {
            try {
                ws.send("stuck");
            } catch (ConnectionClosed e) {
                failure.set(e);
            }
        });
        await().until(() -> failure.get() != null);
        assertThat(((ConnectionClosed) failure.get()).status().code()).isEqualTo(1008);
        assertThat(transport.written()).containsExactly(
                new CloseStatus(CloseCode.POLICY_VIOLATION, "peer too slow to read"));
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

    @Test
    void listenerGetsExactlyOneOpenThenMessagesThenOneClose() {
        for (boolean onEventLoop : new boolean[] {false, true}) {
            List<String> events = new CopyOnWriteArrayList<>();
            Session s = Session.listening(transport, request, limits, registry, new WebSocketListener() {
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
            transport.onLoop(() -> {
                s.opened();
                s.messageReceived(Message.text("a"));
                s.messageReceived(Message.text("b"));
                s.closeReceived(new CloseStatus(1000, ""));
                s.disconnected();
            });
            await().until(() -> events.size() == 4);
            assertThat(events).as("event loop: " + onEventLoop).containsExactly("open", "a", "b", "close 1000");
        }
    }

    @Test
    void listenerCallbacksNeverOverlap() {
        AtomicInteger active = new AtomicInteger();
        AtomicInteger maxActive = new AtomicInteger();
        AtomicInteger delivered = new AtomicInteger();
        Session s = Session.listening(transport, request, limits, registry, new WebSocketListener() {
            @Override
            public void onMessage(WebSocket ws, Message message) {
                maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
                Thread.yield();
                active.decrementAndGet();
                delivered.incrementAndGet();
            }
        }, false);
        transport.onLoop(s::opened);
        for (int batch = 0; batch < 50; batch++) {
            transport.onLoop(() -> {
                for (int i = 0; i < 4; i++) {
                    s.messageReceived(Message.text("x"));
                }
            });
        }
        await().until(() -> delivered.get() == 200);
        assertThat(maxActive.get()).isEqualTo(1);
    }

    @Test
    void aListenerThatThrowsGetsOnErrorAndTheConnectionCloses1011() {
        List<String> events = new CopyOnWriteArrayList<>();
        Session s = Session.listening(transport, request, limits, registry, new WebSocketListener() {
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
        transport.onLoop(() -> {
            s.opened();
            s.messageReceived(Message.text("x"));
            s.messageReceived(Message.text("not delivered after the failure"));
        });
        await().until(() -> !transport.written().isEmpty());
        assertThat(transport.written()).containsExactly(new CloseStatus(CloseCode.INTERNAL_ERROR, "internal error"));
        transport.onLoop(s::disconnected);
        await().until(() -> events.size() == 2);
        assertThat(events).containsExactly("error boom", "close 1011");
    }

    @Test
    void receiveIsForBlockingHandlersOnly() {
        Session s = Session.listening(transport, request, limits, registry, new WebSocketListener() {
        }, false);
        assertThatThrownBy(s::receive).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeRejectsCodesThatMayNotBeSent() {
        Session s = blocking(WebSocket::receive);
        assertThatThrownBy(() -> s.close(1005, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.close(999, "")).isInstanceOf(IllegalArgumentException.class);
    }
}
