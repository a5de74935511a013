package io.echowall.conformance;

import java.util.List;
import java.util.Set;

/** Family 7: the closing handshake and status codes (RFC 6455 sections 5.5.1, 7.1, 7.4). */
final class CloseCases {

    private static final int[] VALID_CODES = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014,
        3000, 3999, 4000, 4999};
    private static final int[] INVALID_CODES = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535};

    /**
     * An invalid UTF-8 reason: section 8.1 requires failing the connection; 1007 names exactly this ("data not
     * consistent with the type", section 7.4.1) while 1002 is merely generic, so 1002 is NON-STRICT.
     */
    private static final CloseRule INVALID_REASON = new CloseRule(Set.of(CloseCodes.INVALID_PAYLOAD),
            Set.of(CloseCodes.PROTOCOL_ERROR), "RFC 6455 sections 5.5.1 and 8.1: the reason is UTF-8");

    private CloseCases() {
    }

    static List<ConformanceCase> all() {
        var list = new CaseList(Family.CLOSE);
        list.add("7.1.1", "close 1000: Close 1000 back, then the server closes TCP (RFC 6455 sections 5.5.1, 7.1.1)",
                run -> closeAnswered(run, Frame.close(1000, ""), 1000));
        list.add("7.1.2", "close with an empty payload: an empty Close or 1000 back, then TCP closed (RFC 6455 section 7.1.5)",
                run -> closeAnswered(run, Frame.closeWithoutCode(), CloseCodes.NONE));
        list.add("7.1.3", "close 1000 with reason \"bye\": Close 1000 back", run -> closeAnswered(run, Frame.close(1000, "bye"), 1000));
        list.add("7.1.4", "text, then close, in one write: the echo, then Close 1000", run -> {
            try (var session = run.open()) {
                session.send(Frame.text("before close"), Frame.close(1000, ""));
                run.require(session, Received.Message.text("before close"));
                return run.closeEchoed(session, 1000);
            }
        });
        list.add("7.1.5", "close, then a text frame, in one write: Close 1000 and no echo (RFC 6455 section 5.5.1: "
                + "data after the Close is not processed)", run -> closeThen(run, Frame.text("after close")));
        list.add("7.1.6", "close, then a ping, in one write: Close 1000 and no pong (RFC 6455 section 5.5.2)",
                run -> closeThen(run, Frame.ping(Bytes.utf8("after close"))));
        list.add("7.1.7", "two Close frames in one write: one Close back, then TCP closed",
                run -> closeThen(run, Frame.close(1000, "again")));
        list.add("7.1.8", "fragmented text left unfinished, then close: Close 1000 back, no message", run -> {
            try (var session = run.open()) {
                session.send(new Frame(false, 0, Opcode.TEXT, Bytes.utf8("unfinished")), Frame.close(1000, ""));
                return run.closeEchoed(session, 1000);
            }
        });
        list.add("7.1.9", "256 KiB binary message, then close, in one write: the echo, then Close 1000", run -> {
            byte[] payload = Payloads.binary(256 * 1024, 719);
            try (var session = run.open()) {
                session.writeInBackground(Bytes.concat(FrameEncoder.masked(Frame.binary(payload)),
                        FrameEncoder.masked(Frame.close(1000, ""))));
                run.require(session, Received.Message.binary(payload));
                return run.closeEchoed(session, 1000);
            }
        });
        list.add("7.1.10", "close 1000 with a 123-byte reason (125-byte payload, the maximum): Close 1000 back",
                run -> closeAnswered(run, Frame.close(1000, "r".repeat(123)), 1000));
        list.add("7.1.11", "close 1000 with a multi-byte UTF-8 reason \"κόσμε 😀\": Close 1000 back",
                run -> closeAnswered(run, Frame.close(1000, "κόσμε 😀"), 1000));

        list.add("7.3.1", "close with a 1-byte payload: close 1002 (RFC 6455 section 5.5.1: a body starts with a 2-byte code)",
                run -> failing(run, new Frame(true, 0, Opcode.CLOSE, new byte[] {0x03}),
                        CloseRule.protocolError("RFC 6455 section 5.5.1")));
        list.add("7.3.2", "close 1000 with a 124-byte reason (126-byte payload): close 1002 (RFC 6455 section 5.5)",
                run -> failing(run, Frame.close(1000, "r".repeat(124)),
                        CloseRule.protocolError("RFC 6455 section 5.5: control frames carry at most 125 bytes")));

        List<Utf8Reason> reasons = List.of(
                new Utf8Reason("overlong c0 80", "c0 80"),
                new Utf8Reason("surrogate ed a0 80", "ed a0 80"),
                new Utf8Reason("lone continuation byte 80", "80"),
                new Utf8Reason("truncated e2 82 at the end", "e2 82"),
                new Utf8Reason("above U+10FFFF f4 90 80 80", "f4 90 80 80"));
        for (int i = 0; i < reasons.size(); i++) {
            Utf8Reason reason = reasons.get(i);
            list.add("7.5." + (i + 1), "close 1000 whose reason holds invalid UTF-8 (" + reason.name()
                    + "): close 1007; 1002 is NON-STRICT", run -> failing(run,
                    Frame.close(1000, Bytes.concat(Bytes.utf8("bad "), Bytes.hex(reason.hex()))), INVALID_REASON));
        }
        for (int i = 0; i < VALID_CODES.length; i++) {
            int code = VALID_CODES[i];
            list.add("7.7." + (i + 1), "close " + code + ": Close " + code + " back (RFC 6455 sections 5.5.1, 7.4)",
                    run -> closeAnswered(run, Frame.close(code, ""), code));
        }
        for (int i = 0; i < INVALID_CODES.length; i++) {
            int code = INVALID_CODES[i];
            list.add("7.9." + (i + 1), "close " + code + ", a code no endpoint may send: close 1002 (RFC 6455 section 7.4)",
                    run -> failing(run, Frame.close(code, ""), CloseRule.protocolError("RFC 6455 sections 7.4.1, 7.4.2")));
        }
        return list.toList();
    }

    private record Utf8Reason(String name, String hex) {
    }

    private static Verdict closeAnswered(CaseRun run, Frame close, int code) throws Exception {
        try (var session = run.open()) {
            session.send(close);
            return run.closeEchoed(session, code);
        }
    }

    private static Verdict closeThen(CaseRun run, Frame after) throws Exception {
        try (var session = run.open()) {
            session.send(Frame.close(1000, ""), after);
            return run.closeEchoed(session, 1000);
        }
    }

    private static Verdict failing(CaseRun run, Frame close, CloseRule rule) throws Exception {
        try (var session = run.open()) {
            session.send(close);
            return run.fails(session, rule);
        }
    }
}
