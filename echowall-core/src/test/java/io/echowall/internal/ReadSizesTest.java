package io.echowall.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The read size follows the allocator the channel names, though Netty keeps one read handle per channel. */
class ReadSizesTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    /** One read loop in which every read fills its buffer, as when the peer sends faster than we read. */
    private static int readLoop(RecvByteBufAllocator.ExtendedHandle handle, EmbeddedChannel channel) {
        handle.reset(channel.config());
        int largest = 0;
        do {
            ByteBuf buf = handle.allocate(UnpooledByteBufAllocator.DEFAULT);
            int size = buf.writableBytes();
            largest = Math.max(largest, size);
            handle.attemptedBytesRead(size);
            handle.lastBytesRead(size);
            handle.incMessagesRead(1);
            buf.release();
        } while (handle.continueReading());
        handle.readComplete();
        return largest;
    }

    @Test
    void readsGrowTo16KiBAndTo64KiBOnlyOnceTheChannelSwitches() {
        channel.config().setRecvByteBufAllocator(ReadSizes.WHILE_KEPT);
        var handle = (RecvByteBufAllocator.ExtendedHandle) channel.config().getRecvByteBufAllocator().newHandle();
        int largest = 0;
        for (int i = 0; i < 20; i++) {
            largest = Math.max(largest, readLoop(handle, channel));
        }
        assertThat(largest).isEqualTo(16 << 10);

        channel.config().setRecvByteBufAllocator(ReadSizes.WHEN_RETURNED);
        for (int i = 0; i < 20; i++) {
            largest = Math.max(largest, readLoop(handle, channel));
        }
        assertThat(largest).isEqualTo(64 << 10);
    }
}
