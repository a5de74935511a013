package io.echowall.rooms;

import io.echowall.Message;

/** Writes a room message to the room's members on this server. Implemented over Netty in {@code io.echowall.internal}. */
public interface Fanout {

    /**
     * Writes {@code message} to every member of {@code room} but {@code except} (null for none). Any
     * thread; returns at once, the writes happen on the members' event loops.
     */
    void deliver(Room room, Message message, Member except);
}
