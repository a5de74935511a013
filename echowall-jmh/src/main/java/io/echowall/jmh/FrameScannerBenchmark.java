package io.echowall.jmh;

import io.echowall.websocket.FrameScanner;
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
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The fail-fast scan of raw, masked frames ({@link FrameScanner}, which unmasks a copy and validates
 * UTF-8 on the fly) against the work every frame decoder does anyway: unmasking the payload in place,
 * eight bytes at a time, as Netty's {@code WebSocket08FrameDecoder} does.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class FrameScannerBenchmark {

    @Param({"64", "16384"})
    int size;

    @Param({"ascii", "mixed"})
    String text;

    private ByteBuffer textFrame;
    private ByteBuffer binaryFrame;
    private ByteBuffer scratch;
    private final FrameScanner scanner = new FrameScanner();

    @Setup
    public void setUp() {
        byte[] payload = Payloads.utf8(text, size);
        textFrame = Frames.masked(Frames.TEXT, payload);
        binaryFrame = Frames.masked(Frames.BINARY, payload);
        scratch = Frames.masked(Frames.TEXT, payload);
    }

    /** A whole text frame: header, then unmask and validate every payload byte. */
    @Benchmark
    public int scanText() {
        int valid = scanner.scan(textFrame);
        if (scanner.failed()) {
            throw new IllegalStateException("valid text was rejected");
        }
        return valid;
    }

    /** A whole binary frame: the header is parsed and the payload skipped. */
    @Benchmark
    public int scanBinary() {
        return scanner.scan(binaryFrame);
    }

    /** Unmasking the payload in place, longs then bytes (the decoder's own cost, for scale). */
    @Benchmark
    public ByteBuffer unmaskOnly() {
        ByteBuffer frame = scratch;
        int from = Frames.payloadOffset(frame);
        int end = frame.limit();
        int mask = frame.getInt(from - 4);
        long mask8 = (mask & 0xFFFFFFFFL) << 32 | (mask & 0xFFFFFFFFL);
        int i = from;
        for (; i + 8 <= end; i += 8) {
            frame.putLong(i, frame.getLong(i) ^ mask8);
        }
        for (; i < end; i++) {
            frame.put(i, (byte) (frame.get(i) ^ (mask >>> (24 - 8 * ((i - from) & 3)))));
        }
        return frame;
    }
}
