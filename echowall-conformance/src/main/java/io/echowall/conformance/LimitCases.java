package io.echowall.conformance;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Family 9: large messages against the server's size limit (1009, RFC 6455 section 7.4.1), many pipelined
 * messages, and frames written a few bytes at a time.
 */
final class LimitCases {

    private static final int FRAGMENT = 64 * 1024;
    static final long BOUNDARY_TEST_LIMIT = 64L << 20;
    private static final CloseRule TOO_BIG = CloseRule.tooBig(
            "RFC 6455 section 7.4.1: 1009 for a message too big to process");

    private LimitCases() {
    }

    static List<ConformanceCase> all(Options options) {
        var list = new CaseList(Family.LIMITS);
        List<Integer> sizes = options.messageSizes();
        for (int i = 0; i < sizes.size(); i++) {
            int size = sizes.get(i);
            String n = String.valueOf(i + 1);
            sized(list, "9.1." + n, "text message of " + Bytes.size(size) + " in one frame", options, size,
                    () -> List.of(Frame.text(Payloads.text(size))), true);
            sized(list, "9.2." + n, "binary message of " + Bytes.size(size) + " in one frame", options, size,
                    () -> List.of(Frame.binary(Payloads.binary(size, size))), false);
            sized(list, "9.3." + n, "binary message of " + Bytes.size(size) + " in 64 KiB fragments", options, size,
                    () -> Frame.fragments(Opcode.BINARY, 0, Payloads.binary(size, size), FRAGMENT), false);
        }
        // Messages at the limit are only sent for limits a test run can afford to fill.
        boolean limited = options.maxMessageSize() <= BOUNDARY_TEST_LIMIT;
        int limit = (int) Math.min(options.maxMessageSize(), BOUNDARY_TEST_LIMIT);
        atLimit(list, "9.4.1", "binary message of exactly the server's limit (" + size(options) + ") in one frame: echoed",
                limited, run -> {
            byte[] payload = Payloads.binary(limit, 941);
            return sizedExchange(run, List.of(Frame.binary(payload)), Received.Message.binary(payload));
        });
        atLimit(list, "9.4.2", "binary message of the server's limit + 1 byte in one frame: close 1009", limited,
                run -> sizedExchange(run, List.of(Frame.binary(Payloads.binary(limit + 1, 942))), null));
        atLimit(list, "9.4.3", "text message of the server's limit + 1 byte in 64 KiB fragments: close 1009 "
                + "(the limit is on the message, not the frame)", limited,
                run -> sizedExchange(run, Frame.fragments(Opcode.TEXT, 0, Payloads.text(limit + 1), FRAGMENT), null));

        list.add("9.5.1", "1000 text messages of 16 bytes in one write: all echoed, in order", run -> {
            var frames = new ArrayList<Frame>();
            var expected = new ArrayList<Received>();
            for (int i = 0; i < 1000; i++) {
                String text = String.format("message %08d", i);
                frames.add(Frame.text(text));
                expected.add(Received.Message.text(text));
            }
            return pipelined(run, frames, expected);
        });
        list.add("9.5.2", "1000 binary messages of 0-127 bytes in one write: all echoed, in order", run -> {
            var frames = new ArrayList<Frame>();
            var expected = new ArrayList<Received>();
            for (int i = 0; i < 1000; i++) {
                byte[] payload = Payloads.binary(i % 128, i);
                frames.add(Frame.binary(payload));
                expected.add(Received.Message.binary(payload));
            }
            return pipelined(run, frames, expected);
        });
        for (int chop = 1; chop <= 3; chop++) {
            int bytes = chop;
            list.add("9.6." + chop, "text message of 4 KiB, written " + chop + " byte" + (chop > 1 ? "s" : "")
                    + " at a time: echoed", run -> {
                byte[] payload = Payloads.text(4096);
                try (var session = run.open()) {
                    session.writeChopped(FrameEncoder.masked(Frame.text(payload)), bytes);
                    return run.echoes(session, Received.Message.text(payload));
                }
            });
        }
        return list.toList();
    }

    private static void sized(CaseList list, String id, String what, Options options, int size, Supplier<List<Frame>> frames,
                              boolean text) {
        boolean fits = options.allows(size);
        list.add(id, what + (fits ? ": echoed (within the server's limit of " + size(options) + ")"
                : ": close 1009 (over the server's limit of " + size(options) + ")"), run -> {
            List<Frame> sent = frames.get();
            if (!fits) {
                return sizedExchange(run, sent, null);
            }
            var message = new ByteArrayOutputStream(size);
            sent.forEach(frame -> message.writeBytes(frame.payload()));
            return sizedExchange(run, sent, new Received.Message(text, message.toByteArray()));
        });
    }

    private static void atLimit(CaseList list, String id, String what, boolean limited, ConformanceCase.Body body) {
        list.add(id, what, limited ? body
                : run -> Verdict.unsupported("no server message size limit of 64 MiB or less configured (--max-message-size)"));
    }

    private static String size(Options options) {
        return options.maxMessageSize() == Options.NO_LIMIT ? "none" : Bytes.size(options.maxMessageSize());
    }

    /** Sends large frames from a background writer while judging the echo, or the 1009 when {@code echo} is null. */
    private static Verdict sizedExchange(CaseRun run, List<Frame> frames, Received.Message echo) throws Exception {
        byte[] wire = encodeAll(frames);
        try (var session = run.open()) {
            session.writeInBackground(wire);
            if (echo != null) {
                return run.echoes(session, echo);
            }
            return run.judgeFailure(session, session.receive(run.timeoutFor(wire.length)), TOO_BIG);
        }
    }

    private static Verdict pipelined(CaseRun run, List<Frame> frames, List<Received> expected) throws Exception {
        try (var session = run.open()) {
            session.writeInBackground(encodeAll(frames));
            return run.echoes(session, expected.toArray(Received[]::new));
        }
    }

    private static byte[] encodeAll(List<Frame> frames) {
        var wire = new ByteArrayOutputStream();
        frames.forEach(frame -> wire.writeBytes(FrameEncoder.masked(frame)));
        return wire.toByteArray();
    }
}
