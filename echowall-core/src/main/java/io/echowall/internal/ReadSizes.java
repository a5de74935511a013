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
 * channel's allocator at the start of every read loop and caps its reads at that one's maximum.
 */
final class ReadSizes extends AdaptiveRecvByteBufAllocator {

    private static final int LARGEST_READ = 64 << 10;

    /** For connections whose decoder may keep a read: HTTP, compressed WebSocket. */
    static final ReadSizes WHILE_KEPT = new ReadSizes(16 << 10);
    /** For connections that return every read at once: uncompressed WebSocket. */
    static final ReadSizes WHEN_RETURNED = new ReadSizes(LARGEST_READ);

    private final int maxRead;

    private ReadSizes(int maxRead) {
        super(64, 2048, LARGEST_READ);
        this.maxRead = maxRead;
    }

    @Override
    public Handle newHandle() {
        return new Capped((ExtendedHandle) super.newHandle());
    }

    /** Netty's adaptive sizes, capped at the maximum of whichever allocator the channel names. */
    private static final class Capped extends DelegatingHandle implements ExtendedHandle {

        private int cap = WHILE_KEPT.maxRead;

        Capped(ExtendedHandle adaptive) {
            super(adaptive);
        }

        @Override
        public void reset(ChannelConfig config) {
            cap = config.getRecvByteBufAllocator() instanceof ReadSizes sizes ? sizes.maxRead : LARGEST_READ;
            super.reset(config);
        }

        @Override
        public int guess() {
            return Math.min(super.guess(), cap);
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            return alloc.ioBuffer(guess());
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return ((ExtendedHandle) delegate()).continueReading(maybeMoreDataSupplier);
        }
    }
}
