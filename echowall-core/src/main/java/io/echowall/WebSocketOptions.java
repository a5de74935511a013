package io.echowall;

import java.util.List;

/**
 * Per-endpoint WebSocket settings, passed with the handler to {@code app.ws(path, options, …)}.
 *
 * @param subprotocols the subprotocols this endpoint speaks, in order of preference; the first one the
 *                     client also offers is agreed (RFC 6455 section 4.2.2), none if they share none
 * @param eventLoop    run listener callbacks on the connection's event loop instead of a virtual
 *                     thread; only for listeners whose callbacks never block
 * @param messagesPerSecond the messages a client may send a second, with a burst of one second's
 *                     worth; 0 (the default) for no limit. A client over it is not read until the
 *                     limit allows it again: slowed by TCP, it loses nothing and is not closed
 * @param bytesPerSecond the message bytes a client may send a second, likewise; 0 for no limit
 */
public record WebSocketOptions(List<String> subprotocols, boolean eventLoop, int messagesPerSecond, int bytesPerSecond) {

    private static final WebSocketOptions DEFAULTS = new WebSocketOptions(List.of(), false, 0, 0);

    /**
     * Copies the subprotocol list and checks it and the rates.
     *
     * @throws IllegalArgumentException if a subprotocol is not an HTTP token (RFC 6455 section 4.1) or a
     *                                  rate is negative
     */
    public WebSocketOptions {
        subprotocols = List.copyOf(subprotocols);
        for (String name : subprotocols) {
            if (!HttpToken.is(name)) {
                throw new IllegalArgumentException("a subprotocol must be an HTTP token (letters, digits and !#$%&'*+-.^_`|~): \""
                        + name + "\"");
            }
        }
        if (messagesPerSecond < 0 || bytesPerSecond < 0) {
            throw new IllegalArgumentException("rate limits are 0 (none) or positive");
        }
    }

    /** No subprotocols; callbacks on virtual threads. */
    public static WebSocketOptions defaults() {
        return DEFAULTS;
    }

    /** These options with the given subprotocols. */
    public WebSocketOptions withSubprotocols(String... names) {
        return new WebSocketOptions(List.of(names), eventLoop, messagesPerSecond, bytesPerSecond);
    }

    /** These options with listener callbacks on the event loop ({@code true}) or on virtual threads. */
    public WebSocketOptions withEventLoop(boolean onEventLoop) {
        return new WebSocketOptions(subprotocols, onEventLoop, messagesPerSecond, bytesPerSecond);
    }

    /** These options with a limit on what each client sends: messages and bytes a second (0: no limit). */
    public WebSocketOptions withRateLimit(int messagesPerSecond, int bytesPerSecond) {
        return new WebSocketOptions(subprotocols, eventLoop, messagesPerSecond, bytesPerSecond);
    }
}
