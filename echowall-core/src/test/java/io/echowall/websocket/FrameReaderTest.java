package io.echowall.websocket;

import io.echowall.Message;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FrameReaderTest {

    private static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};
    private static final int MAX = 100_000;

    /** A client frame: FIN flag, opcode, masked payload. */
    static byte[] frame(boolean fin, int opcode, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            out.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            out.write(0x80 | 126);
            out.write(payload.length >> 8);
            out.write(payload.length);
        } else {
            out.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) payload.length >> shift));
            }
        }
        out.writeBytes(MASK);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ MASK[i % 4]);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Records what a reader finds, as strings. */
    private static final class Recorder implements FrameReader.Frames {
        final List<String> seen = new ArrayList<>();
        final List<Message> messages = new ArrayList<>();

        @Override
        public void message(Message message) {
            messages.add(message);
            seen.add(message.isText() ? "text " + message.text() : "binary " + message.size());
        }

        @Override
        public void ping(byte[] payload) {
            seen.add("ping " + new String(payload, StandardCharsets.UTF_8));
        }

        @Override
        public void pong() {
            seen.add("pong");
        }

        @Override
        public void close(ByteBuffer payload) {
            seen.add("close " + payload.remaining());
        }

        @Override
        public void violation(Closes.Violation violation) {
            seen.add(violation.name());
        }
    }

    /** Reads {@code wire} in pieces of {@code piece} bytes, from a direct buffer as the network gives them. */
    private static Recorder read(byte[] wire, int piece) {
        Recorder recorder = new Recorder();
        FrameReader reader = new FrameReader(MAX, recorder);
        for (int i = 0; i < wire.length; i += piece) {
            int n = Math.min(piece, wire.length - i);
            ByteBuffer direct = ByteBuffer.allocateDirect(n + 3).position(3);
            direct.put(wire, i, n).flip().position(3);
            reader.read(direct);
        }
        return recorder;
    }

    @Test
    void readsTextOfEverySizeWholeAndInPieces() {
        for (int size : new int[] {0, 1, 7, 8, 9, 125, 126, 200, 65535, 65536, 70_001}) {
            byte[] payload = utf8("✓a".repeat(size / 4 + 1));
            byte[] text = Arrays.copyOf(payload, Math.min(payload.length, size));
            int end = text.length; // trim to a whole character so the message itself is valid
            while (end > 0 && (text[end - 1] & 0xC0) == 0x80) {
                end--;
            }
            if (end > 0 && (text[end - 1] & 0x80) != 0) {
                end--;
            }
            byte[] valid = Arrays.copyOf(text, end);
            byte[] wire = frame(true, 1, valid);
            for (int piece : new int[] {wire.length, 1, 3, 7, 4096}) {
                Recorder recorder = read(wire, piece);
                assertThat(recorder.messages).as("size %d in pieces of %d", size, piece)
                        .containsExactly(Message.wrap(true, valid));
            }
        }
    }

    @Test
    void joinsFragmentsWithControlFramesBetweenAndACharacterSplitAcrossThem() {
        byte[] euro = utf8("€");
        byte[] wire = concat(
                frame(false, 1, new byte[] {'a', euro[0]}),
                frame(true, 9, utf8("ping")),
                frame(false, 0, new byte[] {euro[1]}),
                frame(true, 10, new byte[0]),
                frame(true, 0, new byte[] {euro[2], 'b'}),
                frame(true, 2, new byte[] {(byte) 0xFF, (byte) 0xC0}));
        for (int piece : new int[] {wire.length, 1, 5}) {
            assertThat(read(wire, piece).seen).containsExactly("ping ping", "pong", "text a€b", "binary 2");
        }
    }

    @Test
    void binaryPayloadsAreNotCheckedAsText() {
        byte[] junk = {(byte) 0xFF, (byte) 0xFE, (byte) 0xC0, (byte) 0xED, (byte) 0xA0, (byte) 0x80, 1, 2, 3};
        byte[] wire = concat(frame(false, 2, junk), frame(true, 0, junk));
        Recorder recorder = read(wire, wire.length);
        assertThat(recorder.messages).containsExactly(Message.wrap(false, concat(junk, junk)));
    }

    @Test
    void failsAtTheReadHoldingTheFirstInvalidByteBeforeTheFrameEnds() {
        byte[] payload = concat(utf8("κόσμε"), new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, utf8("edited"));
        byte[] wire = concat(frame(true, 1, utf8("before")), frame(true, 1, payload));
        int surrogateSecondByte = wire.length - payload.length + utf8("κόσμε").length + 1;
        Recorder recorder = new Recorder();
        FrameReader reader = new FrameReader(MAX, recorder);
        reader.read(ByteBuffer.wrap(wire, 0, surrogateSecondByte));
        assertThat(recorder.seen).containsExactly("text before"); // 0xED could still begin a character
        reader.read(ByteBuffer.wrap(wire, surrogateSecondByte, 1)); // 0xED must be followed by 80..9F
        assertThat(recorder.seen).containsExactly("text before", "INVALID_UTF8");
        assertThat(reader.isDone()).isTrue();
        reader.read(ByteBuffer.wrap(frame(true, 1, utf8("after"))));
        assertThat(recorder.seen).containsExactly("text before", "INVALID_UTF8");
    }

    @Test
    void findsAnInvalidByteAtEveryPlaceInAndAcrossEightByteWords() {
        byte[][] invalid = {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
                {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
                {(byte) 0xF5}, {(byte) 0x80}, {(byte) 0xE2, (byte) 0x82, 'x'}};
        for (byte[] bad : invalid) {
            for (int at = 0; at < 24; at++) {
                byte[] payload = concat(utf8("a".repeat(at)), bad, utf8("b".repeat(20)));
                byte[] wire = frame(true, 1, payload);
                for (int piece : new int[] {wire.length, 1, 6, 9}) {
                    assertThat(read(wire, piece).seen).as("%s at %d in pieces of %d", Arrays.toString(bad), at, piece)
                            .containsExactly("INVALID_UTF8");
                }
            }
        }
    }

    @Test
    void acceptsEveryCharacterLengthAtEveryPlaceInAndAcrossEightByteWords() {
        for (String character : new String[] {"é", "€", "回", "\uD83C\uDF89", "\uDBFF\uDFFF", "\uE000", "\uD7FF"}) {
            for (int at = 0; at < 24; at++) {
                String text = "a".repeat(at) + character + "b".repeat(at % 9) + character;
                byte[] wire = frame(true, 1, utf8(text));
                for (int piece : new int[] {wire.length, 1, 5, 8}) {
                    assertThat(read(wire, piece).seen).as("%s at %d in pieces of %d", character, at, piece)
                            .containsExactly("text " + text);
                }
            }
        }
    }

    @Test
    void failsAMessageThatEndsInsideACharacter() {
        byte[] euro = utf8("€");
        byte[] wire = concat(frame(false, 1, new byte[] {euro[0], euro[1]}), frame(true, 0, new byte[0]));
        assertThat(read(wire, wire.length).seen).containsExactly("INVALID_UTF8");
        assertThat(read(frame(true, 1, new byte[] {'a', (byte) 0xF0, (byte) 0x9F}), 1).seen).containsExactly("INVALID_UTF8");
    }

    @Test
    void framesThatBreakTheProtocolFailIt() {
        byte[] reservedBit = frame(true, 1, utf8("x"));
        reservedBit[0] |= 0x40;
        byte[] unmasked = {(byte) 0x81, 0x01, 'x'};
        byte[] reservedOpcode = frame(true, 3, utf8("x"));
        byte[] reservedControl = frame(true, 11, utf8("x"));
        byte[] fragmentedPing = frame(false, 9, utf8("x"));
        byte[] longPing = frame(true, 9, new byte[126]);
        byte[] continuationFirst = frame(true, 0, utf8("x"));
        byte[] textInsideAMessage = concat(frame(false, 1, utf8("x")), frame(true, 1, utf8("y")));
        byte[] notMinimal16 = {(byte) 0x82, (byte) (0x80 | 126), 0, 5, 1, 2, 3, 4, 0, 0, 0, 0, 0};
        byte[] notMinimal64 = {(byte) 0x82, (byte) (0x80 | 127), 0, 0, 0, 0, 0, 0, 0, 5, 1, 2, 3, 4, 0, 0, 0, 0, 0};
        byte[] topBitSet = {(byte) 0x82, (byte) 0xFF, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4};
        for (byte[] wire : List.of(reservedBit, unmasked, reservedOpcode, reservedControl, fragmentedPing, longPing,
                continuationFirst, textInsideAMessage, notMinimal16, notMinimal64, topBitSet)) {
            assertThat(read(wire, 1).seen).as(Arrays.toString(wire)).containsExactly("PROTOCOL");
        }
    }

    @Test
    void anUnmaskedFrameFailsAtItsSecondByte() {
        Recorder recorder = new Recorder();
        new FrameReader(MAX, recorder).read(ByteBuffer.wrap(new byte[] {(byte) 0x81, 0x7F}));
        assertThat(recorder.seen).containsExactly("PROTOCOL");
    }

    @Test
    void aMessageOverTheLimitFailsAtTheHeaderThatTakesItOver() {
        Recorder single = new Recorder();
        byte[] big = frame(true, 2, new byte[MAX + 1]);
        new FrameReader(MAX, single).read(ByteBuffer.wrap(big, 0, 14)); // the header only
        assertThat(single.seen).containsExactly("MESSAGE_TOO_BIG");

        byte[] exactly = frame(true, 2, new byte[MAX]);
        assertThat(read(exactly, 4096).messages).hasSize(1);

        byte[] fragmented = concat(frame(false, 2, new byte[MAX / 2]), frame(false, 0, new byte[MAX / 2]),
                frame(true, 0, new byte[1]));
        assertThat(read(fragmented, 4096).seen).containsExactly("MESSAGE_TOO_BIG");
    }

    @Test
    void nothingAfterACloseFrameIsRead() {
        byte[] wire = concat(frame(true, 1, utf8("a")), frame(true, 8, new byte[] {0x03, (byte) 0xE8, 'o', 'k'}),
                frame(true, 1, utf8("b")));
        assertThat(read(wire, wire.length).seen).containsExactly("text a", "close 4");
    }

    @Test
    void emptyMessagesAndControlFramesAreRead() {
        byte[] wire = concat(frame(true, 1, new byte[0]), frame(true, 2, new byte[0]), frame(true, 9, new byte[0]),
                frame(true, 8, new byte[0]));
        assertThat(read(wire, 1).seen).containsExactly("text ", "binary 0", "ping ", "close 0");
    }
}
