package io.echowall.internal;

import io.echowall.Message;
import io.echowall.websocket.Closes;
import io.echowall.websocket.FrameReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The frame decoder of an uncompressed connection: runs a {@link FrameReader} over each read as it
 * arrives and passes on whole {@link Message}s (and control frames as Netty's frames), so a frame is
 * parsed, unmasked, checked and copied once. The read buffer goes back to the pool at once: nothing
 * of it is kept.
 */
final class FrameReading extends ChannelInboundHandlerAdapter implements FrameReader.Frames {

    private final FrameReader reader;
    private ChannelHandlerContext ctx;

    FrameReading(int maxMessageSize) {
        this.reader = new FrameReader(maxMessageSize, this);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (in.nioBufferCount() == 1) {
                read(in.nioBuffer());
            } else {
                for (ByteBuffer part : in.nioBuffers()) {
                    read(part);
                }
            }
        } finally {
            in.release();
        }
    }

    private void read(ByteBuffer bytes) {
        if (!reader.isDone()) {
            reader.read(bytes.order(ByteOrder.BIG_ENDIAN));
        }
    }

    @Override
    public void message(Message message) {
        ctx.fireChannelRead(message);
    }

    @Override
    public void ping(byte[] payload) {
        ctx.fireChannelRead(new PingWebSocketFrame(Unpooled.wrappedBuffer(payload)));
    }

    @Override
    public void pong() {
        ctx.fireChannelRead(new PongWebSocketFrame());
    }

    @Override
    public void close(ByteBuffer payload) {
        ctx.fireChannelRead(new CloseWebSocketFrame(true, 0, Unpooled.wrappedBuffer(payload)));
    }

    @Override
    public void violation(Closes.Violation violation) {
        // The errors Netty's own decoders raise for the same faults, mapped in one place by ProtocolErrors.
        ctx.fireExceptionCaught(switch (violation) {
            case INVALID_UTF8 -> new InvalidTextException();
            case MESSAGE_TOO_BIG -> new TooLongFrameException("message over the limit");
            default -> new CorruptedWebSocketFrameException(WebSocketCloseStatus.PROTOCOL_ERROR, "protocol error");
        });
    }
}
