package io.echowall.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class Utf8Test {

    private final CharsetDecoder jdk = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    private final CharBuffer decoded = CharBuffer.allocate(8);

    /** The JDK's strict verdict, read from CoderResult: a million thrown exceptions would take many seconds. */
    private boolean jdkAccepts(byte[] bytes) {
        decoded.clear();
        return !jdk.reset().decode(ByteBuffer.wrap(bytes), decoded, true).isError() && !jdk.flush(decoded).isError();
    }

    /** Records a disagreement with the JDK's strict decoder. */
    private void compare(byte[] bytes, List<String> disagreements) {
        if (Utf8.isValid(bytes) != jdkAccepts(bytes)) {
            disagreements.add(HexFormat.ofDelimiter(" ").formatHex(bytes));
        }
    }

    @Test
    void agreesWithTheJdkOnEverySequenceOfOneAndTwoBytes() {
        var disagreements = new ArrayList<String>();
        for (int first = 0; first < 256; first++) {
            compare(new byte[] {(byte) first}, disagreements);
            for (int second = 0; second < 256; second++) {
                compare(new byte[] {(byte) first, (byte) second}, disagreements);
            }
        }
        assertThat(disagreements).isEmpty();
    }

    @Test
    void agreesWithTheJdkOnEveryThreeByteSequenceWithAThreeByteLead() {
        var disagreements = new ArrayList<String>();
        for (int first = 0xE0; first <= 0xEF; first++) {
            for (int second = 0; second < 256; second++) {
                for (int third = 0; third < 256; third++) {
                    compare(new byte[] {(byte) first, (byte) second, (byte) third}, disagreements);
                }
            }
        }
        assertThat(disagreements).isEmpty();
    }

    @Test
    void agreesWithTheJdkOnFourByteLeadsAtTheirBoundaries() {
        int[] tails = {0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
        var disagreements = new ArrayList<String>();
        for (int first = 0xF0; first <= 0xFF; first++) {
            for (int second = 0; second < 256; second++) {
                for (int third : tails) {
                    for (int fourth : tails) {
                        compare(new byte[] {(byte) first, (byte) second, (byte) third, (byte) fourth}, disagreements);
                    }
                }
            }
        }
        assertThat(disagreements).isEmpty();
    }

    @Test
    void reportsTheFirstByteThatCannotBeValid() {
        byte[] prefix = Bytes.utf8("κόσμε"); // 10 bytes
        assertThat(Utf8.firstInvalid(Bytes.concat(prefix, Bytes.hex("ed a0 80")))).isEqualTo(11); // a0 after ed
        assertThat(Utf8.firstInvalid(Bytes.concat(prefix, Bytes.hex("c0 80")))).isEqualTo(10); // c0 never starts
        assertThat(Utf8.firstInvalid(Bytes.concat(prefix, Bytes.hex("e0 80 80")))).isEqualTo(11); // overlong
        assertThat(Utf8.firstInvalid(Bytes.concat(prefix, Bytes.hex("f4 90 80 80")))).isEqualTo(11); // > U+10FFFF
        assertThat(Utf8.firstInvalid(Bytes.concat(prefix, Bytes.hex("c2 20")))).isEqualTo(11); // cut short
        assertThat(Utf8.firstInvalid(Bytes.concat(prefix, Bytes.hex("80")))).isEqualTo(10);
    }

    @Test
    void aSequenceCutAtTheEndIsInvalidAtTheEnd() {
        byte[] truncated = Bytes.concat(Bytes.utf8("ab"), Bytes.hex("f0 90 80"));
        assertThat(Utf8.firstInvalid(truncated)).isEqualTo(truncated.length);
        assertThat(Utf8.firstInvalid(Bytes.utf8("aé€😀"))).isEqualTo(Utf8.VALID);
    }

    @Test
    void keepsItsStateAcrossChunks() {
        byte[] text = Bytes.utf8("a😀b");
        var validator = new Utf8();
        for (byte b : text) {
            assertThat(validator.feed(new byte[] {b}, 0, 1)).isEqualTo(Utf8.VALID);
        }
        assertThat(validator.atBoundary()).isTrue();

        var split = new Utf8();
        assertThat(split.feed(Bytes.hex("61 ed"), 0, 2)).isEqualTo(Utf8.VALID);
        assertThat(split.atBoundary()).isFalse();
        assertThat(split.feed(Bytes.hex("a0 80"), 0, 2)).as("position counted from the stream start").isEqualTo(2);
    }
}
