package io.echowall.internal;

import io.echowall.websocket.Utf8Validator;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;

import java.nio.ByteBuffer;

/**
 * Validates text frame by frame after permessage-deflate has inflated them, on connections where
 * compressed bytes on the wire cannot be checked as they arrive. Fails with 1007 at the first invalid
 * frame, or at the end of a message that stops inside a character.
 */
final class InflatedTextValidator extends ChannelInboundHandlerAdapter {

    private final Utf8Validator utf8 = new Utf8Validator();
    private boolean inText;
    private boolean failed;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (failed) {
            ReferenceCountUtil.release(msg);
            return;
        }
        boolean check;
        boolean last;
        if (msg instanceof TextWebSocketFrame text) {
            utf8.reset();
            inText = true;
            check = true;
            last = text.isFinalFragment();
        } else if (msg instanceof ContinuationWebSocketFrame continuation) {
            check = inText;
            last = continuation.isFinalFragment();
        } else {
            if (msg instanceof BinaryWebSocketFrame) {
                inText = false;
            }
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf content = ((io.netty.handler.codec.http.websocketx.WebSocketFrame) msg).content();
        if (check && (!feed(content) || (last && !utf8.isComplete()))) {
            failed = true;
            ReferenceCountUtil.release(msg);
            ctx.fireExceptionCaught(new InvalidTextException());
            return;
        }
        if (last) {
            inText = false;
        }
        ctx.fireChannelRead(msg);
    }

    private boolean feed(ByteBuf content) {
        for (ByteBuffer part : content.nioBuffers()) {
            if (!utf8.feed(part)) {
                return false;
            }
        }
        return true;
    }
}
