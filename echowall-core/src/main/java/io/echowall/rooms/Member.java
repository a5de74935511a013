package io.echowall.rooms;

/**
 * A connection as rooms see it: where its room messages are written. Implemented by the Netty
 * connection in {@code io.echowall.internal}, which {@link Fanout} writes to.
 */
public interface Member {

    /**
     * The event loop the connection lives on: a room's members are grouped by it, so that one task on
     * each loop writes a message to all of that loop's members.
     */
    Object lane();
}
