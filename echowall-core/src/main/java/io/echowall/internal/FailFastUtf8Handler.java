package io.echowall.internal;

import io.echowall.websocket.FrameScanner;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Sits in front of the frame decoder of an uncompressed connection and fails it at the first byte
 * that makes a text message invalid UTF-8, before the rest of the frame is even read (RFC 6455
 * section 8.1). Bytes before that byte still reach the decoder, so earlier messages are delivered.
 */
final class FailFastUtf8Handler extends ChannelInboundHandlerAdapter {

    private final FrameScanner scanner = new FrameScanner();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (scanner.failed()) {
            in.release();
            return;
        }
        int readable = in.readableBytes();
        int valid = scanner.scan(in.nioBuffer(in.readerIndex(), readable));
        if (valid == readable) {
            ctx.fireChannelRead(in);
            return;
        }
        if (valid > 0) {
            ctx.fireChannelRead(in.retainedSlice(in.readerIndex(), valid));
        }
        in.release();
        ctx.fireExceptionCaught(new InvalidTextException());
    }
}
