package io.echowall.jmh;

import io.echowall.Message;
import io.echowall.websocket.Closes;
import io.echowall.websocket.FrameReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * From one read holding a masked client text frame to the {@link Message} a session gets, through a
 * pipeline on an embedded channel: Echowall's {@link FrameReader} (one pass: unmask into the message's
 * array, check UTF-8) against Netty's frame decoder and aggregator followed by the copy out of the
 * pooled buffer (what an uncompressed connection did before the reader, after a separate UTF-8 scan).
 * Each invocation refills one direct buffer with the frame, as the network fills a read buffer (Netty's
 * decoder unmasks in place, so the bytes must be fresh); both pay for the refill, neither for allocating.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class FrameDecodingBenchmark {

    @Param({"64", "16384"})
    int size;

    @Param({"ascii", "mixed"})
    String text;

    private ByteBuffer frame;
    private ByteBuf network;
    private final Sink readerSink = new Sink();
    private final Sink nettySink = new Sink();
    private EmbeddedChannel reader;
    private EmbeddedChannel netty;

    /** The end of the pipeline: keeps the message, as a connection hands it to its session. */
    private static final class Sink extends ChannelInboundHandlerAdapter {
        Message last;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof TextWebSocketFrame frame) {
                last = Message.wrap(true, ByteBufUtil.getBytes(frame.content()));
                frame.release();
            } else {
                last = (Message) msg;
            }
        }
    }

    /** A frame reader in a pipeline, as the server runs it for an uncompressed connection. */
    private static final class ReaderHandler extends ChannelInboundHandlerAdapter implements FrameReader.Frames {
        private final FrameReader frames = new FrameReader(1 << 20, this);
        private ChannelHandlerContext ctx;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            this.ctx = ctx;
            ByteBuf in = (ByteBuf) msg;
            frames.read(in.nioBuffer());
            in.release();
        }

        @Override
        public void message(Message message) {
            ctx.fireChannelRead(message);
        }

        @Override
        public void ping(byte[] payload) {
        }

        @Override
        public void pong() {
        }

        @Override
        public void close(ByteBuffer payload) {
        }

        @Override
        public void violation(Closes.Violation violation) {
            throw new IllegalStateException("valid text was rejected: " + violation);
        }
    }

    @Setup
    public void setUp() {
        frame = Frames.masked(Frames.TEXT, Payloads.utf8(text, size));
        network = ByteBufAllocator.DEFAULT.directBuffer(frame.remaining());
        reader = new EmbeddedChannel(new ReaderHandler(), readerSink);
        WebSocketDecoderConfig config = WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(1 << 20)
                .expectMaskedFrames(true).allowMaskMismatch(false).closeOnProtocolViolation(false).build();
        netty = new EmbeddedChannel(new WebSocket13FrameDecoder(config), new WebSocketFrameAggregator(1 << 20), nettySink);
    }

    @TearDown
    public void tearDown() {
        reader.finishAndReleaseAll();
        netty.finishAndReleaseAll();
        network.release();
    }

    /** The read buffer, refilled; the pipeline releases the reference it is handed, this one stays. */
    private ByteBuf read() {
        if (network.refCnt() != 1) {
            throw new IllegalStateException("a pipeline kept part of the read");
        }
        network.clear().writeBytes(frame.duplicate());
        return network.retain();
    }

    /** Echowall's frame reader: one pass per payload byte. */
    @Benchmark
    public Message frameReader() {
        reader.writeInbound(read());
        return readerSink.last;
    }

    /** Netty's decoder (unmasking in place) and aggregator, then the copy into the message's array. */
    @Benchmark
    public Message nettyDecoderAndCopy() {
        netty.writeInbound(read());
        return nettySink.last;
    }
}
