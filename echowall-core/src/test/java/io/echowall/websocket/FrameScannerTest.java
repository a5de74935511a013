package io.echowall.websocket;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class FrameScannerTest {

    private static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};

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

    @Test
    void passesValidTextOfEverySizeWholeAndInPieces() {
        for (int size : new int[] {0, 1, 7, 8, 9, 125, 126, 200, 65535, 65536, 70_001}) {
            byte[] payload = utf8("✓a".repeat(size / 4 + 1)).clone();
            byte[] text = java.util.Arrays.copyOf(payload, Math.min(payload.length, size));
            // Trim to a whole character so the message itself is valid.
            int end = text.length;
            while (end > 0 && (text[end - 1] & 0xC0) == 0x80) {
                end--;
            }
            if (end > 0 && (text[end - 1] & 0x80) != 0) {
                end--;
            }
            byte[] wire = frame(true, 1, java.util.Arrays.copyOf(text, end));
            FrameScanner whole = new FrameScanner();
            assertThat(whole.scan(ByteBuffer.wrap(wire))).isEqualTo(wire.length);
            FrameScanner pieces = new FrameScanner();
            for (int i = 0; i < wire.length; i += 3) {
                int n = Math.min(3, wire.length - i);
                assertThat(pieces.scan(ByteBuffer.wrap(wire, i, n).slice())).isEqualTo(n);
            }
            assertThat(pieces.failed()).isFalse();
        }
    }

    @Test
    void stopsAtTheFirstInvalidByteBeforeTheFrameEnds() {
        byte[] payload = concat(utf8("valid prefix, then "), new byte[] {(byte) 0xC0, (byte) 0xAF}, utf8(" and more"));
        byte[] wire = frame(true, 1, payload);
        int headerLength = wire.length - payload.length;
        int badIndex = headerLength + utf8("valid prefix, then ").length; // 0xC0 can never start a character
        FrameScanner scanner = new FrameScanner();
        assertThat(scanner.scan(ByteBuffer.wrap(wire))).isEqualTo(badIndex);
        assertThat(scanner.failed()).isTrue();
    }

    @Test
    void failsAtTheInvalidChopWhenTheFrameArrivesInChops() {
        byte[] payload = concat(utf8("κόσμε"), new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, utf8("edited"));
        byte[] wire = frame(true, 1, payload);
        int header = wire.length - payload.length;
        int firstChop = header + utf8("κόσμε").length;
        FrameScanner scanner = new FrameScanner();
        assertThat(scanner.scan(ByteBuffer.wrap(wire, 0, firstChop).slice())).isEqualTo(firstChop);
        // The surrogate is ruled out at its second byte (0xED must be followed by 80..9F).
        assertThat(scanner.scan(ByteBuffer.wrap(wire, firstChop, 3).slice())).isEqualTo(1);
        assertThat(scanner.failed()).isTrue();
    }

    @Test
    void tracksCharactersSplitAcrossFragmentsWithPingsBetween() {
        byte[] euro = utf8("€"); // three bytes, split over two fragments
        byte[] wire = concat(
                frame(false, 1, new byte[] {euro[0]}),
                frame(true, 9, utf8("ping")),
                frame(true, 0, new byte[] {euro[1], euro[2]}));
        FrameScanner scanner = new FrameScanner();
        assertThat(scanner.scan(ByteBuffer.wrap(wire))).isEqualTo(wire.length);
        assertThat(scanner.failed()).isFalse();
    }

    @Test
    void failsAMessageThatEndsInsideACharacter() {
        byte[] euro = utf8("€");
        byte[] wire = concat(frame(false, 1, new byte[] {euro[0], euro[1]}), frame(true, 0, new byte[0]));
        FrameScanner scanner = new FrameScanner();
        assertThat(scanner.scan(ByteBuffer.wrap(wire))).isEqualTo(wire.length - 1);
        assertThat(scanner.failed()).isTrue();
    }

    @Test
    void ignoresBinaryAndControlPayloads() {
        byte[] junk = {(byte) 0xFF, (byte) 0xFE, (byte) 0xC0};
        byte[] wire = concat(frame(true, 2, junk), frame(false, 2, junk), frame(true, 0, junk), frame(true, 9, junk));
        FrameScanner scanner = new FrameScanner();
        assertThat(scanner.scan(ByteBuffer.wrap(wire))).isEqualTo(wire.length);
    }

    @Test
    void leavesFramesTheDecoderRejectsToTheDecoder() {
        byte[] invalid = {(byte) 0xC0};
        byte[] reservedBit = frame(true, 1, invalid);
        reservedBit[0] |= 0x40;
        byte[] unmasked = {(byte) 0x81, 0x01, (byte) 0xC0};
        assertThat(new FrameScanner().scan(ByteBuffer.wrap(reservedBit))).isEqualTo(reservedBit.length);
        assertThat(new FrameScanner().scan(ByteBuffer.wrap(unmasked))).isEqualTo(unmasked.length);
        byte[] negativeLength = {(byte) 0x81, (byte) 0xFF, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, (byte) 0xC0};
        assertThat(new FrameScanner().scan(ByteBuffer.wrap(negativeLength))).isEqualTo(negativeLength.length);
    }
}
