package io.echowall.conformance;

import java.util.List;

/** Family 4: reserved opcodes 3-7 (data) and 11-15 (control) must fail the connection with 1002 (RFC 6455 section 5.2). */
final class OpcodeCases {

    private static final CloseRule RULE = CloseRule.protocolError(
            "RFC 6455 section 5.2: an unknown opcode MUST fail the connection");

    private OpcodeCases() {
    }

    static List<ConformanceCase> all() {
        var list = new CaseList(Family.OPCODES);
        add(list, "4.1", new int[] {3, 4, 5, 6, 7}, "non-control");
        add(list, "4.2", new int[] {11, 12, 13, 14, 15}, "control");
        return list.toList();
    }

    private static void add(CaseList list, String prefix, int[] opcodes, String kind) {
        for (int i = 0; i < opcodes.length; i++) {
            int opcode = opcodes[i];
            list.add(prefix + "." + (i + 1), "reserved " + kind + " opcode " + opcode + ", empty payload: close 1002", run -> {
                try (var session = run.open()) {
                    session.send(new Frame(true, 0, opcode, new byte[0]));
                    return run.fails(session, RULE);
                }
            });
            list.add(prefix + "." + (i + 1 + opcodes.length), "text echoed, then reserved " + kind + " opcode " + opcode
                    + " with payload, then a ping, in one write: the echo, then close 1002 and no pong", run -> {
                try (var session = run.open()) {
                    session.send(Frame.text("before"), new Frame(true, 0, opcode, Bytes.utf8("reserved")),
                            Frame.ping(Bytes.utf8("after")));
                    run.require(session, Received.Message.text("before"));
                    return run.fails(session, RULE);
                }
            });
        }
    }
}
