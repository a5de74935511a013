package io.echowall.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.zip.DataFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Compression and decompression, checked against the examples of RFC 7692 section 7.2.3. */
@Timeout(60)
class DeflateTest {

    private static byte[] inflate(Decompressor decompressor, String hex) throws Exception {
        return decompressor.decompress(Bytes.hex(hex), 1 << 20);
    }

    @Test
    void inflatesEveryRfcExample() throws Exception {
        try (var d = new Decompressor(false)) {
            assertThat(inflate(d, "f2 48 cd c9 c9 07 00")).isEqualTo(Bytes.utf8("Hello")); // 7.2.3.1
            assertThat(inflate(d, "f2 00 11 00 00")).isEqualTo(Bytes.utf8("Hello")); // 7.2.3.2, the shared window
        }
        try (var d = new Decompressor(false)) {
            assertThat(inflate(d, "00 05 00 fa ff 48 65 6c 6c 6f 00")).isEqualTo(Bytes.utf8("Hello")); // 7.2.3.3 stored
            assertThat(inflate(d, "f3 48 cd c9 c9 07 00 00")).isEqualTo(Bytes.utf8("Hello")); // 7.2.3.4 BFINAL
            assertThat(inflate(d, "f2 48 cd c9 c9 07 00")).as("a new stream after BFINAL").isEqualTo(Bytes.utf8("Hello"));
            assertThat(inflate(d, "f2 48 05 00 00 00 ff ff ca c9 c9 07 00")).isEqualTo(Bytes.utf8("Hello")); // 7.2.3.5
            assertThat(inflate(d, "00")).isEmpty(); // 7.2.3.6
        }
    }

    @Test
    void anInflaterWithoutContextTakeoverRejectsAReferenceToThePreviousMessage() throws Exception {
        try (var d = new Decompressor(true)) {
            assertThat(inflate(d, "f2 48 cd c9 c9 07 00")).isEqualTo(Bytes.utf8("Hello"));
            assertThatThrownBy(() -> inflate(d, "f2 00 11 00 00")).isInstanceOf(DataFormatException.class);
        }
    }

    @Test
    void refusesToInflateBeyondTheLimit() throws Exception {
        try (var c = new Compressor(15, false); var d = new Decompressor(false)) {
            byte[] compressed = c.compress(new byte[100_000]);
            assertThatThrownBy(() -> d.decompress(compressed, 99_999)).isInstanceOf(Decompressor.TooLarge.class);
        }
    }

    @Test
    void compressesLikeTheRfcAndDropsTheFlushTail() {
        try (var c = new Compressor(15, false)) {
            assertThat(c.compress(Bytes.utf8("Hello"))).isEqualTo(Bytes.hex("f2 48 cd c9 c9 07 00"));
            assertThat(c.compress(new byte[0])).as("7.2.3.6: an empty message is one 00 byte").isEqualTo(Bytes.hex("00"));
            assertThat(c.compress(new byte[0])).as("also right after another empty one").isEqualTo(Bytes.hex("00"));
        }
    }

    @Test
    void roundTripsWithAndWithoutContextTakeover() throws Exception {
        for (boolean noContext : new boolean[] {false, true}) {
            try (var c = new Compressor(15, noContext); var d = new Decompressor(noContext)) {
                for (int i = 0; i < 6; i++) {
                    byte[] message = i % 3 == 2 ? new byte[0] : Payloads.text(5000 + i);
                    assertThat(d.decompress(c.compress(message), 1 << 20)).isEqualTo(message);
                }
            }
        }
    }

    @Test
    void keepingContextMakesARepeatedMessageSmaller() {
        byte[] message = Payloads.binary(2000, 5);
        try (var keeping = new Compressor(15, false); var resetting = new Compressor(15, true)) {
            keeping.compress(message);
            resetting.compress(message);
            assertThat(keeping.compress(message).length).isLessThan(100);
            assertThat(resetting.compress(message).length).isGreaterThan(1900);
        }
    }

    @Test
    void aSmallWindowNeverReachesBackFurtherThanTheWindow() throws Exception {
        // 300 random bytes twice: a 15-bit window finds the repeat 300 bytes back, an 8-bit (256-byte) one must not.
        byte[] block = Payloads.binary(300, 8);
        byte[] message = Bytes.concat(block, block);
        try (var wide = new Compressor(15, true); var narrow = new Compressor(8, true); var d = new Decompressor(true)) {
            assertThat(wide.compress(message).length).isLessThan(400);
            byte[] compressed = narrow.compress(message);
            assertThat(compressed.length).isGreaterThan(590);
            assertThat(d.decompress(compressed, 1 << 20)).isEqualTo(message);
        }
    }

    @Test
    void encodesTheUnusualValidForms() throws Exception {
        byte[] message = Payloads.text(3000);
        try (var d = new Decompressor(false)) {
            assertThat(d.decompress(Compressor.compressAsFinalBlock(message), 1 << 20)).isEqualTo(message);
            assertThat(d.decompress(Compressor.compressAsStoredBlocks(message), 1 << 20)).isEqualTo(message);
        }
        try (var c = new Compressor(15, false); var d = new Decompressor(false)) {
            byte[] twoBlocks = c.compressInBlocks(Bytes.utf8("Hel"), Bytes.utf8("lo"));
            assertThat(twoBlocks).as("the inner flush tail stays").containsSequence(Bytes.hex("00 00 ff ff"));
            assertThat(d.decompress(twoBlocks, 100)).isEqualTo(Bytes.utf8("Hello"));
        }
    }
}
