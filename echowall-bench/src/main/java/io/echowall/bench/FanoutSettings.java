package io.echowall.bench;

import java.time.Duration;

/**
 * A fan-out run: {@code subscribers} connections to the room endpoint (opened {@code concurrency} at a
 * time), {@code publishers} more that publish either at {@code rate} messages per second in all, or,
 * when {@code rate} is 0, as fast as the server delivers with {@code inFlight} messages per publisher
 * not yet delivered to every subscriber. {@code serverPid} (nullable) names the server, to read its
 * memory.
 */
record FanoutSettings(ClientSettings client, FanoutProtocol protocol, int subscribers, int publishers, int concurrency,
                      double rate, int inFlight, Payload payload, Timing timing, Duration readyTimeout, Long serverPid) {

    /** Most messages one publisher may have in flight: each takes {@link FanoutPublisher#LAG_FACTOR} slots of its count-down. */
    static final int MAX_IN_FLIGHT = 1 << 16;

    FanoutSettings {
        if (subscribers < 1 || subscribers > MessageShape.MAX_CONNECTION_ID) {
            throw new BenchException(BenchException.SETUP, "--subscribers must be between 1 and " + MessageShape.MAX_CONNECTION_ID
                    + ": " + subscribers);
        }
        if (publishers < 1 || publishers > 1000) {
            throw new BenchException(BenchException.SETUP, "--publishers must be between 1 and 1000: " + publishers);
        }
        if (concurrency < 1 || concurrency > 100_000) {
            throw new BenchException(BenchException.SETUP, "--concurrency must be between 1 and 100000: " + concurrency);
        }
        if (rate < 0 || rate > 1e7 || Double.isNaN(rate)) {
            throw new BenchException(BenchException.SETUP, "--rate must be above 0 and at most 10000000 messages/s: " + rate);
        }
        if (rate == 0 && (inFlight < 1 || inFlight > MAX_IN_FLIGHT)) {
            throw new BenchException(BenchException.SETUP, "--in-flight must be between 1 and " + MAX_IN_FLIGHT + ": " + inFlight);
        }
        if (payload.size() < FanoutShape.HEADER_LENGTH) {
            throw new BenchException(BenchException.SETUP, "--size must be at least " + FanoutShape.HEADER_LENGTH
                    + " bytes in fan-out runs (the header: publisher, sequence number, send time): " + payload.size());
        }
        if (protocol == FanoutProtocol.SOCKET_IO && !payload.text()) {
            throw new BenchException(BenchException.SETUP, "--protocol socketio carries messages as text (JSON strings): drop --binary");
        }
        ClientSettings.requirePositive(readyTimeout, "--ready-timeout");
        LoadRuns.requireServerPid(serverPid);
    }

    /** Whether publishers keep a fixed rate (else a fixed number in flight). */
    boolean fixedRate() {
        return rate > 0;
    }

    /** Messages due in warmup plus duration at the fixed rate. */
    long planned() {
        return (long) Math.floor(rate * (timing.warmupSeconds() + timing.durationSeconds()));
    }

    FanoutShape shape() {
        return new FanoutShape(payload.size(), payload.text());
    }
}
