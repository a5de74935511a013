package io.echowall.internal;

import io.echowall.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * A server-to-client WebSocket frame as bytes (RFC 6455 section 5.2): final, unmasked, text or binary,
 * header and payload in one buffer, to be written as it is to any number of connections.
 */
final class SharedFrame {

    private SharedFrame() {
    }

    /** The frame carrying {@code message}, in a buffer from {@code allocator}. */
    static ByteBuf encode(ByteBufAllocator allocator, Message message) {
        int length = message.size();
        int header = length < 126 ? 2 : length < 65536 ? 4 : 10;
        ByteBuf frame = allocator.directBuffer(header + length);
        frame.writeByte(0x80 | (message.isText() ? 0x1 : 0x2)); // FIN, opcode
        if (length < 126) {
            frame.writeByte(length);
        } else if (length < 65536) {
            frame.writeByte(126).writeShort(length);
        } else {
            frame.writeByte(127).writeLong(length);
        }
        frame.writeBytes(message.asByteBuffer());
        return frame;
    }

    /** The payload length a frame made by {@link #encode} announces in its header. */
    static int payloadLength(ByteBuf frame) {
        int start = frame.readerIndex();
        int length = frame.getByte(start + 1) & 0x7f;
        return length < 126 ? length : length == 126 ? frame.getUnsignedShort(start + 2) : (int) frame.getLong(start + 2);
    }
}
