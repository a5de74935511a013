package io.echowall.conformance;

/**
 * An incremental, strict UTF-8 validator that reports the first byte at which a stream can no longer be valid.
 *
 * <p>It accepts exactly the well-formed byte sequences of Unicode Table 3-7 (RFC 3629 section 4): no overlongs, no
 * surrogates (U+D800..U+DFFF), nothing above U+10FFFF. Fed chunk by chunk, it keeps its state across chunks, so
 * a sequence split over frames or writes is judged as a whole (RFC 6455 section 8.1 applies to the message, not
 * to each frame).
 */
final class Utf8 {

    /** Result of {@link #firstInvalid} for a complete, valid input. */
    static final int VALID = -1;

    private int pending;          // continuation bytes still expected in the current sequence
    private int nextLow = 0x80;   // allowed range of the next continuation byte
    private int nextHigh = 0xBF;
    private long offset;          // bytes fed so far, for reporting absolute positions

    /**
     * Feeds bytes and returns the stream position of the first byte that makes the stream invalid, or
     * {@link #VALID} if every byte so far could still belong to valid UTF-8. Once invalid, stays invalid.
     */
    long feed(byte[] bytes, int from, int length) {
        for (int i = from; i < from + length; i++) {
            int b = bytes[i] & 0xFF;
            if (pending == 0) {
                if (!start(b)) {
                    return failAt(i - from);
                }
            } else if (b < nextLow || b > nextHigh) {
                return failAt(i - from);
            } else {
                pending--;
                nextLow = 0x80;
                nextHigh = 0xBF;
            }
        }
        offset += length;
        return VALID;
    }

    /** True when the bytes fed so far end on a code point boundary (no sequence left open). */
    boolean atBoundary() {
        return pending == 0;
    }

    private long failAt(int relative) {
        long position = offset + relative;
        offset = position;
        pending = -1; // poisoned: nothing can follow an invalid byte
        nextLow = 0x100;
        return position;
    }

    // Unicode Table 3-7: the lead byte decides how many continuation bytes follow and the first one's range.
    private boolean start(int b) {
        if (b <= 0x7F) {
            return true;
        }
        if (b >= 0xC2 && b <= 0xDF) {
            return expect(1, 0x80, 0xBF);
        }
        if (b == 0xE0) {
            return expect(2, 0xA0, 0xBF); // excludes overlongs below U+0800
        }
        if (b >= 0xE1 && b <= 0xEC || b == 0xEE || b == 0xEF) {
            return expect(2, 0x80, 0xBF);
        }
        if (b == 0xED) {
            return expect(2, 0x80, 0x9F); // excludes surrogates U+D800..U+DFFF
        }
        if (b == 0xF0) {
            return expect(3, 0x90, 0xBF); // excludes overlongs below U+10000
        }
        if (b >= 0xF1 && b <= 0xF3) {
            return expect(3, 0x80, 0xBF);
        }
        if (b == 0xF4) {
            return expect(3, 0x80, 0x8F); // excludes code points above U+10FFFF
        }
        return false; // 0x80..0xC1 and 0xF5..0xFF never start a sequence
    }

    private boolean expect(int continuationBytes, int low, int high) {
        pending = continuationBytes;
        nextLow = low;
        nextHigh = high;
        return true;
    }

    /**
     * Index of the first byte at which {@code bytes} stops being valid UTF-8: the offending byte, or
     * {@code bytes.length} when the input ends inside a sequence; {@link #VALID} when it is valid.
     */
    static int firstInvalid(byte[] bytes) {
        var validator = new Utf8();
        long position = validator.feed(bytes, 0, bytes.length);
        if (position != VALID) {
            return (int) position;
        }
        return validator.atBoundary() ? VALID : bytes.length;
    }

    /** True when {@code bytes} is complete, well-formed UTF-8. */
    static boolean isValid(byte[] bytes) {
        return firstInvalid(bytes) == VALID;
    }
}
