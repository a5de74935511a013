package io.echowall.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Family 12: compressed messages once permessage-deflate is agreed (RFC 7692 sections 6 and 7.2): sizes,
 * fragmentation of the compressed payload, context takeover on and off, the unusual-but-valid encodings of
 * section 7.2.3, and the errors a server must catch. UNSUPPORTED when the server does not offer the extension.
 */
final class DeflateMessageCases {

    private static final String PLAIN = DeflateOffer.NAME;
    private static final String NO_CONTEXT = "permessage-deflate; server_no_context_takeover; client_no_context_takeover";
    private static final int[] SIZES = {0, 16, 256, 1024, 4096, 16384, 65536, 131072};
    private static final int[] FRAGMENT_SIZES = {1, 1024};
    private static final int[] NO_CONTEXT_SIZES = {256, 16384, 65536};
    private static final CloseRule RSV1_MISPLACED = CloseRule.protocolError(
            "RFC 7692 section 6: RSV1 only on the first frame of a data message; RFC 6455 section 5.2");

    private DeflateMessageCases() {
    }

    static List<ConformanceCase> all(Options options) {
        var list = new CaseList(Family.DEFLATE_MESSAGES);
        for (int i = 0; i < SIZES.length; i++) {
            int size = SIZES[i];
            list.add("12.1." + (i + 1), "compressed text of " + Bytes.size(size) + ", one frame: echoed",
                    run -> echoes(run, PLAIN, List.of(Received.Message.text(Payloads.text(size))), 0));
            list.add("12.2." + (i + 1), "compressed binary of " + Bytes.size(size) + " (incompressible), one frame: echoed",
                    run -> echoes(run, PLAIN, List.of(Received.Message.binary(Payloads.binary(size, size))), 0));
        }
        int n = 1;
        for (boolean text : new boolean[] {true, false}) {
            for (int fragment : FRAGMENT_SIZES) {
                // 4 KiB keeps the frame count (about 4100 at 1 byte) below the fragment limits servers set as policy.
                list.add("12.3." + n++, "compressed " + (text ? "text" : "binary") + " of 4 KiB, compressed payload in "
                        + fragment + "-byte frames: echoed", run -> echoes(run, PLAIN, List.of(
                        new Received.Message(text, text ? Payloads.text(4096) : Payloads.binary(4096, fragment))), fragment));
            }
        }
        list.add("12.4.1", "10 identical compressed texts of 1000 bytes in a row (context takeover): all echoed",
                run -> echoes(run, PLAIN, repeated(1000, false), 0));
        list.add("12.4.2", "10 different compressed texts of 16 KiB in a row (context takeover): all echoed",
                run -> echoes(run, PLAIN, repeated(16384, true), 0));
        list.add("12.4.3", "compressed text, empty, text, empty in a row (an empty message mid-stream compresses to "
                + "an empty stored block, RFC 7692 section 7.2.1): all echoed", run -> echoes(run, PLAIN, List.of(
                Received.Message.text("before"), Received.Message.text(""), Received.Message.text("after"),
                Received.Message.text("")), 0));
        for (int i = 0; i < NO_CONTEXT_SIZES.length; i++) {
            int size = NO_CONTEXT_SIZES[i];
            list.add("12.5." + (i + 1), "no context takeover either way, 5 compressed texts of " + Bytes.size(size)
                    + ": all echoed, each of the server's inflating on its own", run -> {
                var messages = new ArrayList<Received>();
                for (int k = 0; k < 5; k++) {
                    messages.add(Received.Message.text(Payloads.text(size)));
                }
                return echoes(run, NO_CONTEXT, messages, 0);
            });
        }

        list.add("12.6.1", "uncompressed text (RSV1 clear) in a compressed session: echoed (RFC 7692 section 6)", run -> {
            try (var session = run.openCompressed(PLAIN)) {
                session.send(Frame.text("not compressed"));
                return run.echoes(session, Received.Message.text("not compressed"));
            }
        });
        list.add("12.6.2", "10 texts alternating compressed and uncompressed: all echoed", run -> {
            try (var session = run.openCompressed(PLAIN)) {
                var expected = new ArrayList<Received>();
                for (int k = 0; k < 10; k++) {
                    byte[] payload = Payloads.text(200 + k);
                    session.send(k % 2 == 0 ? session.compressed(true, payload) : Frame.text(payload));
                    expected.add(Received.Message.text(payload));
                }
                return run.echoes(session, expected.toArray(Received[]::new));
            }
        });
        special(list, "12.6.3", "text compressed as one final block (BFINAL set, RFC 7692 section 7.2.3.4): echoed",
                Compressor::compressAsFinalBlock);
        special(list, "12.6.4", "text in stored (uncompressed) DEFLATE blocks (RFC 7692 section 7.2.3.3): echoed",
                Compressor::compressAsStoredBlocks);
        list.add("12.6.5", "text compressed as two DEFLATE blocks, one flush each (RFC 7692 section 7.2.3.5): echoed", run -> {
            try (var session = run.openCompressed(PLAIN)) {
                byte[] payload = session.requireCompressor().compressInBlocks(Bytes.utf8("first block, "), Bytes.utf8("second block"));
                session.send(new Frame(true, Frame.RSV1, Opcode.TEXT, payload));
                return run.echoes(session, Received.Message.text("first block, second block"));
            }
        });
        list.add("12.6.6", "RFC 7692 section 7.2.3.1 and 7.2.3.2 example payloads (\"Hello\" twice, sharing the window): "
                + "\"Hello\" echoed twice", run -> {
            try (var session = run.openCompressed(PLAIN)) {
                var frames = new ArrayList<Frame>();
                var expected = new ArrayList<Received>();
                frames.add(new Frame(true, Frame.RSV1, Opcode.TEXT, Bytes.hex("f2 48 cd c9 c9 07 00")));
                expected.add(Received.Message.text("Hello"));
                if (!session.deflate().clientNoContextTakeover()) { // the second example relies on the first's window
                    frames.add(new Frame(true, Frame.RSV1, Opcode.TEXT, Bytes.hex("f2 00 11 00 00")));
                    expected.add(Received.Message.text("Hello"));
                }
                session.send(frames);
                return run.echoes(session, expected.toArray(Received[]::new));
            }
        });

        list.add("12.7.1", "RSV1 on a continuation frame of a compressed message: close 1002", run -> {
            try (var session = run.openCompressed(PLAIN)) {
                // Incompressible, so the compressed payload spans several frames.
                List<Frame> frames = new ArrayList<>(session.compressedFragments(false, Payloads.binary(1000, 71), 64));
                frames.set(1, frames.get(1).withRsv(Frame.RSV1));
                session.send(frames);
                return run.fails(session, RSV1_MISPLACED);
            }
        });
        list.add("12.7.2", "RSV1 on a ping: close 1002 (RFC 7692 section 6: control frames are never compressed)", run -> {
            try (var session = run.openCompressed(PLAIN)) {
                session.send(Frame.ping(Bytes.utf8("compressed?")).withRsv(Frame.RSV1));
                return run.fails(session, RSV1_MISPLACED);
            }
        });
        list.add("12.7.3", "RSV1 on a close frame: close 1002", run -> {
            try (var session = run.openCompressed(PLAIN)) {
                session.send(Frame.close(CloseCodes.NORMAL, "").withRsv(Frame.RSV1));
                return run.fails(session, RSV1_MISPLACED);
            }
        });
        list.add("12.7.4", "compressed payload that is not DEFLATE (reserved block type 11): close 1002 or 1007; "
                + "RFC 7692 names no code, so another close is NON-STRICT", run -> {
            try (var session = run.openCompressed(PLAIN)) {
                session.send(new Frame(true, Frame.RSV1, Opcode.BINARY, Bytes.hex("07 ff ff ff ff")));
                return run.fails(session, new CloseRule(Set.of(CloseCodes.PROTOCOL_ERROR, CloseCodes.INVALID_PAYLOAD),
                        Set.of(), true, "RFC 7692 section 7.2.2: data that does not inflate fails the connection"));
            }
        });
        list.add("12.7.5", "compressed text inflating to invalid UTF-8 (ed a0 80): close 1007 (RFC 6455 section 8.1)", run -> {
            try (var session = run.openCompressed(PLAIN)) {
                session.send(session.compressed(true, Bytes.concat(Bytes.utf8("κόσμε"), Bytes.hex("ed a0 80"), Bytes.utf8("edited"))));
                return run.fails(session, CloseRule.invalidPayload("RFC 6455 section 8.1, after RFC 7692 section 7.2.2"));
            }
        });
        boolean limited = options.maxMessageSize() <= LimitCases.BOUNDARY_TEST_LIMIT;
        list.add("12.7.6", "compressed binary inflating to the server's limit + 1 byte (a few hundred bytes on the wire): "
                + "close 1009 (the inflated size counts)", limited ? run -> {
            try (var session = run.openCompressed(PLAIN)) {
                session.send(session.compressed(false, new byte[(int) options.maxMessageSize() + 1]));
                return run.fails(session, CloseRule.tooBig("RFC 6455 section 7.4.1"));
            }
        } : run -> Verdict.unsupported("no server message size limit of 64 MiB or less configured (--max-message-size)"));
        return list.toList();
    }

