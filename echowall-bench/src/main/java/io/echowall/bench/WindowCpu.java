package io.echowall.bench;

/**
 * CPU time spent during a run's measurement window by the generator's event loops and, when its PID
 * was given, by the server; -1 where unknown.
 */
record WindowCpu(long generatorNanos, long serverNanos) {

    /** The server's CPU microseconds per unit of work (a message, a delivery); NaN when not measured. */
    double serverMicrosPer(long units) {
        return serverNanos < 0 || units == 0 ? Double.NaN : serverNanos / 1000.0 / units;
    }
}
