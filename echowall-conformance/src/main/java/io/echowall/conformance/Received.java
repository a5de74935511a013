package io.echowall.conformance;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/** What a session observed next from the server: a message, a control frame, the end of TCP, or nothing in time. */
sealed interface Received {

    /** One line for a report: what was observed, precise enough to compare with what was expected. */
    String describe();

    /** A complete (reassembled, decompressed) data message. */
    record Message(boolean text, byte[] payload) implements Received {
        static Message text(String text) {
            return new Message(true, text.getBytes(StandardCharsets.UTF_8));
        }

        static Message text(byte[] payload) {
            return new Message(true, payload);
        }

        static Message binary(byte[] payload) {
            return new Message(false, payload);
        }

        boolean sameAs(Message other) {
            return text == other.text && Arrays.equals(payload, other.payload);
        }

        @Override
        public String describe() {
            return (text ? "a text" : "a binary") + " message of " + payload.length + " bytes" + Bytes.preview(payload, text);
        }
    }

    /** A ping from the server; the session answers it and never hands it to a case. */
    record Ping(byte[] payload) implements Received {
        @Override
        public String describe() {
            return "a ping of " + payload.length + " bytes";
        }
    }

    /** A pong from the server. */
    record Pong(byte[] payload) implements Received {
        boolean sameAs(Pong other) {
            return Arrays.equals(payload, other.payload);
        }

        @Override
        public String describe() {
            return "a pong of " + payload.length + " bytes" + Bytes.preview(payload, false);
        }
    }

    /** A Close frame from the server; {@code code} is {@link CloseCodes#NONE} when the frame had no payload. */
    record Close(int code, String reason) implements Received {
        @Override
        public String describe() {
            return code == CloseCodes.NONE ? "a Close frame without status code"
                    : "a Close frame with code " + code + (reason.isEmpty() ? "" : " \"" + reason + "\"");
        }
    }

    /** The TCP connection ended (orderly EOF or reset). */
    record Closed(String how) implements Received {
        @Override
        public String describe() {
            return "the TCP connection closed (" + how + ")";
        }
    }

    /** Nothing arrived within the wait. */
    record Silence(Duration waited) implements Received {
        @Override
        public String describe() {
            return "nothing within " + waited.toMillis() + " ms";
        }
    }
}
