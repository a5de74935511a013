package io.echowall;

import java.util.Objects;

/**
 * Where a message stands in its room's history: the {@code offset} counts the room's messages (1 for
 * the first), within an {@code epoch} that names the history. When a room's history is lost (a server
 * restarted with history in memory, a Redis flushed) the epoch changes, and offsets of different epochs
 * cannot be compared. A room with no message yet is at offset 0.
 *
 * @param epoch  names the history the offset counts in
 * @param offset the message's number in the room, from 1
 */
public record Position(String epoch, long offset) {

    /** Checks the parts. */
    public Position {
        Objects.requireNonNull(epoch, "epoch");
        if (offset < 0) {
            throw new IllegalArgumentException("an offset is never negative: " + offset);
        }
    }
}
