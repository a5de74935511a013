package io.echowall.bench;

import java.time.Duration;

/** Settings for short test runs against a server on 127.0.0.1. */
final class Runs {
    static final Timing SHORT = new Timing(Duration.ofMillis(200), Duration.ofMillis(800), Duration.ofMillis(500));

    private Runs() {
    }

    static ClientSettings client(String url) {
        return client(url, 0);
    }

    static ClientSettings client(String url, int sourceAddresses) {
        Target target = Target.parse(url);
        return new ClientSettings(target, Transport.choose("auto"), 1, SourceAddresses.loopback(sourceAddresses, target),
                Duration.ofSeconds(2), Duration.ofSeconds(1));
    }
}
