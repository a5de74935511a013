package io.echowall.conformance;

import java.io.ByteArrayOutputStream;
import java.util.List;

/** Family 5: fragmented messages (RFC 6455 section 5.4), with control frames between fragments (section 5.5). */
final class FragmentationCases {

    private static final CloseRule BROKEN_SEQUENCE = CloseRule.protocolError(
            "RFC 6455 section 5.4: fragments of one message arrive in order, without other data frames between them");
    private static final CloseRule FRAGMENTED_CONTROL = CloseRule.protocolError(
            "RFC 6455 section 5.5: control frames MUST NOT be fragmented");

    private FragmentationCases() {
    }

    static List<ConformanceCase> all() {
        var list = new CaseList(Family.FRAGMENTATION);
        echoed(list, "5.1", "text in 2 fragments", true, fragments(Opcode.TEXT, Bytes.utf8("fragmented text"), 8));
        echoed(list, "5.2", "binary in 2 fragments", false, fragments(Opcode.BINARY, Payloads.binary(16, 52), 8));
        echoed(list, "5.3", "text in 1-byte fragments", true, fragments(Opcode.TEXT, Bytes.utf8("one byte each"), 1));
        echoed(list, "5.4", "binary in 1-byte fragments", false, fragments(Opcode.BINARY, Payloads.binary(13, 54), 1));
        echoed(list, "5.5", "text whose first fragment is empty", true, List.of(
                new Frame(false, 0, Opcode.TEXT, new byte[0]), Frame.continuation(Bytes.utf8("abc"), true)));
        echoed(list, "5.6", "text with an empty middle fragment", true, List.of(
                new Frame(false, 0, Opcode.TEXT, Bytes.utf8("ab")), Frame.continuation(new byte[0], false),
                Frame.continuation(Bytes.utf8("c"), true)));
        echoed(list, "5.7", "text whose final fragment is empty", true, List.of(
                new Frame(false, 0, Opcode.TEXT, Bytes.utf8("abc")), Frame.continuation(new byte[0], true)));
        echoed(list, "5.8", "text made of 3 empty fragments", true, List.of(
                new Frame(false, 0, Opcode.TEXT, new byte[0]), Frame.continuation(new byte[0], false),
                Frame.continuation(new byte[0], true)));
        echoed(list, "5.9", "text in 64 fragments of 1 KiB", true, fragments(Opcode.TEXT, Payloads.text(64 * 1024), 1024));

        list.add("5.10", "ping between two text fragments: pong, and the text echoed as one message "
                + "(RFC 6455 section 5.4: control frames may be injected)", run -> {
            try (var session = run.open()) {
                session.send(new Frame(false, 0, Opcode.TEXT, Bytes.utf8("frag")), Frame.ping(Bytes.utf8("in between")),
                        Frame.continuation(Bytes.utf8("mented"), true));
                return run.echoes(session, new Received.Pong(Bytes.utf8("in between")), Received.Message.text("fragmented"));
            }
        });
        list.add("5.11", "three pings between text fragments: pongs, and the text echoed", run -> {
            try (var session = run.open()) {
                session.send(new Frame(false, 0, Opcode.TEXT, Bytes.utf8("a")), Frame.ping(Bytes.utf8("1")),
                        Frame.continuation(Bytes.utf8("b"), false), Frame.ping(Bytes.utf8("2")), Frame.ping(Bytes.utf8("3")),
                        Frame.continuation(Bytes.utf8("c"), true));
                return run.echoes(session, new Received.Pong(Bytes.utf8("1")), new Received.Pong(Bytes.utf8("2")),
                        new Received.Pong(Bytes.utf8("3")), Received.Message.text("abc"));
            }
        });
        list.add("5.12", "unsolicited pong between text fragments: ignored, the text echoed", run -> {
            try (var session = run.open()) {
                session.send(new Frame(false, 0, Opcode.TEXT, Bytes.utf8("frag")), Frame.pong(Bytes.utf8("unsolicited")),
                        Frame.continuation(Bytes.utf8("mented"), true));
                return run.echoes(session, Received.Message.text("fragmented"));
            }
        });
        list.add("5.13", "ping between binary fragments: the pong comes before the last fragment is sent, then the echo", run -> {
            try (var session = run.open()) {
                session.send(new Frame(false, 0, Opcode.BINARY, new byte[] {1, 2}));
                session.send(Frame.ping(Bytes.utf8("in between")));
                run.require(session, new Received.Pong(Bytes.utf8("in between")));
                session.send(Frame.continuation(new byte[] {3}, true));
                return run.echoes(session, Received.Message.binary(new byte[] {1, 2, 3}));
            }
        });
        list.add("5.14", "fragmented text with a ping between fragments, all written 1 byte at a time: pong and echo", run -> {
            try (var session = run.open()) {
                byte[] wire = Bytes.concat(FrameEncoder.masked(new Frame(false, 0, Opcode.TEXT, Bytes.utf8("chop"))),
                        FrameEncoder.masked(Frame.ping(Bytes.utf8("in between"))),
                        FrameEncoder.masked(Frame.continuation(Bytes.utf8("ped"), true)));
                session.writeChopped(wire, 1);
                return run.echoes(session, new Received.Pong(Bytes.utf8("in between")), Received.Message.text("chopped"));
            }
        });

        failing(list, "5.15", "continuation frame (FIN set) with no message started", BROKEN_SEQUENCE,
                Frame.continuation(Bytes.utf8("orphan"), true));
        failing(list, "5.16", "continuation frames (FIN clear, then set) with no message started", BROKEN_SEQUENCE,
                Frame.continuation(Bytes.utf8("orphan"), false), Frame.continuation(Bytes.utf8("s"), true));
        list.add("5.17", "text echoed, then a continuation frame after the complete message: the echo, then close 1002", run -> {
            try (var session = run.open()) {
                session.send(Frame.text("complete"), Frame.continuation(Bytes.utf8("late"), true));
                run.require(session, Received.Message.text("complete"));
                return run.fails(session, BROKEN_SEQUENCE);
            }
        });
        failing(list, "5.18", "text started, then a new text frame (FIN set) before it ends", BROKEN_SEQUENCE,
                new Frame(false, 0, Opcode.TEXT, Bytes.utf8("start")), Frame.text("intruder"));
        failing(list, "5.19", "text started, then a new binary frame (FIN clear) before it ends", BROKEN_SEQUENCE,
                new Frame(false, 0, Opcode.TEXT, Bytes.utf8("start")), new Frame(false, 0, Opcode.BINARY, new byte[] {1}),
                Frame.continuation(Bytes.utf8("end"), true));
        failing(list, "5.20", "binary started, then a new text frame before it ends", BROKEN_SEQUENCE,
                new Frame(false, 0, Opcode.BINARY, new byte[] {1}), Frame.text("intruder"));
        failing(list, "5.21", "ping with FIN clear", FRAGMENTED_CONTROL, Frame.ping(Bytes.utf8("fragmented")).withFin(false));
        failing(list, "5.22", "pong with FIN clear", FRAGMENTED_CONTROL, Frame.pong(Bytes.utf8("fragmented")).withFin(false));
        failing(list, "5.23", "close with FIN clear", FRAGMENTED_CONTROL, Frame.close(CloseCodes.NORMAL, "").withFin(false));
        failing(list, "5.24", "ping fragmented into a ping (FIN clear) and a continuation", FRAGMENTED_CONTROL,
                Frame.ping(Bytes.utf8("frag")).withFin(false), Frame.continuation(Bytes.utf8("mented"), true));
        failing(list, "5.25", "text started, then a ping with FIN clear inside it", FRAGMENTED_CONTROL,
                new Frame(false, 0, Opcode.TEXT, Bytes.utf8("start")), Frame.ping(Bytes.utf8("frag")).withFin(false),
                Frame.continuation(Bytes.utf8("end"), true));
        return list.toList();
    }

    private static List<Frame> fragments(int opcode, byte[] payload, int size) {
        return Frame.fragments(opcode, 0, payload, size);
    }

    private static void echoed(CaseList list, String id, String what, boolean text, List<Frame> frames) {
        var message = new ByteArrayOutputStream();
        frames.forEach(frame -> message.writeBytes(frame.payload()));
        var expected = new Received.Message(text, message.toByteArray());
        list.add(id, what + ", in one write: echoed as one message", run -> {
            try (var session = run.open()) {
                session.send(frames);
                return run.echoes(session, expected);
            }
        });
    }

    private static void failing(CaseList list, String id, String what, CloseRule rule, Frame... frames) {
        list.add(id, what + ": close 1002", run -> {
            try (var session = run.open()) {
                session.send(frames);
                return run.fails(session, rule);
            }
        });
    }
}
