package io.echowall.conformance;

import java.util.HashSet;
import java.util.List;

/**
 * The permessage-deflate parameters in force after a handshake (RFC 7692 section 7.1).
 *
 * @param serverNoContextTakeover the server resets its compressor after every message
 * @param clientNoContextTakeover the client resets its compressor after every message
 * @param serverMaxWindowBits     the window the server compresses with (15 when unlimited)
 * @param clientMaxWindowBits     the window the client must compress with (15 when unlimited)
 */
record DeflateAgreement(boolean serverNoContextTakeover, boolean clientNoContextTakeover,
                        int serverMaxWindowBits, int clientMaxWindowBits) {

    /**
     * Checks a server's accepted permessage-deflate element against the offers sent, as a client must
     * (RFC 7692 section 5 and 7.1), and returns what it agrees to.
     *
     * @param response the server's permessage-deflate element
     * @param offers   every extension element the client offered, valid or not
     * @throws ServerViolation when the response is malformed or answers no valid offer
     */
    static DeflateAgreement fromResponse(Extension response, List<Extension> offers) throws ServerViolation {
        var seen = new HashSet<String>();
        boolean serverNoContext = false;
        boolean clientNoContext = false;
        Integer serverBits = null;
        Integer clientBits = null;
        try {
            for (Extension.Param param : response.params()) {
                if (!seen.add(param.name())) {
                    throw new IllegalArgumentException("parameter " + param.name() + " appears twice");
                }
                switch (param.name()) {
                    case "server_no_context_takeover" -> serverNoContext = DeflateOffer.noValue(param);
                    case "client_no_context_takeover" -> clientNoContext = DeflateOffer.noValue(param);
                    case "server_max_window_bits" -> serverBits = DeflateOffer.windowBits(param);
                    // In a response this parameter always has a value (RFC 7692 section 7.1.2.2).
                    case "client_max_window_bits" -> clientBits = DeflateOffer.windowBits(param);
                    default -> throw new IllegalArgumentException("unknown parameter " + param.name());
                }
            }
        } catch (IllegalArgumentException e) {
            throw new ServerViolation("server's permessage-deflate response \"" + response.toHeader() + "\" is invalid: "
                    + e.getMessage() + " (RFC 7692 section 5)");
        }
        String lastMismatch = "no valid permessage-deflate offer was made";
        for (Extension element : offers) {
            DeflateOffer offer;
            try {
                offer = DeflateOffer.parse(element);
            } catch (IllegalArgumentException invalidOffer) {
                continue; // a server MUST decline this one (RFC 7692 section 5.1), so it cannot be what was accepted
            }
            String mismatch = mismatch(offer, serverNoContext, serverBits, clientBits);
            if (mismatch == null) {
                int clientWindow = clientBits != null ? clientBits
                        : offer.clientMaxWindowBits() != null ? offer.clientMaxWindowBits() : 15;
                // Our own client_no_context_takeover hint binds us too (RFC 7692 section 7.1.1.2).
                return new DeflateAgreement(serverNoContext, clientNoContext || offer.clientNoContextTakeover(),
                        serverBits == null ? 15 : serverBits, clientWindow);
            }
            lastMismatch = mismatch;
        }
        throw new ServerViolation("server's response \"" + response.toHeader() + "\" accepts no valid offer: "
                + lastMismatch);
    }

    private static String mismatch(DeflateOffer offer, boolean serverNoContext, Integer serverBits, Integer clientBits) {
        if (offer.serverNoContextTakeover() && !serverNoContext) {
            return "server_no_context_takeover was offered, so accepting means echoing it (RFC 7692 section 7.1.1.1)";
        }
        if (offer.serverMaxWindowBits() != null && (serverBits == null || serverBits > offer.serverMaxWindowBits())) {
            return "server_max_window_bits=" + offer.serverMaxWindowBits()
                    + " was offered, so accepting means answering a value no larger (RFC 7692 section 7.1.2.1)";
        }
        if (clientBits != null && !offer.clientMaxWindowBitsOffered()) {
            return "client_max_window_bits was not offered, so the response MUST NOT include it (RFC 7692 section 7.1.2.2)";
        }
        if (clientBits != null && offer.clientMaxWindowBits() != null && clientBits > offer.clientMaxWindowBits()) {
            return "client_max_window_bits=" + clientBits + " exceeds the offered " + offer.clientMaxWindowBits()
                    + " (RFC 7692 section 7.1.2.2)";
        }
        return null;
    }
}
