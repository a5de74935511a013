package io.echowall.websocket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An incremental, exact UTF-8 validator (RFC 3629; the well-formed sequences of Unicode's table 3-7),
 * fed a message's bytes in pieces as they arrive so an invalid byte is caught the moment it is seen.
 *
 * <p>It rejects overlong forms, surrogates (U+D800-U+DFFF) and code points above U+10FFFF at the first
 * byte that rules them out. Runs of ASCII are checked eight bytes at a time, and the ASCII bytes before
 * the first other byte of a word are skipped in one step; any other byte costs one lookup in a
 * transition table, built once from the rules below, with no branch on the byte's value.
 */
public final class Utf8Validator {

    // States: how many continuation bytes are still needed, and the range allowed for the next one.
    private static final int ACCEPT = 0;
    private static final int NEED_1 = 1;
    private static final int NEED_2 = 2;
    private static final int NEED_3 = 3;
    private static final int AFTER_E0 = 4; // next in A0..BF (no overlong 3-byte forms)
    private static final int AFTER_ED = 5; // next in 80..9F (no surrogates)
    private static final int AFTER_F0 = 6; // next in 90..BF (no overlong 4-byte forms)
    private static final int AFTER_F4 = 7; // next in 80..8F (nothing above U+10FFFF)
    private static final int REJECT = 8;

    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** The state after each (state, byte), at {@code state << 8 | byte}: the rules of {@link #next}, tabulated. */
    private static final byte[] NEXT = new byte[(REJECT + 1) << 8];

    static {
        for (int state = ACCEPT; state <= REJECT; state++) {
            for (int b = 0; b < 256; b++) {
                NEXT[state << 8 | b] = (byte) next(state, b);
            }
        }
    }

    private int state = ACCEPT;

    /** Whether every byte so far was valid (the input may still end inside a character). */
    public boolean isValid() {
        return state != REJECT;
    }

    /** Whether the bytes so far are valid and end on a character boundary: a whole message may end here. */
    public boolean isComplete() {
        return state == ACCEPT;
    }

    /** Starts over, for the next message. */
    public void reset() {
        state = ACCEPT;
    }

    /**
     * Feeds {@code length} bytes of {@code bytes} from {@code offset}.
     *
     * @return whether everything fed so far is valid
     */
    public boolean feed(byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length;
        int current = state;
        while (i < end && current != REJECT) {
            if (current == ACCEPT && i + 8 <= end) {
                long high = readLong(bytes, i) & HIGH_BITS;
                if (high == 0) {
                    i += 8;
                    continue;
                }
                i += Long.numberOfLeadingZeros(high) >>> 3; // the ASCII bytes before the first other one
            }
            current = NEXT[current << 8 | bytes[i++] & 0xFF];
        }
        state = current;
        return current != REJECT;
    }

    /**
     * Feeds the bytes from {@code buffer}'s position to its limit, without moving the position.
     *
     * @return whether everything fed so far is valid
     */
    public boolean feed(ByteBuffer buffer) {
        int i = buffer.position();
        int end = buffer.limit();
        int current = state;
        while (i < end && current != REJECT) {
            if (current == ACCEPT && i + 8 <= end) {
                long high = buffer.getLong(i) & HIGH_BITS;
                if (high == 0) {
                    i += 8;
                    continue;
                }
                i += Long.numberOfLeadingZeros(high) >>> 3; // the ASCII bytes before the first other one
            }
            current = NEXT[current << 8 | buffer.get(i++) & 0xFF];
        }
        state = current;
        return current != REJECT;
    }

    /**
     * Feeds eight bytes packed big-endian in {@code word} (the first byte in the high bits).
     *
     * @return -1 if everything fed so far is valid, else the index (0-7) of the first invalid byte
     */
    public int feedWord(long word) {
        int current = state;
        for (int k = 0; k < 8; k++) {
            if (current == ACCEPT) {
                long high = word << (8 * k) & HIGH_BITS;
                if (high == 0) {
                    break; // the rest of the word is ASCII
                }
                k += Long.numberOfLeadingZeros(high) >>> 3;
            }
            current = NEXT[current << 8 | (int) (word >>> (56 - 8 * k)) & 0xFF];
            if (current == REJECT) {
                state = REJECT;
                return k;
            }
        }
        state = current;
        return -1;
    }

    /**
     * Feeds one byte.
     *
     * @return whether everything fed so far is valid
     */
    public boolean feedByte(byte value) {
        state = NEXT[state << 8 | value & 0xFF];
        return state != REJECT;
    }

    /** The state after byte {@code b} in {@code state}: the rules themselves, run once per pair to fill the table. */
    private static int next(int state, int b) {
        return switch (state) {
            case ACCEPT -> leadByte(b);
            case NEED_1 -> inRange(b, 0x80, 0xBF) ? ACCEPT : REJECT;
            case NEED_2 -> inRange(b, 0x80, 0xBF) ? NEED_1 : REJECT;
            case NEED_3 -> inRange(b, 0x80, 0xBF) ? NEED_2 : REJECT;
            case AFTER_E0 -> inRange(b, 0xA0, 0xBF) ? NEED_1 : REJECT;
            case AFTER_ED -> inRange(b, 0x80, 0x9F) ? NEED_1 : REJECT;
            case AFTER_F0 -> inRange(b, 0x90, 0xBF) ? NEED_2 : REJECT;
            case AFTER_F4 -> inRange(b, 0x80, 0x8F) ? NEED_2 : REJECT;
            default -> REJECT;
        };
    }

    private static int leadByte(int b) {
        if (b < 0x80) {
            return ACCEPT;
        }
        if (inRange(b, 0xC2, 0xDF)) {
            return NEED_1;
        }
        if (b == 0xE0) {
            return AFTER_E0;
        }
        if (b == 0xED) {
            return AFTER_ED;
        }
        if (inRange(b, 0xE1, 0xEF)) {
            return NEED_2;
        }
        if (b == 0xF0) {
            return AFTER_F0;
        }
        if (inRange(b, 0xF1, 0xF3)) {
            return NEED_3;
        }
        if (b == 0xF4) {
            return AFTER_F4;
        }
        return REJECT; // 80..C1 (continuation or overlong lead) and F5..FF
    }

    private static boolean inRange(int b, int low, int high) {
        return b >= low && b <= high;
    }

    private static long readLong(byte[] bytes, int i) {
        return (long) LONGS.get(bytes, i);
    }
}
