package io.echowall.metrics;

import io.echowall.CloseStatus;
import io.echowall.RoomOptions;
import io.echowall.websocket.Closes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters of one WebSocket route, looked up once per connection and kept on it, so that counting a
 * message costs two adder increments and no lookup. Safe from any thread.
 */
public final class WebSocketMeters {

    private static final int MAX_CACHED_CODES = 64;

    private final Counter receivedMessages;
    private final Counter receivedBytes;
    private final Counter sentMessages;
    private final Counter sentBytes;
    private final AtomicLong open;
    private final Meter.MeterProvider<Counter> closes;
    /**
     * The close counters of the codes met first, so that a close looks its counter up without building
     * tags; bounded, since a peer chooses its code: the usual few are met early.
     */
    private final Map<Integer, Counter> closesByCode = new ConcurrentHashMap<>();
    private final Counter peerTooSlow;
    private final Counter tooSlowForRoom;
    private final Counter droppedOldest;
    private final Counter droppedForLatest;

    WebSocketMeters(Counter receivedMessages, Counter receivedBytes, Counter sentMessages, Counter sentBytes,
                    AtomicLong open, Meter.MeterProvider<Counter> closes, Counter peerTooSlow,
                    Counter tooSlowForRoom, Counter droppedOldest, Counter droppedForLatest) {
        this.receivedMessages = receivedMessages;
        this.receivedBytes = receivedBytes;
        this.sentMessages = sentMessages;
        this.sentBytes = sentBytes;
        this.open = open;
        this.closes = closes;
        this.peerTooSlow = peerTooSlow;
        this.tooSlowForRoom = tooSlowForRoom;
        this.droppedOldest = droppedOldest;
        this.droppedForLatest = droppedForLatest;
    }

    /** A message of {@code bytes} (payload, after decompression) arrived. */
    public void received(int bytes) {
        receivedMessages.increment();
        receivedBytes.increment(bytes);
    }

    /** A message of {@code bytes} (payload, before compression) was written to the connection. */
    public void sent(int bytes) {
        sent(1, bytes);
    }

    /** {@code messages} messages of {@code bytes} in all (payload, before compression) were written. */
    public void sent(int messages, long bytes) {
        sentMessages.increment(messages);
        sentBytes.increment(bytes);
    }

    /** A session opened. */
    public void opened() {
        open.incrementAndGet();
    }

    /**
     * A session's connection is gone. {@code reported} is how it closed as the session reports it,
     * {@code own} the close this side chose (null if none): a close for slowness is told by it, since
     * the peer may answer with a status of its own.
     */
    public void closed(CloseStatus reported, CloseStatus own) {
        open.decrementAndGet();
        Counter counter = closesByCode.get(reported.code());
        if (counter == null) {
            counter = closes.withTag("code", Labels.closeCode(reported.code()));
            if (closesByCode.size() < MAX_CACHED_CODES) {
                closesByCode.put(reported.code(), counter);
            }
        }
        counter.increment();
        if (own == Closes.SLOW_PEER) {
            peerTooSlow.increment();
        } else if (own == Closes.TOO_SLOW_FOR_ROOM) {
            tooSlowForRoom.increment();
        }
    }

    /** {@code count} room messages waiting for a member that is behind were dropped, by the room's {@code policy}. */
    public void roomMessagesDropped(RoomOptions.SlowConsumer policy, int count) {
        if (count > 0) {
            (policy == RoomOptions.SlowConsumer.KEEP_LATEST ? droppedForLatest : droppedOldest).increment(count);
        }
    }
}
