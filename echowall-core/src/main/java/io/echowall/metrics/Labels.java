package io.echowall.metrics;

import io.echowall.CloseCode;

import java.util.Set;

/**
 * The label values that could come from a client, each mapped onto a small fixed set, so that no
 * client can make the server keep a new series: a method it invents, a close code it picks.
 */
final class Labels {

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
            "TRACE", "CONNECT");

    private Labels() {
    }

    /** The method as is when HTTP defines it (RFC 9110 section 9, and PATCH), {@code OTHER} for any other token. */
    static String method(String method) {
        return METHODS.contains(method) ? method : "OTHER";
    }

    /**
     * A close code: the registered ones as their number, the ranges left to libraries and apps as
     * {@code 3xxx} and {@code 4xxx}, anything else as {@code other}.
     */
    static String closeCode(int code) {
        if (CloseCode.of(code) != null) {
            return Integer.toString(code);
        }
        if (code >= 3000 && code <= 3999) {
            return "3xxx";
        }
        if (code >= 4000 && code <= 4999) {
            return "4xxx";
        }
        return "other";
    }
}
