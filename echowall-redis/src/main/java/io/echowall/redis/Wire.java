package io.echowall.redis;

import io.echowall.Message;
import io.echowall.Position;
import io.echowall.PresenceEvent;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What travels on the channels and sits in the histories, binary-safe. {@code publish.lua} assembles
 * room messages from the parts made here, so the format is kept to what Lua builds easily.
 *
 * <p>A room message on its channel is {@code [kind][epoch] [offset] [tag][payload]}: the kind is one byte,
 * {@code t} for text or {@code b} for binary; the epoch and the offset (decimal) end at a space; the tag
 * is {@code -} when there is none, else its length in bytes (decimal), {@code :} and the tag. In a room's
 * history an entry has one field, named by the kind, holding the payload.
 *
 * <p>A presence event is {@code J} or {@code L}, the room's length in bytes in decimal, {@code :}, the
 * room, then the user; the scripts write it.
 */
final class Wire {

    /** A room message as it arrived on its channel. */
    record Delivery(Position position, Message message, String tag) {
    }

    private static final byte[] TEXT = {'t'};
    private static final byte[] BINARY = {'b'};
    private static final byte[] NO_TAG = {'-'};

    private Wire() {
    }

    /** The kind of {@code message}: {@code t} or {@code b}. */
    static byte[] kind(Message message) {
        return message.isText() ? TEXT : BINARY;
    }

    /** {@code tag} as a frame carries it. */
    static byte[] tag(String tag) {
        if (tag == null) {
            return NO_TAG;
        }
        byte[] bytes = tag.getBytes(StandardCharsets.UTF_8);
        byte[] head = (bytes.length + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(head, head.length + bytes.length);
        System.arraycopy(bytes, 0, out, head.length, bytes.length);
        return out;
    }

    /** The payload of {@code message}, as the script stores and publishes it. */
    static byte[] payload(Message message) {
        var buffer = message.asByteBuffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /** A room message as {@code publish.lua} assembles it; for tests, and the format's one definition in Java. */
    static byte[] frame(Position position, Message message, String tag) {
        byte[] head = (position.epoch() + " " + position.offset() + " ").getBytes(StandardCharsets.UTF_8);
        byte[] tagPart = tag(tag);
        byte[] payload = payload(message);
        byte[] out = new byte[1 + head.length + tagPart.length + payload.length];
        out[0] = kind(message)[0];
        System.arraycopy(head, 0, out, 1, head.length);
        System.arraycopy(tagPart, 0, out, 1 + head.length, tagPart.length);
        System.arraycopy(payload, 0, out, 1 + head.length + tagPart.length, payload.length);
        return out;
    }

    /** The room message in {@code frame}, or null if it is not one. */
    static Delivery delivery(byte[] frame) {
        if (frame.length < 5 || (frame[0] != 't' && frame[0] != 'b')) {
            return null;
        }
        int space = indexOf(frame, (byte) ' ', 1);
        if (space <= 1) {
            return null;
        }
        String epoch = new String(frame, 1, space - 1, StandardCharsets.UTF_8);
        int at = space + 1;
        long offset = 0;
        int digits = 0;
        while (at < frame.length && frame[at] >= '0' && frame[at] <= '9' && digits < 18) {
            offset = offset * 10 + frame[at++] - '0';
            digits++;
        }
        if (digits == 0 || at >= frame.length || frame[at] != ' ') {
            return null;
        }
        at++;
        String tag = null;
        if (at < frame.length && frame[at] == '-') {
            at++;
        } else {
            int length = 0;
            digits = 0;
            while (at < frame.length && frame[at] >= '0' && frame[at] <= '9' && digits < 9) {
                length = length * 10 + frame[at++] - '0';
                digits++;
            }
            if (digits == 0 || at >= frame.length || frame[at] != ':' || at + 1 + length > frame.length) {
                return null;
            }
            tag = new String(frame, at + 1, length, StandardCharsets.UTF_8);
            at += 1 + length;
        }
        Message message = Message.wrap(frame[0] == 't', Arrays.copyOfRange(frame, at, frame.length));
        return new Delivery(new Position(epoch, offset), message, tag);
    }

    /** The message of a history entry whose one field is {@code kind}. */
    static Message entry(byte[] kind, byte[] payload) {
        return Message.wrap(kind.length == 1 && kind[0] == 't', payload);
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
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
