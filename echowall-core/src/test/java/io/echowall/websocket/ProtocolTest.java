package io.echowall.websocket;

import io.echowall.CloseStatus;
import io.echowall.Message;
import io.echowall.WebSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The protocol rules of one connection, driven by events with timers fired by hand: no sockets, no
 * threads, no clock.
 */
class ProtocolTest {

    private static final Duration PING_INTERVAL = Duration.ofSeconds(30);
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final RecordingWire wire = new RecordingWire();
    private final RecordingDelivery delivery = new RecordingDelivery();
    private final Protocol protocol = new Protocol(wire, new Protocol.Timing(PING_INTERVAL, PING_TIMEOUT, CLOSE_TIMEOUT));

    /** A delivery that records what reaches it; whether it holds undelivered messages is up to the test. */
    private static final class RecordingDelivery implements Delivery {
        final List<String> events = new ArrayList<>();
        boolean holdsMessages;

        @Override
        public void open() {
            events.add("open");
        }

        @Override
        public void message(Message message) {
            events.add(message.text());
        }

        @Override
        public void readBurst(boolean inProgress) {
            // Read bursts are the connection's business, not the protocol's.
        }

        @Override
        public boolean endInput() {
            events.add("end of input");
            return !holdsMessages;
        }

        @Override
        public void closed(CloseStatus status) {
            events.add("closed " + status);
        }

        @Override
        public void interrupt() {
            events.add("interrupted");
        }
    }

    @BeforeEach
    void open() {
        protocol.deliverTo(delivery);
        protocol.opened();
        assertThat(wire.take()).containsExactly("reading on");
        assertThat(delivery.events).containsExactly("open");
        delivery.events.clear();
    }

    private static ByteBuffer closePayload(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + text.length).putShort((short) code).put(text).flip();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void messagesReachTheDeliveryInOrder() {
        protocol.messageReceived(Message.text("one"));
        protocol.messageReceived(Message.text("two"));
        assertThat(delivery.events).containsExactly("one", "two");
        assertThat(protocol.state()).isEqualTo(WebSocket.State.OPEN);
    }

    @Test
    void aPingIsAnsweredWithItsPayload() {
        protocol.pingReceived(bytes("hi"));
        assertThat(wire.take()).containsExactly("pong hi");
    }

    @Test
    void aPeerThatDoesNotReadIsNotReadAndOnlyItsLatestPingIsAnsweredLater() {
        protocol.writabilityChanged(false);
        assertThat(wire.take()).containsExactly("reading off");
        protocol.pingReceived(bytes("1"));
        protocol.pingReceived(bytes("2"));
        protocol.pingReceived(bytes("3"));
        assertThat(wire.take()).isEmpty();
        protocol.writabilityChanged(true);
        assertThat(wire.take()).containsExactly("pong 3", "reading on");
    }

    @Test
    void readingPausesForEachReasonAndResumesWhenNoneIsLeft() {
        protocol.pause(Pause.INBOX_FULL, true);
        protocol.pause(Pause.INFLATING, true);
        protocol.pause(Pause.INBOX_FULL, false);
        assertThat(wire.take()).containsExactly("reading off");
        protocol.pause(Pause.INFLATING, false);
        assertThat(wire.take()).containsExactly("reading on");
    }

    @Test
    void aQuietPeerIsPingedAndDroppedIfItStaysQuiet() {
        assertThat(wire.armed).containsEntry(Wire.Timer.KEEPALIVE, PING_INTERVAL);
        protocol.timerFired(Wire.Timer.KEEPALIVE);
        assertThat(wire.take()).containsExactly("ping");
        assertThat(wire.armed).containsEntry(Wire.Timer.KEEPALIVE, PING_TIMEOUT);
        protocol.timerFired(Wire.Timer.KEEPALIVE);
        assertThat(wire.take()).containsExactly("abort");
    }

    @Test
    void aPeerHeardFromIsNeverPinged() {
        protocol.messageReceived(Message.text("alive"));
        protocol.timerFired(Wire.Timer.KEEPALIVE);
        assertThat(wire.take()).isEmpty();
        assertThat(wire.armed).containsEntry(Wire.Timer.KEEPALIVE, PING_INTERVAL);
        protocol.timerFired(Wire.Timer.KEEPALIVE);
        protocol.pongReceived(); // the answer to the ping: the peer lives
        protocol.timerFired(Wire.Timer.KEEPALIVE);
        assertThat(wire.take()).containsExactly("ping");
    }

