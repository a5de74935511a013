package io.echowall;

/** RFC 9110 section 5.6.2: the tokens that name cookies and subprotocols. */
final class HttpToken {

    private HttpToken() {
    }

    /** Whether {@code s} is a token: one or more of letters, digits and {@code !#$%&'*+-.^_`|~}. */
    static boolean is(String s) {
        return !s.isEmpty() && s.chars().allMatch(HttpToken::isTokenChar);
    }

    private static boolean isTokenChar(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}
