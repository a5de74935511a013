package io.echowall.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The frame encoder and parser, checked against the examples of RFC 6455 section 5.7. */
@Timeout(60)
class FrameCodecTest {

    @Test
    void encodesTheRfcExamples() {
        assertThat(FrameEncoder.encode(Frame.text("Hello"), null)).isEqualTo(Bytes.hex("81 05 48 65 6c 6c 6f"));
        assertThat(FrameEncoder.encode(Frame.text("Hello"), Bytes.hex("37 fa 21 3d")))
                .isEqualTo(Bytes.hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"));
        assertThat(FrameEncoder.encode(new Frame(false, 0, Opcode.TEXT, Bytes.utf8("Hel")), null))
                .isEqualTo(Bytes.hex("01 03 48 65 6c"));
        assertThat(FrameEncoder.encode(Frame.continuation(Bytes.utf8("lo"), true), null)).isEqualTo(Bytes.hex("80 02 6c 6f"));
        assertThat(FrameEncoder.encode(Frame.ping(Bytes.utf8("Hello")), null)).isEqualTo(Bytes.hex("89 05 48 65 6c 6c 6f"));
        assertThat(Arrays.copyOf(FrameEncoder.encode(Frame.binary(new byte[256]), null), 4)).isEqualTo(Bytes.hex("82 7e 01 00"));
        assertThat(Arrays.copyOf(FrameEncoder.encode(Frame.binary(new byte[65536]), null), 10))
                .isEqualTo(Bytes.hex("82 7f 00 00 00 00 00 01 00 00"));
    }

    @Test
    void setsReservedBitsAndAnyOpcode() {
        assertThat(FrameEncoder.encode(new Frame(true, Frame.RSV1 | Frame.RSV3, 0xB, new byte[0]), null))
                .isEqualTo(Bytes.hex("db 00"));
    }

    @Test
    void parsesFramesFedOneByteAtATime() throws Exception {
        var parser = new FrameParser(1 << 20);
        byte[] wire = Bytes.concat(FrameEncoder.encode(Frame.text("Hello"), null),
                FrameEncoder.encode(Frame.binary(new byte[300]), null),
                FrameEncoder.encode(Frame.binary(Payloads.binary(70_000, 1)), null));
        var frames = new ArrayList<Frame>();
        for (byte b : wire) {
            parser.feed(new byte[] {b}, 0, 1);
            for (Frame frame; (frame = parser.next()) != null; ) {
                frames.add(frame);
            }
        }
        assertThat(frames).extracting(f -> f.payload().length).containsExactly(5, 300, 70_000);
        assertThat(frames.get(2).payload()).isEqualTo(Payloads.binary(70_000, 1));
        assertThat(frames.get(0).fin()).isTrue();
        assertThat(frames.get(0).opcode()).isEqualTo(Opcode.TEXT);
    }

    @Test
    void maskingTwiceRestoresThePayloadAtAnyOffset() {
        byte[] key = Bytes.hex("01 02 03 04");
        byte[] data = Payloads.binary(11, 3);
        byte[] copy = data.clone();
        FrameEncoder.mask(copy, 0, 5, key, 0);
        FrameEncoder.mask(copy, 5, 6, key, 5);
        FrameEncoder.mask(copy, 0, 11, key, 0);
        assertThat(copy).isEqualTo(data);
    }

    @Test
    void rejectsWhatAServerMustNotSend() {
        assertThatThrownBy(() -> parse(FrameEncoder.encode(Frame.text("x"), Bytes.hex("01 02 03 04"))))
                .isInstanceOf(ServerViolation.class).hasMessageContaining("masked");
        assertThatThrownBy(() -> parse(Bytes.hex("82 7e 00 05 01 02 03 04 05")))
                .isInstanceOf(ServerViolation.class).hasMessageContaining("minimal");
        assertThatThrownBy(() -> parse(Bytes.hex("82 7f 80 00 00 00 00 00 00 01")))
                .isInstanceOf(ServerViolation.class).hasMessageContaining("most significant bit");
        assertThatThrownBy(() -> parse(Bytes.hex("82 0b"), 10))
                .isInstanceOf(ServerViolation.class).hasMessageContaining("more than the 10");
    }

    private static Frame parse(byte[] wire) throws ServerViolation {
        return parse(wire, 1 << 20);
    }

    private static Frame parse(byte[] wire, long maxPayload) throws ServerViolation {
        var parser = new FrameParser(maxPayload);
        parser.feed(wire, 0, wire.length);
        return parser.next();
    }

    @Test
    void cutsMessagesIntoFragmentsWithRsvOnTheFirstOnly() {
        var frames = Frame.fragments(Opcode.TEXT, Frame.RSV1, Bytes.utf8("abcde"), 2);
        assertThat(frames).extracting(Frame::opcode).containsExactly(Opcode.TEXT, Opcode.CONTINUATION, Opcode.CONTINUATION);
        assertThat(frames).extracting(Frame::rsv).containsExactly(Frame.RSV1, 0, 0);
        assertThat(frames).extracting(Frame::fin).containsExactly(false, false, true);
        assertThat(Frame.fragments(Opcode.BINARY, 0, new byte[0], 2)).singleElement()
                .satisfies(f -> assertThat(f.fin()).isTrue());
    }
}
