package io.echowall.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class MessageAssemblerTest {

    private final MessageAssembler plain = new MessageAssembler(null, 1 << 20);

    @Test
    void reassemblesAFragmentedMessageAroundAControlFrame() throws Exception {
        assertThat(plain.accept(new Frame(false, 0, Opcode.TEXT, Bytes.utf8("Hel")))).isNull();
        assertThat(plain.accept(Frame.ping(Bytes.utf8("p")))).isInstanceOf(Received.Ping.class);
        Received message = plain.accept(Frame.continuation(Bytes.utf8("lo"), true));
        assertThat(message).isInstanceOfSatisfying(Received.Message.class,
                m -> assertThat(m.sameAs(Received.Message.text("Hello"))).isTrue());
    }

    @Test
    void readsCloseFrames() throws Exception {
        assertThat(new MessageAssembler(null, 100).accept(Frame.closeWithoutCode()))
                .isEqualTo(new Received.Close(CloseCodes.NONE, ""));
        assertThat(new MessageAssembler(null, 100).accept(Frame.close(4999, "κόσμε")))
                .isEqualTo(new Received.Close(4999, "κόσμε"));
    }

    @Test
    void inflatesCompressedMessages() throws Exception {
        var assembler = new MessageAssembler(new Decompressor(false), 1 << 20);
        Received message = assembler.accept(new Frame(true, Frame.RSV1, Opcode.TEXT, Bytes.hex("f2 48 cd c9 c9 07 00")));
        assertThat(((Received.Message) message).payload()).isEqualTo(Bytes.utf8("Hello"));
    }

    @Test
    void rejectsBrokenFragmentation() {
        assertThatThrownBy(() -> plain.accept(Frame.continuation(Bytes.utf8("x"), true)))
                .isInstanceOf(ServerViolation.class).hasMessageContaining("continuation frame outside");
        assertThatThrownBy(() -> {
            var assembler = new MessageAssembler(null, 100);
            assembler.accept(new Frame(false, 0, Opcode.TEXT, Bytes.utf8("a")));
            assembler.accept(Frame.binary(new byte[1]));
        }).isInstanceOf(ServerViolation.class).hasMessageContaining("inside a fragmented message");
    }

    @Test
    void rejectsMalformedControlFrames() {
        assertThatThrownBy(() -> fresh().accept(Frame.ping(new byte[0]).withFin(false)))
                .isInstanceOf(ServerViolation.class).hasMessageContaining("fragmented ping");
        assertThatThrownBy(() -> fresh().accept(Frame.pong(new byte[126])))
                .isInstanceOf(ServerViolation.class).hasMessageContaining("at most 125");
        assertThatThrownBy(() -> fresh().accept(new Frame(true, 0, Opcode.CLOSE, new byte[1])))
                .isInstanceOf(ServerViolation.class).hasMessageContaining("1-byte payload");
        assertThatThrownBy(() -> fresh().accept(Frame.close(1005, "")))
                .isInstanceOf(ServerViolation.class).hasMessageContaining("code 1005");
        assertThatThrownBy(() -> fresh().accept(Frame.close(1000, Bytes.hex("c0 80"))))
                .isInstanceOf(ServerViolation.class).hasMessageContaining("not valid UTF-8");
    }

    private static MessageAssembler fresh() {
        return new MessageAssembler(null, 1 << 20);
    }

    @Test
    void rejectsReservedBitsAndOpcodes() {
        assertThatThrownBy(() -> plain.accept(Frame.text("x").withRsv(Frame.RSV1)))
                .isInstanceOf(ServerViolation.class).hasMessageContaining("without an extension");
        assertThatThrownBy(() -> plain.accept(new Frame(true, 0, 3, new byte[0])))
                .isInstanceOf(ServerViolation.class).hasMessageContaining("reserved opcode 3");
        assertThatThrownBy(() -> {
            var compressed = new MessageAssembler(new Decompressor(false), 100);
            compressed.accept(new Frame(false, Frame.RSV1, Opcode.TEXT, Bytes.hex("f2 48")));
            compressed.accept(new Frame(true, Frame.RSV1, Opcode.CONTINUATION, Bytes.hex("cd c9 c9 07 00")));
        }).isInstanceOf(ServerViolation.class).hasMessageContaining("continuation frame");
    }

    @Test
    void rejectsAnyFrameAfterClose() throws Exception {
        plain.accept(Frame.close(1000, ""));
        assertThatThrownBy(() -> plain.accept(Frame.text("late")))
                .isInstanceOf(ServerViolation.class).hasMessageContaining("after its Close frame");
    }
}
