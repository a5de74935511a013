package io.echowall.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The small inbound handlers of a WebSocket pipeline, each on an embedded channel before a recorder. */
class FrameHandlersTest {

    /** Records what reaches the end of the pipeline: messages (released) and errors. */
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        final List<String> seen = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            seen.add(msg instanceof ByteBuf bytes ? "bytes " + bytes.readableBytes() : msg.getClass().getSimpleName());
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            seen.add("error " + cause.getClass().getSimpleName());
        }
    }

    private static ByteBuf bytes(byte[]... parts) {
        return Unpooled.wrappedBuffer(parts);
    }

    @Test
    void theFrameReaderPassesWholeMessagesThenFailsAtTheFirstInvalidByte() {
        Recorder recorder = new Recorder();
        EmbeddedChannel channel = new EmbeddedChannel(new FrameReading(1 << 20), recorder);
        byte[] good = ClientFrames.text("ok".getBytes(StandardCharsets.UTF_8));
        byte[] bad = ClientFrames.text(new byte[] {'a', (byte) 0xC3, 0x28, 'b'});
        ByteBuf both = bytes(good, bad, good); // a composite: read part by part
        channel.writeInbound(both);
        channel.writeInbound(bytes(good));
        assertThat(recorder.seen).containsExactly("Message", "error InvalidTextException");
        assertThat(both.refCnt()).isZero(); // nothing of a read is kept
        channel.finishAndReleaseAll();
    }

    @Test
    void theFrameReaderPassesControlFramesAsNettyFramesAndMapsViolations() {
        Recorder recorder = new Recorder();
        EmbeddedChannel channel = new EmbeddedChannel(new FrameReading(4), recorder);
        channel.writeInbound(bytes(new byte[] {(byte) 0x89, (byte) 0x80, 1, 2, 3, 4})); // an empty ping
        channel.writeInbound(bytes(ClientFrames.text("12345".getBytes(StandardCharsets.UTF_8))));
        assertThat(recorder.seen).containsExactly("PingWebSocketFrame", "error TooLongFrameException");
        assertThat(ProtocolErrors.violationFor(new io.netty.handler.codec.TooLongFrameException("x")))
                .isEqualTo(io.echowall.websocket.Closes.Violation.MESSAGE_TOO_BIG);
        channel.finishAndReleaseAll();
    }

    @Test
    void inflatedTextIsValidatedMessageByMessage() {
        Recorder recorder = new Recorder();
        EmbeddedChannel channel = new EmbeddedChannel(new InflatedTextValidator(), recorder);
        channel.writeInbound(new TextWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[] {(byte) 0xC3})));
        channel.writeInbound(new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[] {(byte) 0xA9})));
        channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {(byte) 0xFF})));
        channel.writeInbound(new TextWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[] {(byte) 0xC3})));
        channel.writeInbound(new TextWebSocketFrame("never seen"));
        assertThat(recorder.seen).containsExactly("TextWebSocketFrame", "ContinuationWebSocketFrame",
                "BinaryWebSocketFrame", "error InvalidTextException");
        channel.finishAndReleaseAll();
    }

    @Test
    void onlyRsv1AndOnlyOnTheFirstFrameOfAMessagePassTheDeflateRules() {
        Recorder recorder = new Recorder();
        EmbeddedChannel channel = new EmbeddedChannel(new DeflateFrameRules(), recorder);
        channel.writeInbound(new TextWebSocketFrame(false, 0b100, Unpooled.EMPTY_BUFFER));
        channel.writeInbound(new ContinuationWebSocketFrame(true, 0b100, Unpooled.EMPTY_BUFFER));
        channel.writeInbound(new TextWebSocketFrame("never seen"));
        assertThat(recorder.seen).containsExactly("TextWebSocketFrame", "error CorruptedWebSocketFrameException");
        EmbeddedChannel rsv2 = new EmbeddedChannel(new DeflateFrameRules(), new Recorder());
        rsv2.writeInbound(new TextWebSocketFrame(true, 0b010, Unpooled.EMPTY_BUFFER));
        assertThat(((Recorder) rsv2.pipeline().last()).seen).containsExactly("error CorruptedWebSocketFrameException");
        channel.finishAndReleaseAll();
        rsv2.finishAndReleaseAll();
    }

    @Test
    void thePacerHoldsMessagesPastItsBudgetAndWorksThroughThemInALaterTurn() {
        List<Boolean> pauses = new ArrayList<>();
        Recorder recorder = new Recorder();
        ChannelInboundHandlerAdapter slowInflater = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                long until = System.nanoTime() + 2_000_000; // costlier than a turn's budget
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                ctx.fireChannelRead(msg);
            }
        };
        EmbeddedChannel channel = new EmbeddedChannel(new InflationPacer(pauses::add), slowInflater, recorder);
        // One read burst of three messages (writeInbound would also run the event loop's tasks).
        channel.pipeline().fireChannelRead(new TextWebSocketFrame("1")).fireChannelRead(new TextWebSocketFrame("2"))
                .fireChannelRead(new TextWebSocketFrame("3"));
        assertThat(recorder.seen).containsExactly("TextWebSocketFrame");
        assertThat(pauses).containsExactly(true);
        channel.runScheduledPendingTasks(); // the next turn: one more message, over the budget again
        assertThat(recorder.seen).hasSize(2);
        assertThat(pauses).containsExactly(true);
        channel.runScheduledPendingTasks();
        assertThat(recorder.seen).hasSize(3);
        assertThat(pauses).containsExactly(true, false);
        channel.finishAndReleaseAll();
    }

    @Test
    void corruptFramesMapToTheirViolation() {
        assertThat(ProtocolErrors.violationFor(new CorruptedWebSocketFrameException())).isNotNull();
        assertThat(ProtocolErrors.violationFor(new java.io.IOException("reset"))).isNull();
        assertThat(ProtocolErrors.violationFor(new IllegalStateException("bug")))
                .isEqualTo(io.echowall.websocket.Closes.Violation.INTERNAL);
    }
}
