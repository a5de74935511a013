package io.echowall.internal;

import io.echowall.Handler;
import io.echowall.RoomAccess;
import io.echowall.WebSocketHandler;
import io.echowall.WebSocketListener;
import io.echowall.WebSocketOptions;

/** What a route leads to: an HTTP handler or a WebSocket endpoint. */
sealed interface Endpoint {

    /** An HTTP route. */
    record Http(Handler handler) implements Endpoint {
    }

    /**
     * A WebSocket endpoint, served by a blocking handler, by a listener, or, with {@code access} not
     * null, by the {@code echowall.v1} client protocol, which {@code access} governs.
     */
    record WebSocket(WebSocketHandler handler, WebSocketListener listener, WebSocketOptions options, RoomAccess access)
            implements Endpoint {
    }
}
