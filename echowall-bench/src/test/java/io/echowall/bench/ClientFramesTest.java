package io.echowall.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ClientFramesTest {

    /** Netty's server-side decoder, strict about masking: an independent check of what the generator writes. */
    private static EmbeddedChannel serverDecoder() {
        return new EmbeddedChannel(new WebSocket13FrameDecoder(WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(true).maxFramePayloadLength(1 << 20).build()));
    }

    private static ByteBuf expectedPayload(MessageShape shape, int connectionId, long sequence) {
        ByteBuf payload = Unpooled.buffer();
        shape.writePayload(payload, connectionId, sequence);
        return payload;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15, 16, 17, 64, 125, 126, 65_535, 65_536, 100_000})
    void dataFramesDecodeOnNettysServerCodecToThePayloadThatWasMeant(int size) {
        for (boolean text : new boolean[] {true, false}) {
            MessageShape shape = new MessageShape(size, text);
            EmbeddedChannel server = serverDecoder();
            ByteBuf frames = Unpooled.buffer();
            ClientFrames.writeData(frames, shape, 77, 123_456);
            assertThat(frames.readableBytes()).isEqualTo(ClientFrames.frameLength(size));
            server.writeInbound(frames);
            WebSocketFrame frame = server.readInbound();
            assertThat(frame).isInstanceOf(text ? TextWebSocketFrame.class : BinaryWebSocketFrame.class);
            assertThat(frame.isFinalFragment()).isTrue();
            assertThat(frame.content()).isEqualTo(expectedPayload(shape, 77, 123_456));
            frame.release();
            server.finishAndReleaseAll();
        }
    }

    @Test
    void payloadsAreAsciiNameTheirMessageAndDifferBetweenMessages() {
        MessageShape shape = new MessageShape(40, true);
        String first = expectedPayload(shape, 3, 5).toString(StandardCharsets.US_ASCII);
        String second = expectedPayload(shape, 3, 6).toString(StandardCharsets.US_ASCII);
        assertThat(first).hasSize(40).matches("[0-9a-f]{16}[0-9A-Za-z_-]{24}").startsWith("5000000000300000");
        assertThat(second.substring(16)).isNotEqualTo(first.substring(16));
    }

    @Test
    void closeFramesCarryTheStatusCode() {
        EmbeddedChannel server = serverDecoder();
        ByteBuf frames = Unpooled.buffer();
        ClientFrames.writeClose(frames, ClientFrames.NORMAL_CLOSURE);
        server.writeInbound(frames);
        CloseWebSocketFrame frame = server.readInbound();
        assertThat(frame.statusCode()).isEqualTo(1000);
        frame.release();
        server.finishAndReleaseAll();
    }

    @Test
    void severalFramesInOneBufferDecodeOneByOne() {
        MessageShape shape = new MessageShape(300, false);
        ByteBuf frames = Unpooled.buffer();
        ClientFrames.writeData(frames, shape, 1, 0);
        ClientFrames.writeFrame(frames, ClientFrames.PONG, Unpooled.wrappedBuffer(new byte[] {7}));
        ClientFrames.writeData(frames, shape, 1, 1);
        EmbeddedChannel server = serverDecoder();
        server.writeInbound(frames);
        for (Object expected : new Object[] {expectedPayload(shape, 1, 0), Unpooled.wrappedBuffer(new byte[] {7}), expectedPayload(shape, 1, 1)}) {
            WebSocketFrame frame = server.readInbound();
            assertThat(frame.content()).isEqualTo(expected);
            frame.release();
        }
        server.finishAndReleaseAll();
    }

    @Test
    void hexDigitsComeLeastSignificantFirst() {
        ByteBuf out = Unpooled.buffer();
        out.writeLongLE(MessageShape.hexDigits(0x89ABCDEFL));
        out.writeLongLE(MessageShape.hexDigits(0x01234567L));
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("fedcba9876543210");
    }

    @Test
    void maskingTwiceRestoresTheBytes() {
        byte[] original = "any bytes at all, of an odd length!".getBytes(StandardCharsets.US_ASCII);
        ByteBuf buffer = Unpooled.copiedBuffer(original);
        ClientFrames.mask(buffer, 0, original.length, 0x12345678);
        assertThat(buffer).isNotEqualTo(Unpooled.wrappedBuffer(original));
        ClientFrames.mask(buffer, 0, original.length, 0x12345678);
        assertThat(buffer).isEqualTo(Unpooled.wrappedBuffer(original));
    }
}
