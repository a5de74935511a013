package io.echowall.conformance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Family 2: ping and pong (RFC 6455 sections 5.5, 5.5.2, 5.5.3). */
final class PingPongCases {

    private static final String CONTROL_LIMIT = "RFC 6455 section 5.5: control frames carry at most 125 bytes";

    private PingPongCases() {
    }

    static List<ConformanceCase> all() {
        var list = new CaseList(Family.PING_PONG);
        pingEchoed(list, "2.1", "ping without payload", new byte[0]);
        pingEchoed(list, "2.2", "ping with text payload \"Hello, world!\"", Bytes.utf8("Hello, world!"));
        pingEchoed(list, "2.3", "ping with binary payload 00 ff fe fd fc fb fa f9", Bytes.hex("00 ff fe fd fc fb fa f9"));
        pingEchoed(list, "2.4", "ping with 125-byte payload", Payloads.allByteValues(125));
        list.add("2.5", "ping with 126-byte payload: close 1002 (" + CONTROL_LIMIT + ")", run -> {
            try (var session = run.open()) {
                session.send(Frame.ping(Payloads.allByteValues(126)));
                return run.fails(session, CloseRule.protocolError(CONTROL_LIMIT));
            }
        });
        list.add("2.6", "ping with 125-byte payload written 1 byte at a time: pong with the same payload", run -> {
            byte[] payload = Payloads.allByteValues(125);
            try (var session = run.open()) {
                session.writeChopped(FrameEncoder.masked(Frame.ping(payload)), 1);
                return run.echoes(session, new Received.Pong(payload));
            }
        });
        unsolicitedPong(list, "2.7", "unsolicited pong without payload: ignored, a following text is echoed", new byte[0]);
        unsolicitedPong(list, "2.8", "unsolicited pong with payload: ignored, a following text is echoed", Bytes.utf8("unsolicited"));
        list.add("2.9", "pong with 126-byte payload: close 1002 (" + CONTROL_LIMIT + ")", run -> {
            try (var session = run.open()) {
                session.send(Frame.pong(Payloads.allByteValues(126)));
                return run.fails(session, CloseRule.protocolError(CONTROL_LIMIT));
            }
        });
        list.add("2.10", "10 pings of 125 bytes with distinct payloads in one write: pongs in order; answering only the latest "
                + "of a burst is allowed (RFC 6455 section 5.5.3)", run -> pingBurst(run, 10, 125));
        list.add("2.11", "ping then close in one write: pong, then the close answered (RFC 6455 section 5.5.2: "
                + "a ping received before the Close is answered)", run -> {
            try (var session = run.open()) {
                session.send(Frame.ping(Bytes.utf8("before close")), Frame.close(CloseCodes.NORMAL, ""));
                run.require(session, new Received.Pong(Bytes.utf8("before close")));
                return run.closeEchoed(session, CloseCodes.NORMAL);
            }
        });
        return list.toList();
    }

    private static void pingEchoed(CaseList list, String id, String what, byte[] payload) {
        list.add(id, what + ": pong with the same payload (RFC 6455 section 5.5.3)", run -> {
            try (var session = run.open()) {
                session.send(Frame.ping(payload));
                return run.echoes(session, new Received.Pong(payload));
            }
        });
    }

    private static void unsolicitedPong(CaseList list, String id, String what, byte[] payload) {
        list.add(id, what + " (RFC 6455 section 5.5.3)", run -> {
            try (var session = run.open()) {
                session.send(Frame.pong(payload), Frame.text("after pong"));
                return run.echoes(session, Received.Message.text("after pong"));
            }
        });
    }

    /**
     * Sends {@code count} pings at once. Every pong must echo one of them, in order, and the last ping must be
     * answered; pongs for earlier ones may be skipped (RFC 6455 section 5.5.3).
     */
    private static Verdict pingBurst(CaseRun run, int count, int size) throws Exception {
        var payloads = new ArrayList<byte[]>();
        var frames = new ArrayList<Frame>();
        for (int i = 0; i < count; i++) {
            byte[] payload = Payloads.binary(size, i);
            payload[0] = (byte) i;
            payloads.add(payload);
            frames.add(Frame.ping(payload));
        }
        try (var session = run.open()) {
            session.send(frames);
            int next = 0;
            while (next < count) {
                Received received = session.receive(run.timeout());
                if (!(received instanceof Received.Pong pong)) {
                    return Verdict.fail("expected pongs for " + count + " pings, got " + received.describe()
                            + " after " + next + " of them");
                }
                int matched = indexOf(payloads, pong.payload(), next);
                if (matched < 0) {
                    return Verdict.fail("got " + pong.describe() + " that answers none of the pings still due, in order");
                }
                next = matched + 1;
            }
            run.finish(session);
            return Verdict.pass();
        }
    }

    private static int indexOf(List<byte[]> payloads, byte[] payload, int from) {
        for (int i = from; i < payloads.size(); i++) {
            if (Arrays.equals(payloads.get(i), payload)) {
                return i;
            }
        }
        return -1;
    }
}
