package io.echowall.conformance;

import java.util.List;

/** Family 3: RSV1-3 set with no extension agreed must fail the connection with 1002 (RFC 6455 section 5.2). */
final class ReservedBitsCases {

    private static final CloseRule RULE = CloseRule.protocolError(
            "RFC 6455 section 5.2: a nonzero RSV bit no extension defines MUST fail the connection");
    private static final int[] SINGLE_BITS = {Frame.RSV1, Frame.RSV2, Frame.RSV3};

    private ReservedBitsCases() {
    }

    static List<ConformanceCase> all() {
        var list = new CaseList(Family.RESERVED_BITS);
        for (int rsv = 1; rsv <= 7; rsv++) {
            int bits = rsv;
            list.add("3.1." + rsv, "text frame with " + name(bits) + ": close 1002", run -> alone(run, Frame.text("reserved").withRsv(bits)));
        }
        for (int i = 0; i < SINGLE_BITS.length; i++) {
            int bits = SINGLE_BITS[i];
            list.add("3.2." + (i + 1), "binary frame with " + name(bits) + ": close 1002",
                    run -> alone(run, Frame.binary(new byte[] {1, 2, 3}).withRsv(bits)));
            list.add("3.3." + (i + 1), "ping with " + name(bits) + ": close 1002, no pong",
                    run -> alone(run, Frame.ping(Bytes.utf8("ping")).withRsv(bits)));
            list.add("3.4." + (i + 1), "close frame with " + name(bits) + ": close 1002",
                    run -> alone(run, Frame.close(CloseCodes.NORMAL, "").withRsv(bits)));
            list.add("3.5." + (i + 1), "continuation frame of a fragmented text with " + name(bits) + ": close 1002", run -> {
                try (var session = run.open()) {
                    session.send(Frame.text("frag").withFin(false), Frame.continuation(Bytes.utf8("ment"), true).withRsv(bits));
                    return run.fails(session, RULE);
                }
            });
            list.add("3.6." + (i + 1), "text echoed, then a text with " + name(bits) + ", then a ping, in one write: "
                    + "the echo, then close 1002 and no pong", run -> {
                try (var session = run.open()) {
                    session.send(Frame.text("before"), Frame.text("reserved").withRsv(bits), Frame.ping(Bytes.utf8("after")));
                    run.require(session, Received.Message.text("before"));
                    return run.fails(session, RULE);
                }
            });
        }
        return list.toList();
    }

    private static Verdict alone(CaseRun run, Frame frame) throws Exception {
        try (var session = run.open()) {
            session.send(frame);
            return run.fails(session, RULE);
        }
    }

    private static String name(int rsv) {
        var bits = new StringBuilder();
        for (int bit = 1; bit <= 3; bit++) {
            if ((rsv & 1 << (3 - bit)) != 0) {
                bits.append(bits.isEmpty() ? "RSV" : "+RSV").append(bit);
            }
        }
        return bits.toString();
    }
}
