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
}
