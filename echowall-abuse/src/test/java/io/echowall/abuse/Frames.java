package io.echowall.abuse;

import io.echowall.testing.RawWebSocket;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/** Byte-level helpers for attacks: batches of frames, and permessage-deflate payloads (RFC 7692). */
final class Frames {

    /** The four bytes a sync flush ends with, left off each message (RFC 7692 section 7.2.1). */
    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    private Frames() {
    }

    /** The parts, one after the other. */
    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    /**
     * {@code count} copies of one masked frame, to write again and again: reusing a mask is harmless
     * to a server, and it keeps the attacker's CPU for sending.
     */
    static byte[] batch(int first, byte[] payload, int count) {
        byte[] frame = RawWebSocket.encode(first, payload, true);
        byte[] batch = new byte[frame.length * count];
        for (int i = 0; i < count; i++) {
            System.arraycopy(frame, 0, batch, i * frame.length, frame.length);
        }
        return batch;
    }

    /** {@code data} compressed as one permessage-deflate message: raw deflate, sync-flushed, tail removed. */
    static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            deflater.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            int n;
            do {
                n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
                out.write(chunk, 0, n);
            } while (n == chunk.length);
            byte[] compressed = out.toByteArray();
            if (!Arrays.equals(compressed, compressed.length - TAIL.length, compressed.length, TAIL, 0, TAIL.length)) {
                throw new IllegalStateException("a sync flush ends with 00 00 FF FF");
            }
            return Arrays.copyOf(compressed, compressed.length - TAIL.length);
        } finally {
            deflater.end();
        }
    }

    /** Inflates the first compressed message of a connection (a fresh window is enough for it). */
    static byte[] inflate(byte[] payload) throws DataFormatException {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(concat(payload, TAIL));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            for (int n = inflater.inflate(chunk); n > 0; n = inflater.inflate(chunk)) {
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } finally {
            inflater.end();
        }
    }
}
