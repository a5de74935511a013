package io.echowall.conformance;

/** Which close status codes an endpoint may put on the wire (RFC 6455 sections 7.4.1, 7.4.2 and the IANA registry). */
final class CloseCodes {

    /** Stands for "the Close frame had no status code" (what RFC 6455 section 7.1.5 calls 1005 internally). */
    static final int NONE = -1;

    static final int NORMAL = 1000;
    static final int PROTOCOL_ERROR = 1002;
    static final int INVALID_PAYLOAD = 1007;
    static final int MESSAGE_TOO_BIG = 1009;

    private CloseCodes() {
    }

    /**
     * True when a Close frame may carry {@code code}: 1000-1003 and 1007-1011 (RFC 6455 section 7.4.1), 1012-1014
     * (registered with IANA since), 3000-3999 (registered) and 4000-4999 (private use) (section 7.4.2). 1004, 1005,
     * 1006 and 1015 are reserved or must never be sent; the rest of 0-2999 is unassigned; nothing above 4999 is
     * defined.
     */
    static boolean maySend(int code) {
        return code >= 1000 && code <= 1003
                || code >= 1007 && code <= 1014
                || code >= 3000 && code <= 4999;
    }
}
