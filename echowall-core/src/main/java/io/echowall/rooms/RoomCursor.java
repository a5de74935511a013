package io.echowall.rooms;

import io.echowall.Broker;
import io.echowall.Position;

/**
 * Where one subscriber stands in one room: the last offset written to it, and whether it is catching
 * up from the history. Live messages are written only when they come next; one that comes early means
 * some were missed (the subscription was just made, or the broker skipped), so the subscriber catches
 * up from the history, which holds every message before it is delivered, and live messages are passed
 * over meanwhile. So a subscriber gets every offset once, in order, with bounded memory, whatever the
 * timing. Confined to the subscriber's event loop.
 */
public final class RoomCursor {

    /** What to do with a live message. */
    public enum Live {
        /** Write it: it is the next one. */
        WRITE,
        /** Pass over it: written already, or it will come from the history. */
        SKIP,
        /** Pass over it and start catching up from the history: messages before it were missed. */
        CATCH_UP
    }

    private final boolean replayable;
    private String epoch;
    private long offset;
    private boolean catchingUp;
    private long highestSeen;
    private boolean announced;

    /**
     * A cursor at {@code start}, catching up from there; {@code replayable} is false for a room that
     * keeps no history, whose gaps cannot be filled.
     */
    public RoomCursor(Position start, boolean replayable) {
        this.epoch = start.epoch();
        this.offset = start.offset();
        this.replayable = replayable;
        this.catchingUp = true;
        this.highestSeen = start.offset();
    }

    /** The position of the last message written. */
    public Position position() {
        return new Position(epoch, offset);
    }

    /** Decides about a live message at {@code position}. */
    public Live live(Position position) {
        if (!position.epoch().equals(epoch)) {
            // The history was lost under this subscription: its offsets start over and cannot be checked.
            epoch = position.epoch();
            offset = position.offset() - 1;
        }
        long at = position.offset();
        if (catchingUp) {
            highestSeen = Math.max(highestSeen, at);
            return Live.SKIP;
        }
        if (at <= offset) {
            return Live.SKIP;
        }
        if (at == offset + 1 || !replayable) {
            offset = at;
            return Live.WRITE;
        }
        catchingUp = true;
        highestSeen = at;
        return Live.CATCH_UP;
    }

    /** Whether a message from the history should be written, which it is when it comes next. */
    public boolean replayed(Broker.Entry entry) {
        if (entry.offset() != offset + 1) {
            return false;
        }
        offset = entry.offset();
        return true;
    }

    /**
     * Jumps to {@code position}, where the history starts over or begins after a gap it cannot fill:
     * the subscriber is told, and goes on from there.
     */
    public void skipTo(Position position) {
        epoch = position.epoch();
        offset = position.offset();
    }

    /**
     * After a page of history was written: whether the subscriber caught up with every live message it
     * passed over, and so goes live again. Without history, it goes live at once, past what it missed.
     */
    public boolean finishCatchUp() {
        if (highestSeen > offset && replayable) {
            return false;
        }
        offset = Math.max(offset, highestSeen);
        catchingUp = false;
        return true;
    }

    /** The subscriber was told its subscription is live; notices such as presence may follow from now on. */
    public void announce() {
        announced = true;
    }

    /** Whether the subscriber was told its subscription is live. */
    public boolean announced() {
        return announced;
    }

    /** Whether it is catching up from the history. */
    public boolean catchingUp() {
        return catchingUp;
    }
}
