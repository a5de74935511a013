package io.echowall.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * How much one read of a connection may take, sized to what its decoder keeps. Netty's HTTP and
 * compressed-WebSocket decoders keep the read buffer that holds the unfinished part of a message, so
 * a connection paused mid-message holds its last read: there reads stay at 16 KiB. The uncompressed
 * WebSocket reader copies what it needs and returns every read at once, so it reads up to 64 KiB:
 * a 16 KiB message then takes one read, not two, and a burst of them one flush.
 *
 * <p>A connection starts with {@link #WHILE_KEPT} and switches by setting {@link #WHEN_RETURNED} as
 * its allocator. Netty makes a channel's read handle once and keeps it, so the handle looks at the
 * channel's allocator at the start of every read loop and follows it.
 */
final class ReadSizes extends AdaptiveRecvByteBufAllocator {

    /** For connections whose decoder may keep a read: HTTP, compressed WebSocket. */
    static final ReadSizes WHILE_KEPT = new ReadSizes(16 << 10);
    /** For connections that return every read at once: uncompressed WebSocket. */
    static final ReadSizes WHEN_RETURNED = new ReadSizes(64 << 10);

    private ReadSizes(int maxRead) {
        super(64, 2048, maxRead);
    }

    @Override
    public Handle newHandle() {
        return new Following();
    }

    private ExtendedHandle adaptiveHandle() {
        return (ExtendedHandle) super.newHandle();
    }

    /** The adaptive handle of whichever size the channel's allocator names. */
    private static final class Following implements ExtendedHandle {

        private ExtendedHandle current = WHILE_KEPT.adaptiveHandle();
        private boolean switched;

        @Override
        public void reset(ChannelConfig config) {
            if (!switched && config.getRecvByteBufAllocator() == WHEN_RETURNED) {
                switched = true;
                current = WHEN_RETURNED.adaptiveHandle();
            }
            current.reset(config);
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            return current.allocate(alloc);
        }

        @Override
        public int guess() {
            return current.guess();
        }

        @Override
        public void incMessagesRead(int numMessages) {
            current.incMessagesRead(numMessages);
        }

        @Override
        public void lastBytesRead(int bytes) {
            current.lastBytesRead(bytes);
        }

        @Override
        public int lastBytesRead() {
            return current.lastBytesRead();
        }

        @Override
        public void attemptedBytesRead(int bytes) {
            current.attemptedBytesRead(bytes);
        }

        @Override
        public int attemptedBytesRead() {
            return current.attemptedBytesRead();
        }

        @Override
        public boolean continueReading() {
            return current.continueReading();
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return current.continueReading(maybeMoreDataSupplier);
        }

        @Override
        public void readComplete() {
            current.readComplete();
        }
    }
}
