package io.echowall.bench;

import picocli.CommandLine.Option;

/** The message options of the echo and rate modes. */
final class PayloadOptions {
    @Option(names = "--size", defaultValue = "64", paramLabel = "BYTES", order = 20, converter = Converters.ByteSize.class,
            description = "Payload size: 0, 64, 16k, 1m, ... (k = 1024; default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--text", order = 21, description = "Send text messages (the default): the server must validate UTF-8.")
    boolean text;

    @Option(names = "--binary", order = 22, description = "Send binary messages.")
    boolean binary;

    Payload payload() {
        if (text && binary) {
            throw new BenchException(BenchException.SETUP, "choose --text or --binary, not both");
        }
        return new Payload(size, !binary);
    }
}
