package io.echowall.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * On a connection with permessage-deflate, where the frame decoder must let reserved bits through,
 * enforces which may be set: only RSV1, and only on the first frame of a data message (RFC 7692
 * section 6); anything else fails the connection with 1002.
 */
final class DeflateFrameRules extends ChannelInboundHandlerAdapter {

    private static final int RSV1 = 0b100;

    private boolean failed;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (failed) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof WebSocketFrame frame) {
            int rsv = frame.rsv();
            boolean firstOfMessage = frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame;
            if ((rsv & ~RSV1) != 0 || (rsv != 0 && !firstOfMessage)) {
                failed = true;
                frame.release();
                ctx.fireExceptionCaught(new CorruptedWebSocketFrameException(WebSocketCloseStatus.PROTOCOL_ERROR,
                        "reserved bits " + rsv + " on a " + frame.getClass().getSimpleName()));
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }
}
