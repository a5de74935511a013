package io.echowall.conformance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;

/** Collects bytes until a complete HTTP response head has arrived, then parses it; sans-I/O. */
final class HttpResponseParser {

    private static final int MAX_HEAD = 16 * 1024;

    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    /** Adds bytes; returns the response once its head is complete, else null. */
    HttpResponse feed(byte[] data, int from, int length) throws ServerViolation {
        received.write(data, from, length);
        byte[] bytes = received.toByteArray();
        int end = headEnd(bytes);
        if (end < 0) {
            if (bytes.length > MAX_HEAD) {
                throw new ServerViolation("server sent more than " + MAX_HEAD + " bytes without ending the response head");
            }
            return null;
        }
        return parse(new String(bytes, 0, end, StandardCharsets.ISO_8859_1), Arrays.copyOfRange(bytes, end + 4, bytes.length));
    }

    private static int headEnd(byte[] bytes) {
        for (int i = 0; i + 3 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static HttpResponse parse(String head, byte[] leftover) throws ServerViolation {
        String[] lines = head.split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/") || !statusLine[1].matches("\\d{3}")) {
            throw new ServerViolation("server answered with a malformed status line \"" + lines[0] + "\"");
        }
        var headers = new ArrayList<Header>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new ServerViolation("server sent a malformed header line \"" + lines[i] + "\"");
            }
            headers.add(new Header(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()));
        }
        return new HttpResponse(statusLine[0], Integer.parseInt(statusLine[1]),
                statusLine.length > 2 ? statusLine[2] : "", headers, leftover);
    }
}
