package io.echowall.rooms;

import io.echowall.Message;
import io.echowall.Position;

/** Writes a room message to the room's members on this server. Implemented over Netty in {@code io.echowall.internal}. */
public interface Fanout {

    /** Writes nothing: for a hub whose connections never join a room, in tests and benchmarks of sessions. */
    Fanout NOWHERE = new Fanout() {
        @Override
        public void deliver(Room room, Position position, Message message, Member except) {
        }

        @Override
        public void tell(Room room, String text) {
        }
    };

    /**
     * Writes {@code message} to every member of {@code room} but {@code except} (null for none): as it is
     * to raw members, in its envelope with {@code position} to {@link Subscriber}s. Any thread; returns at
     * once, the writes happen on the members' event loops.
     */
    void deliver(Room room, Position position, Message message, Member except);

    /** Writes the client-protocol {@code text} to the room's {@link Subscriber}s here, such as a presence event. */
    void tell(Room room, String text);
}
