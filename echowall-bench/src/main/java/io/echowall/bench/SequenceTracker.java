package io.echowall.bench;

import java.util.TreeSet;

/**
 * Places the sequence numbers one receiver gets from one sender (0, 1, 2, …) so that loss,
 * duplication and reordering show. In-order arrival, the usual case, costs a comparison; only a gap
 * allocates, to remember the numbers skipped.
 */
final class SequenceTracker {
    /** Skipped sequence numbers remembered; beyond this a broken server's gaps count as loss only. */
    static final int MAX_SKIPPED = 4096;

    private long nextExpected;
    /** Numbers skipped and not seen since; null until the first gap. */
    private TreeSet<Long> skipped;

    /** The sequence number expected next. */
    long nextExpected() {
        return nextExpected;
    }

    /** Where {@code received} falls: {@link Placement#IN_ORDER}, {@code AHEAD}, {@code LATE} or {@code DUPLICATE}. */
    Placement place(long received) {
        if (received == nextExpected) {
            nextExpected++;
            return Placement.IN_ORDER;
        }
        if (received > nextExpected) {
            if (skipped == null) {
                skipped = new TreeSet<>();
            }
            long rememberUntil = Math.min(received, nextExpected + MAX_SKIPPED - skipped.size());
            for (long gap = nextExpected; gap < rememberUntil; gap++) {
                skipped.add(gap);
            }
            nextExpected = received + 1;
            return Placement.AHEAD;
        }
        return skipped != null && skipped.remove(received) ? Placement.LATE : Placement.DUPLICATE;
    }
}
