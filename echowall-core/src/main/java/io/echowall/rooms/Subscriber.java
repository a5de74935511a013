package io.echowall.rooms;

/**
 * A member that speaks the {@code echowall.v1} client protocol: it gets room messages in an envelope
 * with their position, each once and in order, kept so by a {@link RoomCursor} per room.
 */
public interface Subscriber extends Member {

    /** The cursor of {@code room}, or null if it is not subscribed; read on the member's event loop. */
    RoomCursor cursor(String room);

    /** Event loop: messages of {@code room} were missed; fetch them from the history. */
    void catchUp(String room);
}
