package io.echowall.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryCheckTest {
    private static final long NOW = 1_000_000_000_000L;
    private static final long[] PUBLISHED = {100, 100, 100};

    /** The message as a subscriber receives it: what the publisher's frame carries, unmasked by Netty's server decoder. */
    private static byte[] message(FanoutShape shape, FanoutProtocol protocol, int publisher, long sequence, long sentNanos) {
        ByteBuf frame = Unpooled.buffer();
        shape.writeFrame(frame, protocol, publisher, sequence, sentNanos);
        EmbeddedChannel server = new EmbeddedChannel(new WebSocket13FrameDecoder(WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(true).maxFramePayloadLength(1 << 20).build()));
        server.writeInbound(frame);
        WebSocketFrame decoded = server.readInbound();
        assertThat(decoded instanceof TextWebSocketFrame).isEqualTo(shape.text());
        byte[] bytes = ByteBufUtil.getBytes(decoded.content());
        decoded.release();
        server.finishAndReleaseAll();
        return bytes;
    }

    /** Feeds one message in chunks of {@code chunk} bytes and returns where it was placed. */
    private static Placement receive(DeliveryCheck check, byte[] bytes, boolean text, int chunk) {
        check.begin(text);
        for (int i = 0; i < bytes.length; i += chunk) {
            check.accept(Unpooled.wrappedBuffer(bytes), i, Math.min(chunk, bytes.length - i));
        }
        return check.end(publisher -> PUBLISHED[publisher], NOW);
    }

    @ParameterizedTest(name = "{0} bytes, {1}")
    @CsvSource({"32, WEBSOCKET", "33, WEBSOCKET", "64, WEBSOCKET", "1000, WEBSOCKET", "70000, WEBSOCKET",
        "32, SOCKET_IO", "64, SOCKET_IO", "1000, SOCKET_IO"})
    void identifiesAndTimesEveryMessageHoweverItIsSplit(int size, FanoutProtocol protocol) {
        FanoutShape shape = new FanoutShape(size, true);
        DeliveryCheck check = new DeliveryCheck(shape, protocol, 3);
        for (long sequence = 0; sequence < 40; sequence++) {
            int publisher = (int) (sequence % 3);
            long sentNanos = sequence * 1_000_003 + 0x1_2345_6789L;
            byte[] bytes = message(shape, protocol, publisher, sequence / 3, sentNanos);
            int chunk = sequence % 2 == 0 ? bytes.length : 1 + (int) (sequence % 7) * 5;
            assertThat(receive(check, bytes, true, chunk)).isEqualTo(Placement.IN_ORDER);
            assertThat(check.intact()).isTrue();
            assertThat(check.publisher()).isEqualTo(publisher);
            assertThat(check.sequence()).isEqualTo(sequence / 3);
            assertThat(check.sentNanos()).isEqualTo(sentNanos);
        }
        if (protocol == FanoutProtocol.SOCKET_IO) {
            assertThat(new String(message(shape, protocol, 1, 2, 3), StandardCharsets.US_ASCII))
                    .startsWith("42[\"m\",\"").endsWith("\"]");
        }
    }

    @Test
    void damageAnywhereMakesAPlacedMessageCorrupt() {
        FanoutShape shape = new FanoutShape(64, true);
        byte[] good = message(shape, FanoutProtocol.SOCKET_IO, 0, 0, 5);
        for (int damaged : new int[] {0, 7, 40, good.length - 1}) {
            byte[] bytes = good.clone();
            bytes[damaged] ^= 1;
            for (int chunk : new int[] {bytes.length, 3}) {
                DeliveryCheck check = new DeliveryCheck(shape, FanoutProtocol.SOCKET_IO, 3);
                assertThat(receive(check, bytes, true, chunk)).as("byte %d", damaged).isEqualTo(Placement.IN_ORDER);
                assertThat(check.intact()).as("byte %d, chunks of %d", damaged, chunk).isFalse();
            }
        }
        DeliveryCheck check = new DeliveryCheck(shape, FanoutProtocol.SOCKET_IO, 3);
        assertThat(receive(check, good, false, good.length)).isEqualTo(Placement.IN_ORDER);
        assertThat(check.intact()).as("binary instead of text").isFalse();
        byte[] longer = new byte[good.length + 1];
        System.arraycopy(good, 0, longer, 0, good.length);
        check = new DeliveryCheck(shape, FanoutProtocol.SOCKET_IO, 3);
        receive(check, longer, true, 10);
        assertThat(check.intact()).as("one byte too many").isFalse();
    }

    @Test
    void aMessageThatNamesNothingPublishedIsUnidentified() {
        FanoutShape shape = new FanoutShape(64, true);
        DeliveryCheck check = new DeliveryCheck(shape, FanoutProtocol.WEBSOCKET, 3);
        byte[] notHex = message(shape, FanoutProtocol.WEBSOCKET, 0, 0, 5);
        notHex[3] = 'X';
        assertThat(receive(check, notHex, true, 64)).isEqualTo(Placement.UNIDENTIFIED);
        assertThat(receive(check, message(shape, FanoutProtocol.WEBSOCKET, 3, 0, 5), true, 64))
                .as("an unknown publisher").isEqualTo(Placement.UNIDENTIFIED);
        assertThat(receive(check, message(shape, FanoutProtocol.WEBSOCKET, 1, 100, 5), true, 64))
                .as("a message not published yet").isEqualTo(Placement.UNIDENTIFIED);
        assertThat(receive(check, message(shape, FanoutProtocol.WEBSOCKET, 1, 0, NOW + 1), true, 64))
                .as("a send time in the future").isEqualTo(Placement.UNIDENTIFIED);
        assertThat(receive(check, "ready".getBytes(StandardCharsets.US_ASCII), true, 5)).isEqualTo(Placement.UNIDENTIFIED);
        assertThat(check.intact()).isFalse();
    }

    @Test
    void eachPublisherHasItsOwnSequence() {
        FanoutShape shape = new FanoutShape(48, false);
        DeliveryCheck check = new DeliveryCheck(shape, FanoutProtocol.WEBSOCKET, 3);
        assertThat(receive(check, message(shape, FanoutProtocol.WEBSOCKET, 0, 0, 1), false, 48)).isEqualTo(Placement.IN_ORDER);
        assertThat(receive(check, message(shape, FanoutProtocol.WEBSOCKET, 2, 0, 1), false, 48)).isEqualTo(Placement.IN_ORDER);
        assertThat(receive(check, message(shape, FanoutProtocol.WEBSOCKET, 0, 2, 1), false, 48)).isEqualTo(Placement.AHEAD);
        assertThat(receive(check, message(shape, FanoutProtocol.WEBSOCKET, 2, 0, 1), false, 48)).isEqualTo(Placement.DUPLICATE);
        assertThat(receive(check, message(shape, FanoutProtocol.WEBSOCKET, 0, 1, 1), false, 48)).isEqualTo(Placement.LATE);
        assertThat(receive(check, message(shape, FanoutProtocol.WEBSOCKET, 2, 1, 1), false, 48)).isEqualTo(Placement.IN_ORDER);
    }

    @Test
    void tellsEngineIoPacketsByTheirFirstBytes() {
        DeliveryCheck check = new DeliveryCheck(new FanoutShape(64, true), FanoutProtocol.SOCKET_IO, 1);
        receive(check, new byte[] {'2'}, true, 1);
        assertThat(check.was(FanoutProtocol.PING, -1)).isTrue();
        receive(check, "41".getBytes(StandardCharsets.US_ASCII), true, 2);
        assertThat(check.was(FanoutProtocol.PING, -1)).isFalse();
        assertThat(check.startedWith(FanoutProtocol.MESSAGE, FanoutProtocol.DISCONNECT)).isTrue();
    }

    @Test
    void hexDigitsReadBackToTheirValueAndAnythingElseIsRefused() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            long value = random.nextLong() & 0xFFFFFFFFL;
            assertThat(MessageShape.hexDigitsValue(MessageShape.hexDigits(value))).isEqualTo(value);
        }
        long digits = MessageShape.hexDigits(0xABCDEF01L);
        for (int at = 0; at < 8; at++) {
            for (int b : new int[] {'A', 'g', ':', '/', '`', 0x80 | '1', 0}) {
                long changed = digits & ~(0xFFL << (8 * at)) | (long) b << (8 * at);
                assertThat(MessageShape.hexDigitsValue(changed)).as("byte %d = %x", at, b).isEqualTo(-1);
            }
        }
    }
}
