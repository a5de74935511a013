package io.echowall.internal;

import io.echowall.CloseStatus;
import io.echowall.Message;
import io.echowall.WebSocket;
import io.echowall.WebSocketListener;
import io.echowall.metrics.Meters;
import io.echowall.rooms.Seat;
import io.echowall.rooms.TestSeats;
import io.echowall.websocket.Protocol;
import io.echowall.websocket.Session;
import io.echowall.websocket.UpgradeRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Netty adapter under a session whose listener runs on the (embedded) event loop: frames in become
 * protocol events, the protocol's actions come out as frames, and timers run on the embedded clock.
 */
class WebSocketConnectionTest {

    private static final int SEND_BUFFER = 64 << 10;

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final List<String> events = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private WebSocketConnection connection;
    private Session session;

    private void open(int maxMessageSize, WebSocketListener listener) {
        channel.freezeTime();
        connection = new WebSocketConnection(maxMessageSize, SEND_BUFFER, new SendBacklog(1 << 20, SEND_BUFFER), null,
                Meters.of(registry).webSocket("/echo/{id}"));
        channel.pipeline().addLast(connection);
        Protocol protocol = new Protocol(connection,
                new Protocol.Timing(Duration.ofSeconds(30), Duration.ofSeconds(20), Duration.ofSeconds(5)));
        UpgradeRequest request = new UpgradeRequest("/echo", Map.of(), "", "", null, Map.of());
        session = Session.listening(connection, protocol, request, new Session.Limits(64, maxMessageSize,
                Duration.ofSeconds(30)), id -> new Seat(TestSeats.hub(), connection, id), ConcurrentHashMap.newKeySet(),
                listener, true);
        connection.attach(protocol, session);
        connection.start(Unpooled.EMPTY_BUFFER);
    }

    private void openEcho() {
        open(1 << 20, new WebSocketListener() {
            @Override
            public void onMessage(WebSocket ws, Message message) {
                ws.send(message);
            }

            @Override
            public void onClose(WebSocket ws, CloseStatus status) {
                events.add("onClose " + status);
            }
        });
    }

    @AfterEach
    void finish() {
        channel.finishAndReleaseAll();
    }

    /** The next outbound frame, described as text; released. */
    private String next() {
        Object out = channel.readOutbound();
        try {
            if (out == null) {
                return null;
            }
            if (out instanceof TextWebSocketFrame text) {
                return "text " + text.text();
            }
            if (out instanceof PingWebSocketFrame) {
                return "ping";
            }
            if (out instanceof PongWebSocketFrame pong) {
                return "pong " + pong.content().toString(StandardCharsets.UTF_8);
            }
            if (out instanceof CloseWebSocketFrame close) {
                return "close " + close.statusCode() + (close.reasonText().isEmpty() ? "" : " " + close.reasonText());
            }
            if (out instanceof ByteBuf bytes && !bytes.isReadable()) {
                return next(); // the empty write that marks where the output is shut
            }
            return out.toString();
        } finally {
            ReferenceCountUtil.release(out);
        }
    }

    private static ByteBuf utf8(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    /** Makes the peer stop or start taking what it is sent, as the channel's water marks would. */
    private void peerReads(boolean reads) {
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, reads);
        channel.runPendingTasks(); // the writability event is fired as a task
    }

    @Test
    void messagesOfOneReadAreEchoed() {
        openEcho();
        channel.writeInbound(new TextWebSocketFrame("one"), new TextWebSocketFrame("two"));
        assertThat(next()).isEqualTo("text one");
        assertThat(next()).isEqualTo("text two");
        assertThat(next()).isNull();
    }

    @Test
    void messagesAndBytesAreCountedEachWayAndTheCloseByItsCode() {
        openEcho();
        assertThat(gauge("echowall.websocket.connections")).isEqualTo(1);
        channel.writeInbound(new TextWebSocketFrame("one"), new TextWebSocketFrame("three"));
        assertThat(next()).isEqualTo("text one");
        assertThat(next()).isEqualTo("text three");
        channel.writeInbound(new CloseWebSocketFrame(4000, "bye"));

        assertThat(count("echowall.websocket.received.messages")).isEqualTo(2);
        assertThat(count("echowall.websocket.received.bytes")).isEqualTo(8);
        assertThat(count("echowall.websocket.sent.messages")).isEqualTo(2);
        assertThat(count("echowall.websocket.sent.bytes")).isEqualTo(8);
        assertThat(registry.get("echowall.websocket.closes").tags("route", "/echo/{id}", "code", "4xxx").counter().count())
                .isEqualTo(1);
        assertThat(gauge("echowall.websocket.connections")).isZero();
    }

