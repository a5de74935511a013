package io.echowall.abuse;

/** How the target's WebSocket endpoints are written; all three must behave the same under attack. */
public enum HandlerStyle {
    /** A blocking handler on a virtual thread: {@code for (var m : ws) ws.send(m);}. */
    BLOCKING,
    /** A listener whose callbacks run on a virtual thread. */
    LISTENER,
    /** A listener whose callbacks run on the connection's event loop. */
    EVENT_LOOP
}
