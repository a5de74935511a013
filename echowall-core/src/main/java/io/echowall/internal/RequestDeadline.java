package io.echowall.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the time a client has to send a whole request: from the moment the connection opens, or the
 * last response went out, until the request is complete. A client that trickles its request (slowloris)
 * gets 408 and is closed; one that sent nothing is closed quietly, as an idle keep-alive connection.
 * While a request is being served the clock stops: a slow handler is not the client's fault.
 */
final class RequestDeadline extends ChannelInboundHandlerAdapter {

    private final Duration timeout;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private boolean bytesSinceArmed;

    RequestDeadline(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        arm();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        disarm();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
            bytesSinceArmed = true;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        disarm();
        ctx.fireChannelInactive();
    }

    /** Event loop: a whole request arrived; the clock stops while it is served. */
    void requestArrived() {
        disarm();
    }

    /** Event loop: a response went out and the connection stays open; the next request's clock starts. */
    void arm() {
        disarm();
        bytesSinceArmed = false;
        timer = ctx.executor().schedule(this::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expire() {
        timer = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        if (!bytesSinceArmed) {
            ctx.close();
            return;
        }
        FullHttpResponse response = ErrorPages.response(null, HttpResponseStatus.REQUEST_TIMEOUT,
                "The request did not arrive in time.");
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.channel().writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
