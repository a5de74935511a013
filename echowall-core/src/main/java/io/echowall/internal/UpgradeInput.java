package io.echowall.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * The raw input that follows a WebSocket upgrade request on its connection, held with reading paused
 * until the WebSocket pipeline takes it. Event loop only.
 */
final class UpgradeInput {

    private boolean holding;
    private CompositeByteBuf held; // made by the first early input: nearly every client waits for the 101

    /**
     * A WebSocket upgrade request arrived, so what follows it on the connection is no longer HTTP:
     * either frames, sent by a client that did not wait for the 101 response, or nothing (a refused
     * upgrade closes the connection). The HTTP decoder is taken out, which hands its leftover bytes on,
     * and from here on raw input is held, with reading paused, until the WebSocket pipeline takes it.
     */
    void hold(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(false);
        holding = true;
        ctx.pipeline().get(HttpServerCodec.class).removeInboundHandler();
    }

    /** Keeps {@code msg} when input is held and {@code msg} is raw input; whether it did. */
    boolean offer(Object msg) {
        if (holding && msg instanceof ByteBuf bytes) {
            if (held == null) {
                held = bytes.alloc().compositeBuffer();
            }
            held.addComponent(true, bytes);
            return true;
        }
        return false;
    }

    /** The input held since {@link #hold}, for the WebSocket pipeline. */
    ByteBuf take() {
        ByteBuf input = held != null ? held : Unpooled.EMPTY_BUFFER;
        holding = false;
        held = null;
        return input;
    }

    /** Releases what is held: the connection is gone. */
    void release() {
        holding = false;
        if (held != null) {
            held.release();
            held = null;
        }
    }
}
