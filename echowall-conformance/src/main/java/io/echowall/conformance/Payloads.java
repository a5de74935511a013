package io.echowall.conformance;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** Deterministic payloads, so a failing case sends the same bytes on every run. */
final class Payloads {

    // One-, two-, three- and four-byte UTF-8 sequences, so large text exercises every validator path.
    private static final int[] CODE_POINTS = {'e', 'c', 'h', 'o', ' ', 0xB5, 0x3BA, 0x3CC, 0x20AC, 0x56DE, 0x1F600};

    private Payloads() {
    }

    /** Valid UTF-8 of exactly {@code bytes} bytes, mixing sequence lengths. */
    static byte[] text(int bytes) {
        var out = new StringBuilder();
        int length = 0;
        for (int i = 0; length < bytes; i++) {
            int codePoint = CODE_POINTS[i % CODE_POINTS.length];
            int size = Character.toString(codePoint).getBytes(StandardCharsets.UTF_8).length;
            if (length + size > bytes) {
                codePoint = 'x';
                size = 1;
            }
            out.appendCodePoint(codePoint);
            length += size;
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Pseudo-random bytes (poorly compressible) from a fixed seed. */
    static byte[] binary(int bytes, long seed) {
        var data = new byte[bytes];
        var random = new SplittableRandom(seed);
        for (int i = 0; i < bytes; i++) {
            data[i] = (byte) random.nextInt(256);
        }
        return data;
    }

    /** Every byte value in turn, {@code bytes} long. */
    static byte[] allByteValues(int bytes) {
        var data = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            data[i] = (byte) i;
        }
        return data;
    }
}
