package io.echowall.websocket;

/** Why a connection's reading is paused, besides a peer that does not take what it is sent. */
public enum Pause {
    /** Messages wait for the handler. */
    INBOX_FULL,
    /** Compressed input waits to be inflated in a later turn. */
    INFLATING,
    /** The peer sent faster than its endpoint's rate limit allows. */
    RATE_LIMITED
}
