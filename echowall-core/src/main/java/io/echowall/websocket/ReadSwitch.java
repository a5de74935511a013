package io.echowall.websocket;

/**
 * Whether a connection reads: off while reading is paused for any {@link Pause} reason or the
 * peer takes nothing it is sent, on when all clear. Tells its wire only of changes.
 */
final class ReadSwitch {

    private int pausedBy;
    private boolean writable = true;
    private Boolean reading;

    /** Pauses or resumes reading for {@code reason}. */
    void pause(Pause reason, boolean paused) {
        int bit = 1 << reason.ordinal();
        pausedBy = paused ? pausedBy | bit : pausedBy & ~bit;
    }

    /** Whether reading is paused for {@code reason}. */
    boolean isPaused(Pause reason) {
        return (pausedBy & 1 << reason.ordinal()) != 0;
    }

    /** The peer started or stopped taking what it is sent. */
    void writable(boolean writable) {
        this.writable = writable;
    }

    /** Whether the peer takes what it is sent. */
    boolean writable() {
        return writable;
    }

    /** Tells {@code wire} to read, or not; {@code regardless} reads whatever holds reading back. */
    void update(Wire wire, boolean regardless) {
        boolean on = regardless || (pausedBy == 0 && writable);
        if (reading == null || on != reading) {
            reading = on;
            wire.reading(on);
        }
    }
}
