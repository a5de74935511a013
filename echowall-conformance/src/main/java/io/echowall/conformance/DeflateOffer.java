package io.echowall.conformance;

import java.util.HashSet;

/**
 * A valid permessage-deflate offer (RFC 7692 section 7.1), as a server must read it.
 *
 * @param serverNoContextTakeover    the client forbids the server to keep its compression context
 * @param clientNoContextTakeover    the client hints it will not keep its own context
 * @param serverMaxWindowBits        the limit on the server's window, or null when not offered
 * @param clientMaxWindowBitsOffered the client accepts a limit on its own window in the response
 * @param clientMaxWindowBits        the client's own limit hint, or null when offered without a value
 */
record DeflateOffer(boolean serverNoContextTakeover, boolean clientNoContextTakeover, Integer serverMaxWindowBits,
                    boolean clientMaxWindowBitsOffered, Integer clientMaxWindowBits) {

    static final String NAME = "permessage-deflate";

    /**
     * Reads an offer, throwing for each reason RFC 7692 section 5.1 makes a server decline it: an unknown
     * parameter, an invalid value, or the same parameter twice.
     *
     * @throws IllegalArgumentException naming the first reason to decline
     */
    static DeflateOffer parse(Extension offer) {
        if (!offer.name().equals(NAME)) {
            throw new IllegalArgumentException("not " + NAME + ": " + offer.name());
        }
        var seen = new HashSet<String>();
        boolean serverNoContext = false;
        boolean clientNoContext = false;
        Integer serverBits = null;
        boolean clientBitsOffered = false;
        Integer clientBits = null;
        for (Extension.Param param : offer.params()) {
            if (!seen.add(param.name())) {
                throw new IllegalArgumentException("parameter " + param.name() + " appears twice (RFC 7692 section 5.1)");
            }
            switch (param.name()) {
                case "server_no_context_takeover" -> serverNoContext = noValue(param);
                case "client_no_context_takeover" -> clientNoContext = noValue(param);
                case "server_max_window_bits" -> serverBits = windowBits(param); // value required (section 7.1.2.1)
                case "client_max_window_bits" -> {
                    clientBitsOffered = true;
                    clientBits = param.value() == null ? null : windowBits(param); // value optional (section 7.1.2.2)
                }
                default -> throw new IllegalArgumentException("unknown parameter " + param.name() + " (RFC 7692 section 5.1)");
            }
        }
        return new DeflateOffer(serverNoContext, clientNoContext, serverBits, clientBitsOffered, clientBits);
    }

    static boolean noValue(Extension.Param param) {
        if (param.value() != null) {
            throw new IllegalArgumentException(param.name() + " takes no value (RFC 7692 section 7.1.1)");
        }
        return true;
    }

    /** A window size: a decimal integer 8-15 without leading zeroes (RFC 7692 sections 7.1.2.1 and 7.1.2.2). */
    static int windowBits(Extension.Param param) {
        String value = param.value();
        if (value == null || !value.matches("[1-9][0-9]?")) {
            throw new IllegalArgumentException(param.name() + " needs a value 8-15 without leading zeroes, got "
                    + (value == null ? "none" : "\"" + value + "\""));
        }
        int bits = Integer.parseInt(value);
        if (bits < 8 || bits > 15) {
            throw new IllegalArgumentException(param.name() + "=" + bits + " is outside 8-15 (RFC 7692 section 7.1.2)");
        }
        return bits;
    }
}
