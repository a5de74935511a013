package io.echowall.internal;

import io.echowall.http.ConditionalGet;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.handler.stream.ChunkedWriteHandler;

import java.time.Instant;

/**
 * Puts an HTTP response on the wire: the headers it needs there (length, date, Connection options),
 * then the response, whole or with its body streamed from a file.
 */
final class ResponseWire {

    private ResponseWire() {
    }

    /** Completes the headers of {@code response} to {@code request}, for a connection kept alive or not. */
    static void completeHeaders(FullHttpRequest request, FullHttpResponse response, boolean keepAlive) {
        int length = response.content().readableBytes();
        if (!response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)
                && response.status().code() != 204 && response.status().code() != 304) {
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, length);
        }
        if (request.method().equals(HttpMethod.HEAD)) {
            response.content().clear(); // same headers as GET, no body (RFC 9110 section 9.3.2)
        }
        if (!response.headers().contains(HttpHeaderNames.DATE)) {
            response.headers().set(HttpHeaderNames.DATE, ConditionalGet.HTTP_DATE.format(Instant.now())); // RFC 9110 section 6.6.1
        }
        if (!keepAlive) {
            addConnectionOption(response, HttpHeaderValues.CLOSE);
        } else if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            // An HTTP/1.0 client keeps the connection only if told so (RFC 9112 appendix C.2.2).
            addConnectionOption(response, HttpHeaderValues.KEEP_ALIVE);
        }
    }

    /** Writes {@code response}, with its body streamed from {@code file} when that is not null. */
    static ChannelFuture write(ChannelHandlerContext ctx, FullHttpResponse response, ChunkedNioFile file) {
        return file == null ? ctx.writeAndFlush(response) : writeStreamed(ctx, response, file);
    }

    /** Writes the headers of {@code response}, then {@code file} in chunks as the peer takes them. */
    private static ChannelFuture writeStreamed(ChannelHandlerContext ctx, FullHttpResponse response, ChunkedNioFile file) {
        if (ctx.pipeline().get(ChunkedWriteHandler.class) == null) {
            ctx.pipeline().addBefore(ctx.name(), "chunked", new ChunkedWriteHandler());
        }
        HttpResponse head = new DefaultHttpResponse(response.protocolVersion(), response.status(), response.headers());
        response.release();
        ctx.write(head);
        return ctx.writeAndFlush(new HttpChunkedInput(file));
    }

    /**
     * Adds {@code option} to the response's Connection header, keeping those already there: a 426 must
     * still say {@code upgrade} (RFC 9110 section 7.8).
     */
    private static void addConnectionOption(FullHttpResponse response, CharSequence option) {
        String options = response.headers().get(HttpHeaderNames.CONNECTION);
        if (options == null) {
            response.headers().set(HttpHeaderNames.CONNECTION, option);
        } else if (!response.headers().containsValue(HttpHeaderNames.CONNECTION, option, true)) {
            response.headers().set(HttpHeaderNames.CONNECTION, options + ", " + option);
        }
    }
}
