package io.echowall.conformance;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * Compresses messages for permessage-deflate (RFC 7692 section 7.2.1); sans-I/O.
 *
 * <p>{@link Deflater} always uses a 32 KiB window. To honour a smaller agreed window (2^bits bytes) it resets
 * its history with a full flush after every 2^bits input bytes, so no back-reference ever reaches further than
 * the agreed window.
 */
final class Compressor implements AutoCloseable {

    private static final byte[] EMPTY = new byte[0];

    private final Deflater deflater;
    private final int windowBits;
    private final boolean noContextTakeover;
    private final byte[] buffer = new byte[8192];

    /**
     * @param windowBits        the agreed LZ77 window, 8-15
     * @param noContextTakeover start every message from an empty history (RFC 7692 section 7.1.1)
     */
    Compressor(int windowBits, boolean noContextTakeover) {
        this(Deflater.DEFAULT_COMPRESSION, windowBits, noContextTakeover);
    }

    private Compressor(int level, int windowBits, boolean noContextTakeover) {
        if (windowBits < 8 || windowBits > 15) {
            throw new IllegalArgumentException("window bits " + windowBits + " outside 8-15");
        }
        this.deflater = new Deflater(level, true); // raw DEFLATE: no zlib header or checksum (RFC 7692 section 7.2.1)
        this.windowBits = windowBits;
        this.noContextTakeover = noContextTakeover;
    }

    /** The compressed payload of one message, without the trailing 0x00 0x00 0xff 0xff. */
    byte[] compress(byte[] message) {
        return compressInBlocks(message);
    }

    /**
     * Compresses a message given in parts, flushing after each so the payload holds one DEFLATE block per part
     * (RFC 7692 section 7.2.3.5); only the tail of the last flush is removed.
     */
    byte[] compressInBlocks(byte[]... parts) {
        if (noContextTakeover) {
            deflater.reset();
        }
        var out = new ByteArrayOutputStream();
        int chunk = windowBits == 15 ? Integer.MAX_VALUE : 1 << windowBits;
        // A full flush forgets the history, which keeps distances inside the window; a sync flush keeps it.
        int flush = windowBits == 15 ? Deflater.SYNC_FLUSH : Deflater.FULL_FLUSH;
        for (byte[] part : parts.length == 0 ? new byte[][] {EMPTY} : parts) {
            int offset = 0;
            do {
                int length = Math.min(chunk, part.length - offset);
                deflate(part, offset, length, flush, out);
                offset += length;
            } while (offset < part.length);
        }
        return withoutEmptyBlockTail(out.toByteArray());
    }

    /**
     * RFC 7692 section 7.2.1: make the data end with an empty stored block, then drop that block's last four
     * bytes (0x00 0x00 0xff 0xff). A flush usually ends with one already; zlib writes nothing at all for a flush
     * with no new input, and nothing after a final block, so the block is appended then (output is byte-aligned).
     */
    private static byte[] withoutEmptyBlockTail(byte[] compressed) {
        int n = compressed.length;
        boolean endsWithEmptyBlock = n >= 4 && compressed[n - 4] == 0 && compressed[n - 3] == 0
                && compressed[n - 2] == (byte) 0xFF && compressed[n - 1] == (byte) 0xFF;
        return endsWithEmptyBlock ? Arrays.copyOf(compressed, n - 4) : Arrays.copyOf(compressed, n + 1); // + the block's 0x00
    }

    private void deflate(byte[] data, int offset, int length, int flush, ByteArrayOutputStream out) {
        deflater.setInput(data, offset, length);
        int written;
        do { // a full output buffer means more output may be pending (Deflater#deflate)
            written = deflater.deflate(buffer, 0, buffer.length, flush);
            out.write(buffer, 0, written);
        } while (written == buffer.length);
    }

    /**
     * A message compressed as one final block (BFINAL = 1) by a fresh compressor, the variant RFC 7692 section
     * 7.2.3.4 allows.
     */
    static byte[] compressAsFinalBlock(byte[] message) {
        var deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            deflater.setInput(message);
            deflater.finish();
            var out = new ByteArrayOutputStream();
            var buffer = new byte[8192];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            out.write(0); // section 7.2.1: the empty stored block appended, less its last 4 bytes
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** A message in stored (uncompressed) DEFLATE blocks, as in RFC 7692 section 7.2.3.3. */
    static byte[] compressAsStoredBlocks(byte[] message) {
        try (var stored = new Compressor(Deflater.NO_COMPRESSION, 15, true)) {
            return stored.compress(message);
        }
    }

    @Override
    public void close() {
        deflater.end();
    }
}
