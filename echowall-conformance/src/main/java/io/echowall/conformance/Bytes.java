package io.echowall.conformance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Small byte-array helpers shared by cases and reports. */
final class Bytes {

    private static final int PREVIEW_BYTES = 24;

    private Bytes() {
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** A short quotation of a payload for reports: text when it is valid UTF-8, hex otherwise. */
    static String preview(byte[] payload, boolean text) {
        if (payload.length == 0) {
            return "";
        }
        int shown = Math.min(payload.length, PREVIEW_BYTES);
        String more = shown < payload.length ? "..." : "";
        if (text && Utf8.isValid(payload) && payload.length <= PREVIEW_BYTES) {
            return " \"" + new String(payload, StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", "?") + "\"";
        }
        return " (" + HexFormat.ofDelimiter(" ").formatHex(payload, 0, shown) + more + ")";
    }

    /** "4 MiB", "64 KiB" or "125 B", for case descriptions. */
    static String size(long bytes) {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return bytes / (1 << 20) + " MiB";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
            return bytes / (1 << 10) + " KiB";
        }
        return bytes + " B";
    }
}
