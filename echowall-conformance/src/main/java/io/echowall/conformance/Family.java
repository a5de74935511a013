package io.echowall.conformance;

/** A family of cases, numbered like the Autobahn|Testsuite's where one matches, with the RFC sections it checks. */
public enum Family {
    /** The opening handshake; the number 0 is ours, as Autobahn has no such family. */
    HANDSHAKE("0", "Opening handshake", "RFC 6455 sections 4.1, 4.2.1, 4.2.2, 4.4, 5.1; RFC 7230 section 5.4"),
    /** Frame lengths and payloads. */
    FRAMING("1", "Framing", "RFC 6455 sections 5.2, 5.6"),
    /** Ping and pong. */
    PING_PONG("2", "Pings and pongs", "RFC 6455 sections 5.5, 5.5.2, 5.5.3"),
    /** RSV1-3 without an extension. */
    RESERVED_BITS("3", "Reserved bits", "RFC 6455 section 5.2"),
    /** Opcodes 3-7 and 11-15. */
    OPCODES("4", "Reserved opcodes", "RFC 6455 section 5.2"),
    /** Fragmented messages and control frames between fragments. */
    FRAGMENTATION("5", "Fragmentation", "RFC 6455 sections 5.4, 5.5"),
    /** UTF-8 in text messages, including fail-fast. */
    UTF8("6", "UTF-8 handling", "RFC 6455 sections 5.6, 8.1; RFC 3629"),
    /** The closing handshake and status codes. */
    CLOSE("7", "Close handling", "RFC 6455 sections 5.5.1, 7.1, 7.4"),
    /** Large messages, size limits, pipelining and chopped writes. */
    LIMITS("9", "Limits and throughput", "RFC 6455 sections 5.4, 7.4.1 (1009)"),
    /** Compressed messages once permessage-deflate is agreed. */
    DEFLATE_MESSAGES("12", "permessage-deflate messages", "RFC 7692 sections 6, 7.2"),
    /** permessage-deflate negotiation. */
    DEFLATE_NEGOTIATION("13", "permessage-deflate negotiation", "RFC 7692 sections 5, 7.1");

    private final String number;
    private final String title;
    private final String rfc;

    Family(String number, String title, String rfc) {
        this.number = number;
        this.title = title;
        this.rfc = rfc;
    }

    /** The first component of every case id in the family, e.g. "6". */
    public String number() {
        return number;
    }

    public String title() {
        return title;
    }

    /** The RFC sections the family checks. */
    public String rfc() {
        return rfc;
    }
}
