package io.echowall.jmh;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Deterministic message payloads of an exact size, cut on a character boundary. */
final class Payloads {

    /** What a chat message or JSON event mostly is: ASCII only. */
    static final String ASCII = "{\"type\":\"message\",\"room\":\"lobby\",\"text\":\"hello, echo wall!\"} ";

    /** Text in several scripts: 1-, 2-, 3- and 4-byte UTF-8 sequences, with ASCII runs between them. */
    static final String MIXED = "Grüße aus Köln, ça va? 回音壁 says こんにちは — Привет! 🎉🚀 ok ";

    private Payloads() {
    }

    /** {@code size} bytes of UTF-8 made of {@code text} repeated, padded with spaces to the exact size. */
    static byte[] utf8(String kind, int size) {
        String text = switch (kind) {
            case "ascii" -> ASCII;
            case "mixed" -> MIXED;
            default -> throw new IllegalArgumentException("unknown text kind " + kind);
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        int i = 0;
        while (true) {
            int cp = text.codePointAt(i % text.length());
            byte[] ch = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
            if (out.size() + ch.length > size) {
                break;
            }
            out.writeBytes(ch);
            i += Character.charCount(cp);
        }
        while (out.size() < size) {
            out.write(' ');
        }
        return out.toByteArray();
    }
}
