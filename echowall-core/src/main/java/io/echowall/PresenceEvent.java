package io.echowall;

/**
 * A user's presence in a room changed, counted across every connection of the user on every server:
 * the first one joined, or the last one has been gone for the grace period.
 *
 * @param room   the room
 * @param user   the user, as connections name it with {@link WebSocket#user(String)}
 * @param joined true when the user joined, false when it left
 */
public record PresenceEvent(String room, String user, boolean joined) {
}
