package io.echowall.conformance;

import java.net.URI;
import java.util.Locale;

/** Checks and reads the {@code ws://host:port/path} address of the server under test. */
final class Target {

    private Target() {
    }

    /**
     * Throws unless {@code uri} is a {@code ws://} URI with a host; {@code wss://} is refused because this
     * client speaks plain TCP only.
     */
    static URI check(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws")) {
            throw new IllegalArgumentException("expected a ws:// URL, got " + uri
                    + (scheme.equals("wss") ? " (TLS is not supported; test the plain listener)" : ""));
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("no host in " + uri);
        }
        return uri;
    }

    /** The port, 80 when the URI names none (RFC 6455 section 3). */
    static int port(URI uri) {
        return uri.getPort() < 0 ? 80 : uri.getPort();
    }
}
