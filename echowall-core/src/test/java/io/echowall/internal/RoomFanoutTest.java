package io.echowall.internal;

import io.echowall.CloseStatus;
import io.echowall.Message;
import io.echowall.RoomOptions;
import io.echowall.WebSocket;
import io.echowall.WebSocketListener;
import io.echowall.metrics.Meters;
import io.echowall.rooms.LocalBroker;
import io.echowall.rooms.RoomHub;
import io.echowall.rooms.RoomOptionsTable;
import io.echowall.rooms.Seat;
import io.echowall.websocket.Protocol;
import io.echowall.websocket.Session;
import io.echowall.websocket.UpgradeRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Room messages through the real fan-out to one member on an (embedded) event loop, whose water marks
 * are the server's: the channel turns unwritable at half the send buffer. What a slow-consumer policy
 * does must depend on whether the peer takes what it is sent, not on how many messages one round of
 * the loop happens to carry.
 */
class RoomFanoutTest {

    private static final int SEND_BUFFER = 64 << 10;
    private static final int MESSAGE_SIZE = 1024;
    /** Two send buffers' worth: four times what turns the channel unwritable, in one round. */
    private static final int ROUND = 2 * SEND_BUFFER / MESSAGE_SIZE;

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final RoomOptionsTable options = new RoomOptionsTable();
    private final RoomHub hub = new RoomHub(new LocalBroker(), Duration.ofSeconds(5),
            new EventLoopFanout(UnpooledByteBufAllocator.DEFAULT), options);
    private final List<String> closes = new ArrayList<>();

    /** Opens the member's connection, which joins {@code room} as it opens. */
    private void join(String room) {
        hub.open();
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(SEND_BUFFER / 4, SEND_BUFFER / 2));
        WebSocketConnection connection = new WebSocketConnection(1 << 20, SEND_BUFFER,
                new SendBacklog(1 << 20, SEND_BUFFER), null, Meters.of(null).webSocket("/room/{room}"));
        channel.pipeline().addLast(connection);
        Protocol protocol = new Protocol(connection,
                new Protocol.Timing(Duration.ofSeconds(30), Duration.ofSeconds(20), Duration.ofSeconds(5)));
        Session session = Session.listening(connection, protocol,
                new UpgradeRequest("/room", Map.of(), "", "", null, Map.of()),
                new Session.Limits(64, 1 << 20, Duration.ofSeconds(30)), id -> new Seat(hub, connection, id),
                ConcurrentHashMap.newKeySet(), new WebSocketListener() {
                    @Override
                    public void onOpen(WebSocket ws) {
                        ws.join(room);
                    }

                    @Override
                    public void onClose(WebSocket ws, CloseStatus status) {
                        closes.add(status.toString());
                    }
                }, true);
        connection.attach(protocol, session);
        connection.start(Unpooled.EMPTY_BUFFER);
    }

    @AfterEach
    void finish() {
        channel.finishAndReleaseAll();
        hub.close();
    }

    /** Publishes messages {@code 0 .. count-1}, each {@link #MESSAGE_SIZE} bytes, then lets the loop run once. */
    private void publishInOneRound(String room, int count) {
        for (int i = 0; i < count; i++) {
            hub.publish(room, Message.text(String.format("%05d", i) + "x".repeat(MESSAGE_SIZE - 5)));
        }
        channel.runPendingTasks();
    }

    /** What the peer got: the numbers of the room messages, then {@code close CODE REASON} if it came. */
    private List<String> received() {
        List<String> got = new ArrayList<>();
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            try {
                if (out instanceof CloseWebSocketFrame close) {
                    got.add("close " + close.statusCode() + " " + close.reasonText());
                } else if (out instanceof ByteBuf frames) {
                    // Shared room frames, one or a run of them: each a 4-byte header (payload of 126 to
                    // 65535 bytes), then the text.
                    for (int at = frames.readerIndex(); at < frames.writerIndex(); at += 4 + frames.getUnsignedShort(at + 2)) {
                        got.add(frames.toString(at + 4, 5, StandardCharsets.US_ASCII));
                    }
                }
            } finally {
                ReferenceCountUtil.release(out);
            }
        }
        return got;
    }

    private static List<String> numbers(int count) {
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            numbers.add(String.format("%05d", i));
        }
        return numbers;
    }

    @Test
    void aMemberThatTakesEverythingIsNotClosedByABurstLargerThanItsBuffer() {
        join("chat");
        publishInOneRound("chat", ROUND);
        assertThat(received()).containsExactlyElementsOf(numbers(ROUND));
        assertThat(channel.isOpen()).isTrue();
        assertThat(closes).isEmpty();
    }

    @Test
    void aMemberThatTakesEverythingLosesNothingToABurstLargerThanItsBacklog() {
        options.set("feed", RoomOptions.defaults().withSlowConsumer(RoomOptions.SlowConsumer.DROP_OLDEST)
                .withMaxQueuedBytes(4 * MESSAGE_SIZE));
        join("feed");
        publishInOneRound("feed", ROUND);
        assertThat(received()).containsExactlyElementsOf(numbers(ROUND));
    }

    @Test
    void aMemberThatDoesNotTakeItsMessagesIsClosedWith1008() {
        join("chat");
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false); // the peer stopped reading
        channel.runPendingTasks();
        publishInOneRound("chat", 3);
        assertThat(received()).containsExactly("close 1008 too slow for the room");
    }

    @Test
    void aMemberThatDoesNotTakeItsMessagesKeepsOnlyTheNewestWithDropOldest() {
        options.set("feed", RoomOptions.defaults().withSlowConsumer(RoomOptions.SlowConsumer.DROP_OLDEST)
                .withMaxQueuedBytes(4 * MESSAGE_SIZE));
        join("feed");
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        channel.runPendingTasks();
        publishInOneRound("feed", ROUND);
        assertThat(received()).isEmpty();
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true); // it reads again
        channel.runPendingTasks();
        // The backlog holds at most 4 KiB of frames: the three newest whole messages (each is a little
        // over 1 KiB with its header).
        assertThat(received()).containsExactlyElementsOf(numbers(ROUND).subList(ROUND - 3, ROUND));
        assertThat(closes).isEmpty();
    }
}