    @Test
    void thePeersCloseIsEchoedAndTheServerClosesTcpFirst() {
        protocol.closeReceived(closePayload(4000, "bye"));
        assertThat(wire.take()).containsExactly("close 4000 bye", "shutdown output");
        assertThat(wire.armed).containsEntry(Wire.Timer.CLOSE, CLOSE_TIMEOUT);
        assertThat(protocol.state()).isEqualTo(WebSocket.State.CLOSING);
        protocol.connectionLost();
        assertThat(protocol.state()).isEqualTo(WebSocket.State.CLOSED);
        assertThat(delivery.events).containsExactly("end of input", "closed 4000 bye");
        assertThat(wire.armed).isEmpty();
    }

    @Test
    void anEmptyCloseIsAnsweredEmptyAndReportedAs1005() {
        protocol.closeReceived(ByteBuffer.allocate(0));
        assertThat(wire.take()).containsExactly("close 1005", "shutdown output");
        assertThat(protocol.closeStatus().code()).isEqualTo(1005);
    }

    @Test
    void aCloseWithACodeThatMayNotBeSentFailsWith1002() {
        protocol.closeReceived(closePayload(1005, ""));
        assertThat(wire.take()).containsExactly("close " + Closes.INVALID_CLOSE_CODE, "shutdown output");
    }

    @Test
    void aOneByteClosePayloadFailsWith1002() {
        protocol.closeReceived(ByteBuffer.wrap(new byte[] {3}));
        assertThat(wire.take()).containsExactly("close " + Closes.INVALID_CLOSE_CODE, "shutdown output");
    }

    @Test
    void aCloseReasonThatIsNotUtf8FailsWith1007() {
        ByteBuffer payload = ByteBuffer.allocate(4).putShort((short) 1000).put((byte) 0xC3).put((byte) 0x28).flip();
        protocol.closeReceived(payload);
        assertThat(wire.take()).containsExactly("close " + Closes.INVALID_UTF8, "shutdown output");
    }

    @Test
    void nothingAfterAViolationIsProcessed() {
        protocol.violation(Closes.INVALID_COMPRESSED_DATA);
        protocol.pingReceived(bytes("after"));
        protocol.messageReceived(Message.text("after"));
        protocol.closeReceived(closePayload(1000, ""));
        assertThat(wire.take()).containsExactly("close " + Closes.INVALID_COMPRESSED_DATA, "shutdown output");
        assertThat(delivery.events).containsExactly("end of input");
        assertThat(protocol.closeStatus()).isEqualTo(Closes.INVALID_COMPRESSED_DATA);
    }

    @Test
    void nothingAfterThePeersCloseIsProcessed() {
        protocol.closeReceived(closePayload(1000, ""));
        wire.take();
        protocol.messageReceived(Message.text("late"));
        protocol.pingReceived(bytes("late"));
        assertThat(wire.take()).isEmpty();
        assertThat(delivery.events).containsExactly("end of input");
    }

    @Test
    void theCloseWaitsUntilTheHandlerTookWhatCameBeforeIt() {
        delivery.holdsMessages = true;
        protocol.messageReceived(Message.text("one"));
        protocol.closeReceived(closePayload(1000, ""));
        assertThat(wire.take()).isEmpty();
        assertThat(wire.armed).containsEntry(Wire.Timer.DRAIN, CLOSE_TIMEOUT);
        protocol.inputDrained();
        assertThat(wire.take()).containsExactly("close 1000", "shutdown output");
        assertThat(wire.armed).doesNotContainKey(Wire.Timer.DRAIN);
    }

    @Test
    void aHandlerThatNeverDrainsGetsTheCloseSentWhenItsTimeRunsOut() {
        delivery.holdsMessages = true;
        protocol.violation(Closes.PROTOCOL_ERROR);
        assertThat(wire.take()).isEmpty();
        protocol.timerFired(Wire.Timer.DRAIN);
        assertThat(wire.take()).containsExactly("close " + Closes.PROTOCOL_ERROR, "shutdown output");
    }

    @Test
    void anAppCloseWaitsForThePeersAnswerThenClosesTcp() {
        assertThat(protocol.beginClose(CloseStatus.NORMAL)).isTrue();
        assertThat(protocol.beginClose(new CloseStatus(4000, "second"))).isFalse();
        assertThat(protocol.state()).isEqualTo(WebSocket.State.CLOSING);
        protocol.sendBegunClose();
        assertThat(wire.take()).containsExactly("close 1000");
        protocol.messageReceived(Message.text("still delivered")); // section 1.4: data may still arrive
        protocol.closeReceived(closePayload(1000, ""));
        assertThat(wire.take()).containsExactly("shutdown output");
        assertThat(delivery.events).containsExactly("still delivered", "end of input");
    }

