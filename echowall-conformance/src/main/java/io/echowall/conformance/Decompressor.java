package io.echowall.conformance;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** Inflates permessage-deflate messages (RFC 7692 section 7.2.2); sans-I/O. */
final class Decompressor implements AutoCloseable {

    private static final byte[] TAIL = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF};

    private final Inflater inflater = new Inflater(true);
    private final boolean noContextTakeover;
    private final byte[] buffer = new byte[8192];

    /** The message would inflate beyond the allowed size. */
    static final class TooLarge extends Exception {
        TooLarge(long limit) {
            super("inflates to more than " + limit + " bytes");
        }
    }

    /**
     * @param noContextTakeover the peer resets its history after every message, so this side starts each message
     *                          from an empty window; a peer that breaks that promise then fails to inflate
     */
    Decompressor(boolean noContextTakeover) {
        this.noContextTakeover = noContextTakeover;
    }

    /** Inflates one message's payload, refusing to produce more than {@code limit} bytes. */
    byte[] decompress(byte[] payload, long limit) throws DataFormatException, TooLarge {
        // A block with BFINAL set ends the DEFLATE stream, so the next message starts a new one (section 7.2.3.4).
        if (noContextTakeover || inflater.finished()) {
            inflater.reset();
        }
        var input = new byte[payload.length + TAIL.length];
        System.arraycopy(payload, 0, input, 0, payload.length);
        System.arraycopy(TAIL, 0, input, payload.length, TAIL.length); // RFC 7692 section 7.2.2, step 1
        inflater.setInput(input);
        var out = new ByteArrayOutputStream();
        while (true) {
            int produced = inflater.inflate(buffer);
            if (produced > 0) {
                if (out.size() + (long) produced > limit) {
                    throw new TooLarge(limit);
                }
                out.write(buffer, 0, produced);
            } else if (inflater.finished() || inflater.needsInput()) {
                return out.toByteArray();
            } else {
                throw new DataFormatException(inflater.needsDictionary() ? "stream asks for a preset dictionary"
                        : "inflater made no progress");
            }
        }
    }

    @Override
    public void close() {
        inflater.end();
    }
}
