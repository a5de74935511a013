package io.echowall.conformance;

/** The frame opcodes of RFC 6455 section 5.2, as plain ints so the suite can also send the reserved ones. */
final class Opcode {
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    private Opcode() {
    }

    /** Control frames are those whose opcode has its high bit set (RFC 6455 section 5.5). */
    static boolean isControl(int opcode) {
        return (opcode & 0x8) != 0;
    }

    /** 0x3-0x7 and 0xB-0xF are reserved for further frames (RFC 6455 section 5.2). */
    static boolean isReserved(int opcode) {
        return opcode >= 0x3 && opcode <= 0x7 || opcode >= 0xB;
    }

    static String name(int opcode) {
        return switch (opcode) {
            case CONTINUATION -> "continuation";
            case TEXT -> "text";
            case BINARY -> "binary";
            case CLOSE -> "close";
            case PING -> "ping";
            case PONG -> "pong";
            default -> "reserved opcode " + opcode;
        };
    }
}