    /** {@code count} texts of {@code size} bytes, all the same or each different. */
    private static List<Received> repeated(int size, boolean distinct) {
        var messages = new ArrayList<Received>();
        for (int k = 0; k < 10; k++) {
            byte[] payload = Payloads.text(size);
            if (distinct) {
                payload[0] = (byte) ('a' + k);
            }
            messages.add(Received.Message.text(payload));
        }
        return messages;
    }

    /**
     * Sends each expected message compressed, in one write, and requires them echoed; {@code fragment} above 0
     * cuts each compressed payload into frames of that size.
     */
    static Verdict echoes(CaseRun run, String offer, List<Received> messages, int fragment) throws Exception {
        try (var session = run.openCompressed(offer)) {
            return echoesCompressed(run, session, messages, fragment);
        }
    }

    static Verdict echoesCompressed(CaseRun run, Session session, List<Received> messages, int fragment) throws Exception {
        var frames = new ArrayList<Frame>();
        for (Received item : messages) {
            var message = (Received.Message) item;
            if (fragment > 0) {
                frames.addAll(session.compressedFragments(message.text(), message.payload(), fragment));
            } else {
                frames.add(session.compressed(message.text(), message.payload()));
            }
        }
        session.send(frames);
        return run.echoes(session, messages.toArray(Received[]::new));
    }

    private static void special(CaseList list, String id, String description, UnaryOperator<byte[]> encoding) {
        list.add(id, description, run -> {
            try (var session = run.openCompressed(PLAIN)) {
                byte[] message = Payloads.text(3000);
                session.send(new Frame(true, Frame.RSV1, Opcode.TEXT, encoding.apply(message)));
                return run.echoes(session, Received.Message.text(message));
            }
        });
    }
}
