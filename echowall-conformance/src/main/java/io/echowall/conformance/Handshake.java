package io.echowall.conformance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The client's checks of a server's 101 answer (RFC 6455 section 4.1, RFC 7692 section 5); sans-I/O. */
final class Handshake {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"; // RFC 6455 section 1.3

    private Handshake() {
    }

    /** The {@code Sec-WebSocket-Accept} value for a key: base64(SHA-1(key + GUID)) (RFC 6455 section 4.2.2). */
    static String acceptFor(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /**
     * Validates a 101 response to {@code request}, as a client must before it considers the connection open,
     * and returns the permessage-deflate agreement, or null when none was agreed.
     */
    static DeflateAgreement validate(HttpResponse response, HandshakeRequest request) throws ServerViolation {
        if (!response.hasToken("Upgrade", "websocket")) {
            throw new ServerViolation("101 response lacks \"Upgrade: websocket\" (RFC 6455 section 4.1, item 2)");
        }
        if (!response.hasToken("Connection", "upgrade")) {
            throw new ServerViolation("101 response lacks \"Connection: Upgrade\" (RFC 6455 section 4.1, item 3)");
        }
        String expected = acceptFor(String.valueOf(request.header("Sec-WebSocket-Key")));
        String accept = response.joined("Sec-WebSocket-Accept");
        if (!expected.equals(accept)) {
            throw new ServerViolation("Sec-WebSocket-Accept is " + (accept == null ? "missing" : "\"" + accept + "\"")
                    + ", expected \"" + expected + "\" (RFC 6455 section 4.1, item 4)");
        }
        String protocol = response.joined("Sec-WebSocket-Protocol");
        if (protocol != null) {
            var offered = request.header("Sec-WebSocket-Protocol") == null ? List.<String>of()
                    : List.of(request.header("Sec-WebSocket-Protocol").split("\\s*,\\s*"));
            if (!offered.contains(protocol)) {
                throw new ServerViolation("server selected subprotocol \"" + protocol
                        + "\" that was not offered (RFC 6455 section 4.1, item 6)");
            }
        }
        return extensions(response, request);
    }

    private static DeflateAgreement extensions(HttpResponse response, HandshakeRequest request) throws ServerViolation {
        String accepted = response.joined("Sec-WebSocket-Extensions");
        if (accepted == null) {
            return null;
        }
        List<Extension> offers = new ArrayList<>();
        String offered = request.header("Sec-WebSocket-Extensions");
        if (offered != null) {
            try {
                offers.addAll(Extension.parseAll(offered));
            } catch (IllegalArgumentException unparsableOffer) {
                // A malformed offer cannot be accepted; anything in the response is then unsolicited.
            }
        }
        List<Extension> elements;
        try {
            elements = Extension.parseAll(accepted);
        } catch (IllegalArgumentException e) {
            throw new ServerViolation("server's Sec-WebSocket-Extensions is malformed: " + e.getMessage());
        }
        DeflateAgreement agreement = null;
        for (Extension element : elements) {
            if (offers.stream().noneMatch(o -> o.name().equals(element.name()))) {
                throw new ServerViolation("server accepted extension \"" + element.name()
                        + "\" that was not offered (RFC 6455 section 4.1, item 5)");
            }
            if (!element.name().equals(DeflateOffer.NAME)) {
                throw new ServerViolation("server accepted extension \"" + element.name()
                        + "\", which this suite offers only to see it declined");
            }
            if (agreement != null) {
                throw new ServerViolation("server accepted permessage-deflate twice");
            }
            agreement = DeflateAgreement.fromResponse(element, offers);
        }
        return agreement;
    }
}
