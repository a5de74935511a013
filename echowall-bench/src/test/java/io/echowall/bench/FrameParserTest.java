package io.echowall.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FrameParserTest {

    /** Records what the parser reports as readable strings. */
    private static final class Events implements FrameParser.Listener {
        final List<String> events = new ArrayList<>();
        private final StringBuilder message = new StringBuilder();

        @Override
        public void onMessageStart(boolean text) {
            message.setLength(0);
            message.append(text ? "text:" : "binary:");
        }

        @Override
        public void onMessagePayload(ByteBuf buffer, int index, int length) {
            message.append(buffer.toString(index, length, StandardCharsets.ISO_8859_1));
        }

        @Override
        public void onMessageEnd() {
            events.add(message.toString());
        }

        @Override
        public void onControlFrame(int opcode, ByteBuf payload) {
            events.add("control " + opcode + ":" + ByteBufUtil.hexDump(payload));
        }

        @Override
        public void onProtocolError(String problem) {
            events.add("error: " + problem);
        }
    }

    private static byte[] frame(boolean fin, int opcode, byte[] payload) {
        ByteBuf out = Unpooled.buffer();
        out.writeByte((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            out.writeByte(payload.length);
        } else if (payload.length <= 0xFFFF) {
            out.writeByte(126).writeShort(payload.length);
        } else {
            out.writeByte(127).writeLong(payload.length);
        }
        out.writeBytes(payload);
        return ByteBufUtil.getBytes(out);
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuf out = Unpooled.buffer();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return ByteBufUtil.getBytes(out);
    }

    private static List<String> parseInChunks(byte[] bytes, int chunk) {
        Events events = new Events();
        FrameParser parser = new FrameParser(events);
        for (int i = 0; i < bytes.length; i += chunk) {
            parser.feed(Unpooled.wrappedBuffer(bytes, i, Math.min(chunk, bytes.length - i)));
        }
        return events.events;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void reportsEveryKindOfFrameWhateverHowTheBytesAreSplit() {
        byte[] medium = ascii("m".repeat(300));
        byte[] large = ascii("L".repeat(70_000));
        byte[] stream = concat(
                frame(true, ClientFrames.TEXT, ascii("hello")),
                frame(true, ClientFrames.BINARY, new byte[0]),
                frame(false, ClientFrames.TEXT, ascii("frag")),
                frame(true, ClientFrames.PING, new byte[] {1, 2}),
                frame(true, ClientFrames.CONTINUATION, ascii("mented")),
                frame(true, ClientFrames.BINARY, medium),
                frame(true, ClientFrames.BINARY, large),
                frame(true, ClientFrames.CLOSE, new byte[] {0x03, (byte) 0xE8}));
        List<String> expected = List.of("text:hello", "binary:", "control 9:0102", "text:fragmented",
                "binary:" + "m".repeat(300), "binary:" + "L".repeat(70_000), "control 8:03e8");
        for (int chunk : new int[] {1, 2, 3, 7, 64, 1000, stream.length}) {
            assertThat(parseInChunks(stream, chunk)).as("chunks of %d bytes", chunk).isEqualTo(expected);
        }
    }

    @Test
    void rejectsAMaskedServerFrame() {
        byte[] masked = {(byte) 0x81, (byte) 0x81, 1, 2, 3, 4, 'x'};
        assertThat(parseInChunks(masked, masked.length)).singleElement().asString().contains("masked");
    }

    @Test
    void rejectsReservedBitsOpcodesAndBrokenFragmentation() {
        assertThat(parseInChunks(new byte[] {(byte) 0xC1, 0}, 2)).singleElement().asString().contains("RSV");
        assertThat(parseInChunks(new byte[] {(byte) 0x83, 0}, 2)).singleElement().asString().contains("opcode 3");
        assertThat(parseInChunks(frame(true, ClientFrames.CONTINUATION, ascii("x")), 10)).singleElement().asString()
                .contains("continuation");
        byte[] twoStarts = concat(frame(false, ClientFrames.TEXT, ascii("a")), frame(true, ClientFrames.TEXT, ascii("b")));
        assertThat(parseInChunks(twoStarts, 10)).singleElement().asString().contains("before the previous message ended");
        assertThat(parseInChunks(frame(false, ClientFrames.PING, new byte[0]), 10)).singleElement().asString()
                .contains("control frame");
        assertThat(parseInChunks(frame(true, ClientFrames.PING, new byte[126]), 200)).singleElement().asString()
                .contains("control frame");
    }

    @Test
    void ignoresEverythingAfterAProtocolError() {
        byte[] stream = concat(new byte[] {(byte) 0x83, 0}, frame(true, ClientFrames.TEXT, ascii("late")));
        assertThat(parseInChunks(stream, stream.length)).hasSize(1);
    }
}
