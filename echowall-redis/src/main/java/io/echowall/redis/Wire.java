package io.echowall.redis;

import io.echowall.Message;
import io.echowall.PresenceEvent;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What travels on the channels, binary-safe.
 *
 * <p>A room message is {@code [type][n][origin: n bytes][payload]}: type 1 for text, 0 for binary, and
 * the publishing server's id, so that a server drops its own publications. A presence event is
 * {@code J} or {@code L}, the room's length in bytes in decimal, {@code :}, the room, then the user;
 * the scripts write it, so it is kept to what Lua builds easily.
 */
final class Wire {

    private Wire() {
    }

    /** A message from the server {@code origin} (at most 255 bytes of UTF-8). */
    static byte[] message(byte[] origin, Message message) {
        ByteBuffer payload = message.asByteBuffer();
        ByteBuffer out = ByteBuffer.allocate(2 + origin.length + payload.remaining());
        out.put((byte) (message.isText() ? 1 : 0)).put((byte) origin.length).put(origin).put(payload);
        return out.array();
    }

    /** Whether {@code frame} was published by {@code origin}. */
    static boolean from(byte[] origin, byte[] frame) {
        return frame.length >= 2 + origin.length && (frame[1] & 0xFF) == origin.length
                && Arrays.equals(frame, 2, 2 + origin.length, origin, 0, origin.length);
    }

    /** The message in {@code frame}. */
    static Message message(byte[] frame) {
        int start = 2 + (frame[1] & 0xFF);
        return Message.wrap(frame[0] == 1, Arrays.copyOfRange(frame, start, frame.length));
    }

    /** The room as the scripts put it in a presence event. */
    static String room(String room) {
        return room.getBytes(StandardCharsets.UTF_8).length + ":" + room;
    }

    /** The presence event in {@code frame}, or null if it is not one. */
    static PresenceEvent presence(byte[] frame) {
        if (frame.length < 3 || (frame[0] != 'J' && frame[0] != 'L')) {
            return null;
        }
        int colon = 1;
        int length = 0;
        while (colon < frame.length && frame[colon] >= '0' && frame[colon] <= '9' && colon < 11) {
            length = length * 10 + frame[colon++] - '0';
        }
        if (colon == 1 || colon >= frame.length || frame[colon] != ':' || colon + 1 + length > frame.length) {
            return null;
        }
        String room = new String(frame, colon + 1, length, StandardCharsets.UTF_8);
        String user = new String(frame, colon + 1 + length, frame.length - colon - 1 - length, StandardCharsets.UTF_8);
        return new PresenceEvent(room, user, frame[0] == 'J');
    }
}
