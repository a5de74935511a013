package io.echowall.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class EchoValidatorTest {
    private static final int CONNECTION = 42;

    private static byte[] payload(MessageShape shape, int connection, long sequence) {
        ByteBuf out = Unpooled.buffer();
        shape.writePayload(out, connection, sequence);
        return ByteBufUtil.getBytes(out);
    }

    /** Feeds one message in chunks of {@code chunk} bytes and returns where it was placed. */
    private static Placement receive(EchoValidator validator, byte[] bytes, boolean text, int chunk, long sent) {
        validator.begin(text);
        for (int i = 0; i < bytes.length; i += chunk) {
            validator.accept(Unpooled.wrappedBuffer(bytes), i, Math.min(chunk, bytes.length - i));
        }
        return validator.end(sent);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 15, 16, 17, 64, 16_384})
    void acceptsFaithfulEchoesInOrderHoweverTheyAreSplit(int size) {
        MessageShape shape = new MessageShape(size, false);
        EchoValidator validator = new EchoValidator(CONNECTION, shape);
        for (long sequence = 0; sequence < 70; sequence++) {
            int chunk = 1 + (int) (sequence % 9) * 5;
            assertThat(receive(validator, payload(shape, CONNECTION, sequence), false, chunk, 100)).isEqualTo(Placement.IN_ORDER);
            assertThat(validator.intact()).isTrue();
            assertThat(validator.sequence()).isEqualTo(sequence);
        }
    }

    @Test
    void aFlippedBodyByteIsCorruptionOfAKnownMessage() {
        MessageShape shape = new MessageShape(64, true);
        EchoValidator validator = new EchoValidator(CONNECTION, shape);
        byte[] bytes = payload(shape, CONNECTION, 0);
        bytes[40] ^= 1;
        assertThat(receive(validator, bytes, true, 64, 1)).isEqualTo(Placement.IN_ORDER);
        assertThat(validator.intact()).isFalse();
    }

    @Test
    void aDamagedHeaderLeavesTheMessageUnidentified() {
        MessageShape shape = new MessageShape(64, true);
        EchoValidator validator = new EchoValidator(CONNECTION, shape);
        byte[] notHex = payload(shape, CONNECTION, 0);
        notHex[3] = 'x';
        assertThat(receive(validator, notHex, true, 64, 1)).isEqualTo(Placement.UNIDENTIFIED);
        assertThat(receive(validator, payload(shape, CONNECTION + 1, 0), true, 64, 1)).isEqualTo(Placement.UNIDENTIFIED);
        assertThat(receive(validator, payload(shape, CONNECTION, 5), true, 64, 1))
                .as("a message not sent yet").isEqualTo(Placement.UNIDENTIFIED);
        assertThat(validator.intact()).isFalse();
    }

    @Test
    void aWrongLengthOrTypeIsCorruption() {
        MessageShape shape = new MessageShape(64, true);
        EchoValidator validator = new EchoValidator(CONNECTION, shape);
        byte[] longer = Arrays.copyOf(payload(shape, CONNECTION, 0), 65);
        receive(validator, longer, true, 64, 10);
        assertThat(validator.intact()).isFalse();
        byte[] shorter = Arrays.copyOf(payload(shape, CONNECTION, 1), 63);
        receive(validator, shorter, true, 64, 10);
        assertThat(validator.intact()).isFalse();
        receive(validator, payload(shape, CONNECTION, 2), false, 64, 10);
        assertThat(validator.intact()).as("binary instead of text").isFalse();
        receive(validator, payload(shape, CONNECTION, 3), true, 64, 10);
        assertThat(validator.intact()).isTrue();
    }

    @Test
    void placesLostDuplicatedAndReorderedMessages() {
        MessageShape shape = new MessageShape(32, false);
        EchoValidator validator = new EchoValidator(CONNECTION, shape);
        assertThat(receive(validator, payload(shape, CONNECTION, 0), false, 32, 10)).isEqualTo(Placement.IN_ORDER);
        assertThat(receive(validator, payload(shape, CONNECTION, 0), false, 32, 10)).isEqualTo(Placement.DUPLICATE);
        assertThat(receive(validator, payload(shape, CONNECTION, 3), false, 32, 10)).isEqualTo(Placement.AHEAD);
        assertThat(receive(validator, payload(shape, CONNECTION, 1), false, 32, 10)).isEqualTo(Placement.LATE);
        assertThat(receive(validator, payload(shape, CONNECTION, 1), false, 32, 10)).isEqualTo(Placement.DUPLICATE);
        assertThat(receive(validator, payload(shape, CONNECTION, 4), false, 32, 10)).isEqualTo(Placement.IN_ORDER);
        assertThat(receive(validator, payload(shape, CONNECTION, 2), false, 32, 10)).isEqualTo(Placement.LATE);
        assertThat(validator.intact()).isTrue();
    }

    @Test
    void shortPayloadsAreComparedWithTheNextExpectedMessage() {
        MessageShape shape = new MessageShape(1, true);
        EchoValidator validator = new EchoValidator(CONNECTION, shape);
        assertThat(receive(validator, payload(shape, CONNECTION, 0), true, 1, 5)).isEqualTo(Placement.IN_ORDER);
        // Message 2 instead of 1: even one byte holds the lowest digit of the sequence number, but a
        // short payload cannot tell reordering from damage.
        assertThat(receive(validator, payload(shape, CONNECTION, 2), true, 1, 5)).isEqualTo(Placement.UNIDENTIFIED);
        assertThat(validator.intact()).isFalse();
    }
}