    @Test
    void aPeerThatNeverAnswersTheCloseIsCutAtTheCloseTimeoutEvenIfItNeverReadsTheClose() {
        protocol.beginClose(Closes.SLOW_PEER);
        protocol.sendBegunClose();
        assertThat(wire.armed).containsEntry(Wire.Timer.CLOSE, CLOSE_TIMEOUT);
        protocol.timerFired(Wire.Timer.CLOSE);
        assertThat(wire.take()).containsExactly("close " + Closes.SLOW_PEER, "abort");
    }

    @Test
    void goingAwayHandlesWhatCameButTakesNoNewMessageAndStillAnswersPingsAndTheClose() {
        delivery.holdsMessages = true;
        protocol.goingAway(Duration.ofSeconds(2));
        assertThat(wire.armed).containsEntry(Wire.Timer.DRAIN, Duration.ofSeconds(2));
        protocol.messageReceived(Message.text("too late"));
        protocol.pingReceived(bytes("still"));
        assertThat(wire.take()).containsExactly("pong still");
        protocol.inputDrained();
        assertThat(wire.take()).containsExactly("close " + Closes.SHUTTING_DOWN);
        protocol.closeReceived(closePayload(1001, ""));
        assertThat(wire.take()).containsExactly("shutdown output");
        assertThat(delivery.events).containsExactly("end of input");
    }

    @Test
    void noPongAfterTheCloseFrame() {
        protocol.beginClose(CloseStatus.NORMAL);
        protocol.sendBegunClose();
        wire.take();
        protocol.pingReceived(bytes("late"));
        assertThat(wire.take()).isEmpty();
    }

    @Test
    void aConnectionLostWithoutAnyCloseIsReportedAs1006() {
        protocol.connectionLost();
        assertThat(delivery.events).containsExactly("closed 1006");
        assertThat(protocol.state()).isEqualTo(WebSocket.State.CLOSED);
        protocol.connectionLost();
        assertThat(delivery.events).hasSize(1);
    }

    @Test
    void aPeerOverItsRateLimitIsNotReadUntilTheLimitAllowsItAgain() {
        long[] now = {0};
        protocol.limitRate(RateLimit.of(2, 0, () -> now[0])); // 2 messages a second, a burst of 2
        for (String text : List.of("a", "b", "c", "d")) {
            protocol.messageReceived(Message.text(text));
        }
        // c goes over: it is handed over, into debt, and reading pauses for the half second the debt lasts;
        // d came in the same read, so it waits.
        assertThat(delivery.events).containsExactly("a", "b", "c");
        assertThat(wire.take()).containsExactly("reading off");
        assertThat(wire.armed).containsEntry(Wire.Timer.RATE_LIMIT, Duration.ofMillis(500));

        now[0] = Duration.ofMillis(500).toNanos();
        protocol.timerFired(Wire.Timer.RATE_LIMIT);
        assertThat(delivery.events).containsExactly("a", "b", "c", "d");
        assertThat(wire.take()).as("d put the peer in debt again").isEmpty();
        assertThat(wire.armed).containsEntry(Wire.Timer.RATE_LIMIT, Duration.ofMillis(500));

        now[0] = Duration.ofMillis(1000).toNanos();
        protocol.timerFired(Wire.Timer.RATE_LIMIT);
        assertThat(wire.take()).containsExactly("reading on");
    }

    @Test
    void messagesHeldByTheRateLimitAreHandedOverBeforeTheInputEnds() {
        protocol.limitRate(RateLimit.of(1, 0, () -> 0));
        for (String text : List.of("x", "y", "z")) {
            protocol.messageReceived(Message.text(text));
        }
        assertThat(delivery.events).containsExactly("x", "y");
        protocol.closeReceived(closePayload(1000, "bye"));
        assertThat(delivery.events).containsExactly("x", "y", "z", "end of input");
    }

    @Test
    void theByteRateLimitCountsMessageSizes() {
        long[] now = {0};
        protocol.limitRate(RateLimit.of(0, 1000, () -> now[0])); // 1000 bytes a second
        protocol.messageReceived(Message.text("x".repeat(1000)));
        assertThat(wire.take()).isEmpty();
        protocol.messageReceived(Message.text("y".repeat(250)));
        assertThat(wire.take()).containsExactly("reading off");
        assertThat(wire.armed).containsEntry(Wire.Timer.RATE_LIMIT, Duration.ofMillis(250));
    }
}