    private double count(String name) {
        return registry.get(name).tag("route", "/echo/{id}").counter().count();
    }

    private double gauge(String name) {
        return registry.get(name).tag("route", "/echo/{id}").gauge().value();
    }

    @Test
    void aPingIsAnsweredWithItsPayload() {
        openEcho();
        channel.writeInbound(new PingWebSocketFrame(utf8("hi")));
        assertThat(next()).isEqualTo("pong hi");
    }

    @Test
    void thePeersCloseIsEchoedThenTheConnectionCloses() {
        openEcho();
        channel.writeInbound(new CloseWebSocketFrame(4000, "bye"));
        assertThat(next()).isEqualTo("close 4000 bye");
        assertThat(channel.isOpen()).isFalse();
        assertThat(events).containsExactly("onClose 4000 bye");
    }

    @Test
    void aCodecErrorClosesWith1002AndNothingAfterItIsProcessed() {
        openEcho();
        // The violation and a ping behind it, decoded from the same read.
        channel.pipeline().fireExceptionCaught(
                new CorruptedWebSocketFrameException(WebSocketCloseStatus.PROTOCOL_ERROR, "reserved opcode"));
        channel.pipeline().fireChannelRead(new PingWebSocketFrame(utf8("after"))).fireChannelReadComplete();
        assertThat(next()).isEqualTo("close 1002 protocol error");
        assertThat(next()).isNull();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aPeerThatDoesNotReadIsNotReadAndOnlyItsLatestPingIsAnsweredLater() {
        openEcho();
        peerReads(false);
        assertThat(channel.config().isAutoRead()).isFalse();
        channel.writeInbound(new PingWebSocketFrame(utf8("1")), new PingWebSocketFrame(utf8("2")));
        assertThat(next()).isNull();
        peerReads(true);
        assertThat(next()).isEqualTo("pong 2");
        assertThat(next()).isNull();
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void aQuietPeerIsPingedThenDropped() {
        openEcho();
        channel.advanceTimeBy(30, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(next()).isEqualTo("ping");
        channel.advanceTimeBy(20, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        assertThat(events).containsExactly("onClose 1006");
    }

    @Test
    void aCloseThePeerNeverAnswersIsCutAtTheCloseTimeout() {
        openEcho();
        session.close(CloseStatus.NORMAL);
        assertThat(next()).isEqualTo("close 1000");
        channel.advanceTimeBy(4, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void anEventLoopListenerThatOutrunsItsPeerIsClosedWith1008() {
        open(1 << 20, new WebSocketListener() {
            @Override
            public void onMessage(WebSocket ws, Message message) {
                for (int i = 0; i < 3; i++) {
                    ws.send(Message.binary(new byte[SEND_BUFFER]));
                }
            }
        });
        peerReads(false);
        channel.writeInbound(new TextWebSocketFrame("go"));
        // One buffer's worth past the full buffer is allowed, never more: the third message is refused.
        assertThat(next()).startsWith("BinaryWebSocketFrame");
        assertThat(next()).isEqualTo("close 1008 peer too slow to read");
        channel.close();
        assertThat(registry.get("echowall.websocket.slow.closes").tags("reason", "peer_too_slow").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("echowall.websocket.slow.closes").tags("reason", "too_slow_for_room").counter().count())
                .isZero();
    }

    @Test
    void aSingleFrameInflatedPastTheLimitCloses1009() {
        open(4, new WebSocketListener() {
        });
        channel.writeInbound(new TextWebSocketFrame("12345"));
        assertThat(next()).isEqualTo("close 1009 message too big");
    }

    @Test
    void theListenerHearsOfAConnectionThatVanished() {
        openEcho();
        channel.close();
        assertThat(events).containsExactly("onClose 1006");
    }
}
