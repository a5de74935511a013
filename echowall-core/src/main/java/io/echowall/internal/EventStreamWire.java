package io.echowall.internal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;

/**
 * The wire of an {@code echowall.v1} event stream: it sits where a WebSocket's frame codec would, below
 * a {@link WebSocketConnection}, and writes what that connection writes as Server-Sent Events in a
 * chunked HTTP response, so rooms, cursors, backlogs and the slow-consumer policy are the WebSocket's own.
 *
 * <ul>
 *   <li>a text frame, or a room's shared frame ({@link SharedFrame}), becomes one event whose data is
 *       the envelope; a line break inside it (raw JSON a publisher formatted) starts another data line,
 *       which the browser joins back with a line feed, JSON whitespace either way;</li>
 *   <li>a ping becomes a comment line, which keeps proxies from closing a quiet stream. Nothing can
 *       answer it: once written, it counts as answered, and a peer that is gone shows as a failed write;</li>
 *   <li>a close becomes a {@code close} event with the code and reason, the end of the response, and the
 *       end of the connection;</li>
 *   <li>pongs are dropped (the client's pings come by POST and are answered with an envelope).</li>
 * </ul>
 * Requests come as POSTs ({@link EventStreams}), fed in here as text frames; any byte the client sends on
 * the stream's own connection is dropped.
 */
final class EventStreamWire extends ChannelDuplexHandler {

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMMENT = ":\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};

    private final byte[] head;
    private ChannelHandlerContext ctx;

    /** A wire that first writes {@code head}, the response's status line and headers. */
    EventStreamWire(byte[] head) {
        this.head = head;
    }

    /** The response head of an event stream (HTTP/1.1, chunked, never cached nor buffered by proxies). */
    static byte[] responseHead() {
        return ("HTTP/1.1 200 OK\r\n"
                + "Content-Type: text/event-stream; charset=utf-8\r\n"
                + "Cache-Control: no-cache, no-store, no-transform\r\n"
                + "X-Accel-Buffering: no\r\n" // nginx would otherwise hold events back
                + "X-Content-Type-Options: nosniff\r\n"
                + "Transfer-Encoding: chunked\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        ctx.writeAndFlush(ctx.alloc().buffer(head.length).writeBytes(head), ctx.voidPromise());
    }

    /**
     * Event loop: hands a client's request, posted to this stream, to the connection as if read, a read
     * burst of its own, so that what it writes is flushed now, whatever becomes of the rest of the POST.
     */
    void requestPosted(String envelope) {
        ctx.fireChannelRead(new TextWebSocketFrame(envelope));
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg); // the stream's client has nothing to say on this connection
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Nothing was passed on, so nothing is due.
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ByteBufAllocator alloc = ctx.alloc();
        switch (msg) {
            case TextWebSocketFrame text -> {
                ByteBuf data = text.content();
                ctx.write(event(alloc, null, data, 0, data.readableBytes()), promise);
                text.release();
            }
            case PingWebSocketFrame ping -> {
                ping.release();
                ByteBuf comment = alloc.buffer(COMMENT.length).writeBytes(COMMENT);
                ctx.write(chunk(alloc, comment)).addListener(written -> {
                    if (written.isSuccess()) {
                        this.ctx.fireChannelRead(new PongWebSocketFrame());
                    }
                });
                promise.trySuccess();
            }
            case CloseWebSocketFrame close -> {
                String json = "{\"code\":" + close.statusCode() + ",\"reason\":\""
                        + new String(JsonStringEncoder.getInstance().quoteAsString(close.reasonText())) + "\"}";
                close.release();
                ByteBuf data = alloc.buffer().writeBytes(json.getBytes(StandardCharsets.UTF_8));
                ctx.write(event(alloc, "close", data, 0, data.readableBytes()));
                data.release();
                ByteBuf last = alloc.buffer(5).writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                ctx.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE); // the promise may be a void one
                promise.trySuccess();
            }
            case WebSocketFrame other -> {
                other.release(); // pongs; binary frames are never written to a protocol member
                promise.trySuccess();
            }
            case ByteBuf frame when frame.readableBytes() > 0 -> {
                int start = frame.readerIndex();
                int length = SharedFrame.payloadLength(frame);
                int header = length < 126 ? 2 : length < 65536 ? 4 : 10;
                ctx.write(event(alloc, null, frame, start + header, length), promise);
                frame.release();
            }
            default -> ctx.write(msg, promise); // an empty buffer, written to flush before closing
        }
    }

    /**
     * One event, as one HTTP chunk: an optional {@code event:} line, then the data ({@code length}
     * bytes of {@code source} from {@code from}, shared, not copied, when it holds no line break).
     */
    private static ByteBuf event(ByteBufAllocator alloc, String name, ByteBuf source, int from, int length) {
        CompositeByteBuf body = alloc.compositeBuffer();
        ByteBuf start = alloc.buffer();
        if (name != null) {
            start.writeBytes(("event: " + name + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        start.writeBytes(DATA);
        body.addComponent(true, start);
        if (source.indexOf(from, from + length, (byte) '\n') < 0 && source.indexOf(from, from + length, (byte) '\r') < 0) {
            body.addComponent(true, source.retainedSlice(from, length));
        } else {
            ByteBuf lines = alloc.buffer(length + 16);
            for (int i = from; i < from + length; i++) {
                byte b = source.getByte(i);
                if (b == '\r' || b == '\n') {
                    if (b == '\r' && i + 1 < from + length && source.getByte(i + 1) == '\n') {
                        i++;
                    }
                    lines.writeByte('\n').writeBytes(DATA);
                } else {
                    lines.writeByte(b);
                }
            }
            body.addComponent(true, lines);
        }
        body.addComponent(true, alloc.buffer(2).writeByte('\n').writeByte('\n'));
        return chunk(alloc, body);
    }

    /** {@code body} framed as one chunk of the chunked response (RFC 9112 section 7.1). */
    private static ByteBuf chunk(ByteBufAllocator alloc, ByteBuf body) {
        CompositeByteBuf chunk = alloc.compositeBuffer();
        byte[] size = (Integer.toHexString(body.readableBytes()) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        chunk.addComponent(true, alloc.buffer(size.length).writeBytes(size));
        chunk.addComponent(true, body);
        chunk.addComponent(true, alloc.buffer(2).writeBytes(CRLF));
        return chunk;
    }
}
