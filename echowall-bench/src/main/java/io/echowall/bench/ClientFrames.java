package io.echowall.bench;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;

import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Encodes the frames a client sends (RFC 6455 §5.2), always final and always masked, by appending
 * them to a buffer: a connection batches the frames of one burst into one buffer and one write.
 *
 * <p>Masking touches every payload byte, so large payloads are masked in a plain {@code long[]}
 * (a loop the JIT vectorizes) and copied into the buffer in bulk: per-long calls on a
 * {@code ByteBuf} cost several times more.
 */
final class ClientFrames {
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    static final int NORMAL_CLOSURE = 1000;

    private static final int MASK_LENGTH = 4;
    /** From this many longs on, masking goes through the scratch array and bulk copies. */
    private static final int BULK_LONGS = 32;
    /** A per-thread scratch array for masking: each event loop has its own. */
    private static final FastThreadLocal<long[][]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected long[][] initialValue() {
            return new long[1][0];
        }
    };

    private ClientFrames() {
    }

    /** The bytes a frame with {@code payloadLength} bytes of payload takes on the wire. */
    static int frameLength(int payloadLength) {
        int extended = payloadLength < 126 ? 0 : payloadLength <= 0xFFFF ? 2 : 8;
        return 2 + extended + MASK_LENGTH + payloadLength;
    }

    /** Appends the masked frame carrying message {@code sequence} of connection {@code connectionId}. */
    static void writeData(ByteBuf out, MessageShape shape, int connectionId, long sequence) {
        int size = shape.size();
        int maskingKey = newMaskingKey();
        writeHeader(out, shape.text() ? TEXT : BINARY, size, maskingKey);
        if (size < MessageShape.HEADER_LENGTH) {
            for (int i = 0; i < size; i++) {
                out.writeByte(MessageShape.headerByte(connectionId, sequence, i) ^ keyByte(maskingKey, i));
            }
            return;
        }
        // Header and body start at payload offsets that are multiples of 4, so the key lines up with each long.
        long key = wideKey(maskingKey);
        out.writeLongLE(MessageShape.headerFirstHalf(connectionId, sequence) ^ key);
        out.writeLongLE(MessageShape.headerSecondHalf(connectionId, sequence) ^ key);
        int bodyLength = size - MessageShape.HEADER_LENGTH;
        int longs = bodyLength / Long.BYTES;
        writeMaskedLongs(out, shape.bodyLongs(), MessageShape.bodyStart(sequence), longs, key);
        for (int i = longs * Long.BYTES; i < bodyLength; i++) {
            out.writeByte(shape.bodyByte(sequence, i) ^ keyByte(maskingKey, i));
        }
    }

    /** Appends a masked final frame of {@code opcode} (a control frame, or a small data frame) carrying {@code payload}'s readable bytes. */
    static void writeFrame(ByteBuf out, int opcode, ByteBuf payload) {
        int size = payload.readableBytes();
        int maskingKey = newMaskingKey();
        int payloadStart = writeHeader(out, opcode, size, maskingKey);
        out.writeBytes(payload, payload.readerIndex(), size);
        mask(out, payloadStart, size, maskingKey);
    }

    /** Appends a masked close frame with status {@code code} and no reason (RFC 6455 §5.5.1). */
    static void writeClose(ByteBuf out, int code) {
        int maskingKey = newMaskingKey();
        int payloadStart = writeHeader(out, CLOSE, 2, maskingKey);
        out.writeShort(code);
        mask(out, payloadStart, 2, maskingKey);
    }

    /** XORs {@code length} bytes from {@code from} with the masking key (RFC 6455 §5.3), in place; masking twice undoes it. */
    static void mask(ByteBuf buffer, int from, int length, int maskingKey) {
        long key = wideKey(maskingKey);
        int longs = length / Long.BYTES;
        if (longs >= BULK_LONGS && buffer.nioBufferCount() == 1) {
            LongBuffer view = buffer.nioBuffer(from, longs * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer();
            long[] scratch = scratch(longs);
            view.get(0, scratch, 0, longs);
            for (int i = 0; i < longs; i++) {
                scratch[i] ^= key;
            }
            view.put(0, scratch, 0, longs);
        } else {
            for (int i = 0; i < longs; i++) {
                int at = from + i * Long.BYTES;
                buffer.setLongLE(at, buffer.getLongLE(at) ^ key);
            }
        }
        for (int i = longs * Long.BYTES; i < length; i++) {
            buffer.setByte(from + i, buffer.getByte(from + i) ^ keyByte(maskingKey, i));
        }
    }

    /** Appends {@code count} longs of {@code source} from {@code start}, each XORed with {@code key}, little-endian. */
    private static void writeMaskedLongs(ByteBuf out, long[] source, int start, int count, long key) {
        if (count < BULK_LONGS || out.nioBufferCount() != 1) {
            for (int i = 0; i < count; i++) {
                out.writeLongLE(source[start + i] ^ key);
            }
            return;
        }
        long[] scratch = scratch(count);
        // Copy, then XOR in place: a loop over one array, which the JIT vectorizes.
        System.arraycopy(source, start, scratch, 0, count);
        for (int i = 0; i < count; i++) {
            scratch[i] ^= key;
        }
        int bytes = count * Long.BYTES;
        out.ensureWritable(bytes);
        // nioBuffer shares the ByteBuf's memory: this bulk put writes straight into it.
        out.nioBuffer(out.writerIndex(), bytes).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().put(scratch, 0, count);
        out.writerIndex(out.writerIndex() + bytes);
    }

    private static long[] scratch(int longs) {
        long[][] holder = SCRATCH.get();
        if (holder[0].length < longs) {
            holder[0] = new long[longs];
        }
        return holder[0];
    }

    /** The masking key repeated over a long, as a little-endian read of four-aligned payload bytes sees it. */
    private static long wideKey(int maskingKey) {
        return (Integer.reverseBytes(maskingKey) & 0xFFFFFFFFL) * 0x1_0000_0001L;
    }

    /** The key byte that masks payload byte {@code position}. */
    private static int keyByte(int maskingKey, int position) {
        return maskingKey >>> (24 - 8 * (position & 3)) & 0xFF;
    }

    /** Writes FIN, opcode, the masked length and the masking key; returns where the payload starts. */
    static int writeHeader(ByteBuf out, int opcode, int payloadLength, int maskingKey) {
        out.writeByte(0x80 | opcode);
        // The smallest length encoding that fits, as RFC 6455 §5.2 requires.
        if (payloadLength < 126) {
            out.writeByte(0x80 | payloadLength);
        } else if (payloadLength <= 0xFFFF) {
            out.writeByte(0x80 | 126);
            out.writeShort(payloadLength);
        } else {
            out.writeByte(0x80 | 127);
            out.writeLong(payloadLength);
        }
        out.writeInt(maskingKey);
        return out.writerIndex();
    }

    /**
     * A fresh key per frame as RFC 6455 §5.3 asks. Never zero: some servers (Netty among them) skip
     * unmasking for a zero key, which would flatter them compared with real browsers.
     */
    static int newMaskingKey() {
        int key;
        do {
            key = ThreadLocalRandom.current().nextInt();
        } while (key == 0);
        return key;
    }
}
