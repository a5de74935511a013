package io.echowall.bench;

import java.util.List;

/** The counters of one or more loops at one moment. */
record Totals(long sent, long received, long unidentified, long measured, long handshakes, long cleanCloses) {

    static Totals of(LoopStats stats) {
        return new Totals(stats.sent, stats.received, stats.unidentified, stats.measured, stats.handshakes, stats.cleanCloses);
    }

    static Totals sum(List<Totals> parts) {
        long sent = 0;
        long received = 0;
        long unidentified = 0;
        long measured = 0;
        long handshakes = 0;
        long cleanCloses = 0;
        for (Totals part : parts) {
            sent += part.sent;
            received += part.received;
            unidentified += part.unidentified;
            measured += part.measured;
            handshakes += part.handshakes;
            cleanCloses += part.cleanCloses;
        }
        return new Totals(sent, received, unidentified, measured, handshakes, cleanCloses);
    }

    /** Messages sent whose echo has not arrived. */
    long inFlight() {
        return sent - received - unidentified;
    }
}
