package io.echowall.jmh;

import io.echowall.websocket.Utf8Validator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.NettyUtf8Check;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Validating one whole text message as UTF-8: Echowall's {@link Utf8Validator} (on a byte array and on
 * a direct buffer, as connections feed it) against Netty's validator (as {@code Utf8FrameValidator} runs
 * it) and the JDK's {@link CharsetDecoder} (which also decodes, into a reused {@link CharBuffer}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class Utf8Benchmark {

    @Param({"64", "16384"})
    int size;

    @Param({"ascii", "mixed"})
    String text;

    private byte[] bytes;
    private ByteBuffer direct;
    private ByteBuffer heap;
    private ByteBuf nettyHeap;
    private ByteBuf nettyDirect;
    private CharBuffer chars;
    private final Utf8Validator echowall = new Utf8Validator();
    private final NettyUtf8Check netty = new NettyUtf8Check();
    private final CharsetDecoder jdk = StandardCharsets.UTF_8.newDecoder(); // reports malformed input

    @Setup
    public void setUp() {
        bytes = Payloads.utf8(text, size);
        direct = ByteBuffer.allocateDirect(size).put(bytes).flip();
        heap = ByteBuffer.wrap(bytes);
        nettyHeap = Unpooled.wrappedBuffer(bytes);
        nettyDirect = Unpooled.directBuffer(size).writeBytes(bytes);
        chars = CharBuffer.allocate(size);
    }

    @TearDown
    public void tearDown() {
        nettyDirect.release();
    }

    @Benchmark
    public boolean echowallArray() {
        echowall.reset();
        return echowall.feed(bytes, 0, bytes.length) && echowall.isComplete();
    }

    @Benchmark
    public boolean echowallDirect() {
        echowall.reset();
        return echowall.feed(direct) && echowall.isComplete();
    }

    @Benchmark
    public ByteBuf nettyHeap() {
        netty.check(nettyHeap);
        return nettyHeap;
    }

    @Benchmark
    public ByteBuf nettyDirect() {
        netty.check(nettyDirect);
        return nettyDirect;
    }

    @Benchmark
    public boolean jdkDecoder() {
        heap.clear();
        chars.clear();
        jdk.reset();
        CoderResult result = jdk.decode(heap, chars, true);
        return !result.isError() && !jdk.flush(chars).isError();
    }
}
