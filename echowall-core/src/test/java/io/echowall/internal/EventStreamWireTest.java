package io.echowall.internal;

import io.echowall.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** What the event-stream wire makes of what a connection writes: chunks of Server-Sent Events. */
class EventStreamWireTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new EventStreamWire("HEAD\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));

    /** Everything written since the last call, as text. */
    private String written() {
        StringBuilder out = new StringBuilder();
        for (Object o; (o = channel.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) o;
            out.append(buf.toString(StandardCharsets.UTF_8));
            buf.release();
        }
        return out.toString();
    }

    private static String chunk(String body) {
        return Integer.toHexString(body.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + body + "\r\n";
    }

    @Test
    void theHeadGoesFirstThenEachTextFrameIsOneEventInOneChunk() {
        assertThat(written()).isEqualTo("HEAD\r\n\r\n");
        channel.writeAndFlush(new TextWebSocketFrame("{\"type\":\"pong\"}"));
        assertThat(written()).isEqualTo(chunk("data: {\"type\":\"pong\"}\n\n"));
    }

    @Test
    void aRoomsSharedFrameIsUnwrappedAndALineBreakInItStartsAnotherDataLine() {
        written();
        ByteBuf shared = SharedFrame.encode(UnpooledByteBufAllocator.DEFAULT, Message.text("{\n\"a\":1\r\n}"));
        channel.writeAndFlush(shared.retainedDuplicate());
        assertThat(written()).isEqualTo(chunk("data: {\ndata: \"a\":1\ndata: }\n\n"));
        assertThat(shared.refCnt()).as("the shared frame is left to its other members").isEqualTo(1);
        shared.release();
        String large = "{\"x\":\"" + "y".repeat(70_000) + "\"}"; // a frame header of 10 bytes
        channel.writeAndFlush(SharedFrame.encode(UnpooledByteBufAllocator.DEFAULT, Message.text(large)));
        assertThat(written()).isEqualTo(chunk("data: " + large + "\n\n"));
    }

    @Test
    void aPingIsACommentThatCountsAsAnsweredOnceWritten() {
        written();
        channel.writeAndFlush(new PingWebSocketFrame());
        assertThat(written()).isEqualTo(chunk(":\n\n"));
        Object answered = channel.readInbound();
        assertThat(answered).isInstanceOf(PongWebSocketFrame.class);
        ((PongWebSocketFrame) answered).release();
        channel.writeAndFlush(new PongWebSocketFrame());
        assertThat(written()).isEmpty();
    }

    @Test
    void aCloseIsACloseEventThenTheEndOfTheResponseAndOfTheConnection() {
        written();
        channel.writeAndFlush(new CloseWebSocketFrame(1001, "bye \"now\""));
        assertThat(written()).isEqualTo(chunk("event: close\ndata: {\"code\":1001,\"reason\":\"bye \\\"now\\\"\"}\n\n") + "0\r\n\r\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void whatTheClientSendsOnTheStreamItselfIsDropped() {
        ByteBuf input = Unpooled.copiedBuffer("GET / HTTP/1.1\r\n\r\n", StandardCharsets.US_ASCII);
        channel.writeInbound(input);
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(input.refCnt()).isZero();
    }
}
