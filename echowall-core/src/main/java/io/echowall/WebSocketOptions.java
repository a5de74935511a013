package io.echowall;

import java.util.List;

/**
 * Per-endpoint WebSocket settings, passed with the handler to {@code app.ws(path, options, …)}.
 *
 * @param subprotocols the subprotocols this endpoint speaks, in order of preference; the first one the
 *                     client also offers is agreed (RFC 6455 section 4.2.2), none if they share none
 * @param eventLoop    run listener callbacks on the connection's event loop instead of a virtual
 *                     thread; only for listeners whose callbacks never block
 */
public record WebSocketOptions(List<String> subprotocols, boolean eventLoop) {

    private static final WebSocketOptions DEFAULTS = new WebSocketOptions(List.of(), false);

    /** Copies the subprotocol list. */
    public WebSocketOptions {
        subprotocols = List.copyOf(subprotocols);
    }

    /** No subprotocols; callbacks on virtual threads. */
    public static WebSocketOptions defaults() {
        return DEFAULTS;
    }

    /** These options with the given subprotocols. */
    public WebSocketOptions withSubprotocols(String... names) {
        return new WebSocketOptions(List.of(names), eventLoop);
    }

    /** These options with listener callbacks on the event loop ({@code true}) or on virtual threads. */
    public WebSocketOptions withEventLoop(boolean onEventLoop) {
        return new WebSocketOptions(subprotocols, onEventLoop);
    }
}
