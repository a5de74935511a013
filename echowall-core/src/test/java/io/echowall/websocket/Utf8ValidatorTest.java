package io.echowall.websocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8ValidatorTest {

    private static boolean valid(byte[] bytes) {
        Utf8Validator v = new Utf8Validator();
        return v.feed(bytes, 0, bytes.length) && v.isComplete();
    }

    private static boolean jdkSaysValid(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "41", "c2a9", "e282ac", "f09f8e89", "7f", "dfbf", "efbfbf", "f48fbfbf",
            "ed9fbf", "ee8080", "e0a080", "f0908080", "48656c6c6f2c20e4b896e7958c"})
    void acceptsWellFormedSequences(String hex) {
        assertThat(valid(HexFormat.of().parseHex(hex))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "80",        // lone continuation byte
            "c0af",      // overlong '/'
            "c1bf",      // overlong
            "e080af",    // overlong 3-byte
            "f08080af",  // overlong 4-byte
            "eda080",    // surrogate U+D800
            "edbfbf",    // surrogate U+DFFF
            "f4908080",  // U+110000
            "f5808080",  // lead byte past U+10FFFF
            "ff",        // never valid
            "c2",        // truncated 2-byte
            "e282",      // truncated 3-byte
            "f09f8e",    // truncated 4-byte
            "c241",      // lead without continuation
            "cebae1bdb9cf83ceb1e1bd" // a longer text whose last character is cut short
    })
    void rejectsMalformedSequences(String hex) {
        assertThat(valid(HexFormat.of().parseHex(hex))).isFalse();
    }

    @Test
    void agreesWithTheJdkDecoderOnRandomInput() {
        Random random = new Random(42);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(24)];
            for (int i = 0; i < bytes.length; i++) {
                // Mostly ASCII and UTF-8-ish lead/continuation bytes, so valid texts occur too.
                int kind = random.nextInt(4);
                bytes[i] = (byte) switch (kind) {
                    case 0 -> random.nextInt(0x80);
                    case 1 -> 0x80 + random.nextInt(0x40);
                    case 2 -> 0xC0 + random.nextInt(0x40);
                    default -> random.nextInt(256);
                };
            }
            assertThat(valid(bytes)).as(HexFormat.of().formatHex(bytes)).isEqualTo(jdkSaysValid(bytes));
        }
    }

    @Test
    void findsTheSameAnswerWhenFedInPieces() {
        byte[] text = "héllo wörld ✓ 你好 🎉 and some ASCII to cross the eight-byte fast path".getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= text.length; split++) {
            Utf8Validator v = new Utf8Validator();
            assertThat(v.feed(text, 0, split)).isTrue();
            assertThat(v.feed(text, split, text.length - split)).isTrue();
            assertThat(v.isComplete()).isTrue();
        }
    }

    @Test
    void stopsAtTheFirstInvalidByteOfAWord() {
        byte[] bytes = "abc\u00e9def".getBytes(StandardCharsets.UTF_8); // 8 bytes with é in the middle
        bytes[4] = 0x41; // é's continuation byte replaced: the lead byte at index 3 is then invalid at 4
        long word = ByteBuffer.wrap(bytes).getLong();
        assertThat(new Utf8Validator().feedWord(word)).isEqualTo(4);
        assertThat(new Utf8Validator().feedWord(ByteBuffer.wrap("abcdefgh".getBytes()).getLong())).isEqualTo(-1);
    }

    @Test
    void validatesByteBuffersWithoutMovingThem() {
        ByteBuffer buffer = ByteBuffer.wrap("a longer ASCII text than eight bytes ✓".getBytes(StandardCharsets.UTF_8));
        Utf8Validator v = new Utf8Validator();
        assertThat(v.feed(buffer)).isTrue();
        assertThat(v.isComplete()).isTrue();
        assertThat(buffer.position()).isZero();
    }

    /** Validates {@code bytes} word by word where it can, as the frame reader does; -1 or the first invalid index. */
    private static int firstInvalidByWords(byte[] bytes) {
        Utf8Validator v = new Utf8Validator();
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int i = 0;
        for (; i + 8 <= bytes.length; i += 8) {
            int bad = v.feedWord(buffer.getLong(i));
            if (bad >= 0) {
                return i + bad;
            }
        }
        for (; i < bytes.length; i++) {
            if (!v.feedByte(bytes[i])) {
                return i;
            }
        }
        return v.isComplete() ? -1 : bytes.length;
    }

    /** The index of the first byte the JDK's decoder cannot go on from: the longest valid prefix, plus one. */
    private static int firstInvalidByTheJdk(byte[] bytes) {
        for (int n = 0; n <= bytes.length; n++) {
            if (!jdkSaysValid(java.util.Arrays.copyOf(bytes, n)) && !isValidPrefix(bytes, n)) {
                return n - 1;
            }
        }
        return -1;
    }

    /** Whether the first {@code n} bytes end inside a character that could still complete validly. */
    private static boolean isValidPrefix(byte[] bytes, int n) {
        for (byte[] tail : new byte[][] {{(byte) 0x80}, {(byte) 0x80, (byte) 0x80}, {(byte) 0x80, (byte) 0x80, (byte) 0x80},
                {(byte) 0xA0, (byte) 0x80}, {(byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0x90, (byte) 0x80},
                {(byte) 0xA0}, {(byte) 0x90}}) {
            byte[] completed = java.util.Arrays.copyOf(bytes, n + tail.length);
            System.arraycopy(tail, 0, completed, n, tail.length);
            if (jdkSaysValid(completed)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void everyCharacterLengthAtEveryPlaceInAndAcrossEightByteWords() {
        for (String character : new String[] {"\u0080", "\u07FF", "\u0800", "\uD7FF", "\uE000", "\uFFFF",
                "\uD800\uDC00", "\uDBFF\uDFFF"}) {
            for (int at = 0; at < 17; at++) {
                String text = "x".repeat(at) + character + "y".repeat(16 - at);
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                assertThat(firstInvalidByWords(bytes)).as(text).isEqualTo(-1);
                assertThat(valid(bytes)).as(text).isTrue();
                Utf8Validator direct = new Utf8Validator();
                ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
                assertThat(direct.feed(buffer) && direct.isComplete()).as(text).isTrue();
            }
        }
    }

    @Test
    void anAsciiRunEndingMidWordThenAnInvalidByteFailsExactlyThere() {
        byte[][] invalid = {{(byte) 0xC1, (byte) 0xBF}, {(byte) 0xE0, (byte) 0x9F, (byte) 0xBF},
                {(byte) 0xED, (byte) 0xBF, (byte) 0xBF}, {(byte) 0xF0, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF},
                {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xF8}, {(byte) 0xBF},
                {(byte) 0xC3, 'a'}, {(byte) 0xF0, (byte) 0x9F, (byte) 0x8E, 'a'}};
        for (byte[] bad : invalid) {
            for (int at = 0; at < 17; at++) {
                byte[] bytes = new byte[at + bad.length + 16];
                java.util.Arrays.fill(bytes, (byte) 'a');
                System.arraycopy(bad, 0, bytes, at, bad.length);
                int expected = firstInvalidByTheJdk(bytes);
                assertThat(expected).as("the JDK finds it").isGreaterThanOrEqualTo(at);
                assertThat(firstInvalidByWords(bytes)).as("%s at %d", HexFormat.of().formatHex(bad), at).isEqualTo(expected);
                assertThat(valid(bytes)).isFalse();
            }
        }
    }

    @Test
    void agreesWithTheJdkOnEveryTwoByteSequenceAndOnFourByteOnesAroundTheEdges() {
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                byte[] two = {(byte) a, (byte) b};
                assertThat(valid(two)).as("%02x %02x", a, b).isEqualTo(jdkSaysValid(two));
            }
        }
        int[] edges = {0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED,
                0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
        int[] continuationEdges = {0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0};
        for (int a : edges) {
            for (int b : edges) {
                for (int c : continuationEdges) {
                    for (int d : continuationEdges) {
                        byte[] four = {(byte) a, (byte) b, (byte) c, (byte) d};
                        assertThat(valid(four)).as("%02x %02x %02x %02x", a, b, c, d).isEqualTo(jdkSaysValid(four));
                    }
                }
            }
        }
    }
}
