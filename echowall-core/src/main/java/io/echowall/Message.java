package io.echowall;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One complete WebSocket message, text or binary, however many frames it arrived in.
 *
 * <p>A message is immutable and can be sent as is, to any number of sessions, without being copied:
 * {@code ws.send(message)} echoes it byte for byte with its type. Text is decoded from UTF-8 only when
 * {@link #text()} is first called; received text was already validated, so decoding never fails.
 */
public final class Message {

    private final boolean text;
    private final byte[] payload;
    private String decoded;

    private Message(boolean text, byte[] payload, String decoded) {
        this.text = text;
        this.payload = payload;
        this.decoded = decoded;
    }

    /** A text message. */
    public static Message text(String text) {
        return new Message(true, text.getBytes(StandardCharsets.UTF_8), text);
    }

    /** A binary message holding a copy of {@code bytes}. */
    public static Message binary(byte[] bytes) {
        return new Message(false, bytes.clone(), null);
    }

    /**
     * A message that takes ownership of {@code payload} without copying it; the caller must not change
     * the array afterwards. For text, {@code payload} must be valid UTF-8.
     */
    public static Message wrap(boolean text, byte[] payload) {
        return new Message(text, payload, null);
    }

    /** Whether this is a text message. */
    public boolean isText() {
        return text;
    }

    /** Whether this is a binary message. */
    public boolean isBinary() {
        return !text;
    }

    /**
     * The text of a text message.
     *
     * @throws IllegalStateException for a binary message, whose bytes need not be UTF-8
     */
    public String text() {
        if (!text) {
            throw new IllegalStateException("a binary message has no text; use bytes()");
        }
        String s = decoded;
        if (s == null) {
            s = new String(payload, StandardCharsets.UTF_8);
            decoded = s;
        }
        return s;
    }

    /** A copy of the payload: the UTF-8 bytes of a text message, or the bytes of a binary one. */
    public byte[] bytes() {
        return payload.clone();
    }

    /** A read-only view of the payload, without copying. */
    public ByteBuffer asByteBuffer() {
        return ByteBuffer.wrap(payload).asReadOnlyBuffer();
    }

    /** The payload's size in bytes. */
    public int size() {
        return payload.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && m.text == text && Arrays.equals(m.payload, payload);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(payload) * 31 + (text ? 1 : 0);
    }

    @Override
    public String toString() {
        if (text) {
            String s = text();
            return "text(" + (s.length() > 64 ? s.substring(0, 64) + "…" : s) + ")";
        }
        return "binary(" + payload.length + " bytes)";
    }
}
