package io.echowall.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;

import java.io.ByteArrayOutputStream;

/**
 * The bytes a client puts on the wire for a frame, made by Netty's own client-side encoder: masked, as
 * RFC 6455 section 5.3 requires of clients, so that tests need no hand-written codec.
 */
final class ClientFrames {

    private ClientFrames() {
    }

    /** A final text frame carrying {@code payload}, which need not be valid UTF-8. */
    static byte[] text(byte[] payload) {
        EmbeddedChannel encoder = new EmbeddedChannel(new WebSocket08FrameEncoder(true));
        encoder.writeOutbound(new TextWebSocketFrame(Unpooled.wrappedBuffer(payload)));
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (ByteBuf part; (part = encoder.readOutbound()) != null; ) {
            byte[] bytes = new byte[part.readableBytes()];
            part.readBytes(bytes);
            wire.writeBytes(bytes);
            part.release();
        }
        encoder.finishAndReleaseAll();
        return wire.toByteArray();
    }
}
