package io.echowall.bench;

/** The size and type of the messages a run sends. */
record Payload(int size, boolean text) {

    Payload {
        if (size < 0 || size > MessageShape.MAX_SIZE) {
            throw new BenchException(BenchException.SETUP,
                    "--size must be between 0 and " + MessageShape.MAX_SIZE + " bytes: " + size);
        }
    }

    String type() {
        return text ? "text" : "binary";
    }

    MessageShape shape() {
        return new MessageShape(size, text);
    }
}
