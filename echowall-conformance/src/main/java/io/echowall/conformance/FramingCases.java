package io.echowall.conformance;

import java.util.List;
import java.util.Set;

/** Family 1: payload lengths across the 7-bit, 16-bit and 64-bit length encodings (RFC 6455 section 5.2). */
final class FramingCases {

    private static final int[] LENGTHS = {0, 125, 126, 127, 128, 65535, 65536};
    private static final int LARGEST = 4 << 20;

    private FramingCases() {
    }

    static List<ConformanceCase> all(Options options) {
        var list = new CaseList(Family.FRAMING);
        // The multi-MiB frame is as large as the server's limit allows, up to 4 MiB.
        int large = (int) Math.min(LARGEST, options.maxMessageSize());
        lengths(list, "1.1", true, large);
        lengths(list, "1.2", false, large);
        list.add("1.3.1", "text, 65536 bytes, frame written in chops of 997 bytes: echoed", run -> chopped(run, true));
        list.add("1.3.2", "binary, 65536 bytes, frame written in chops of 997 bytes: echoed", run -> chopped(run, false));
        list.add("1.4.1", "64-bit payload length with the most significant bit set: close 1002 (RFC 6455 section 5.2)", run -> {
            try (var session = run.open()) {
                byte[] header = Bytes.concat(new byte[] {(byte) 0x82, (byte) (0x80 | 127)},
                        Bytes.hex("80 00 00 00 00 00 00 10"), FrameEncoder.newMaskKey());
                session.write(Bytes.concat(header, new byte[16]));
                return run.fails(session, new CloseRule(Set.of(CloseCodes.PROTOCOL_ERROR),
                        Set.of(CloseCodes.MESSAGE_TOO_BIG), "RFC 6455 section 5.2: the most significant bit MUST be 0"));
            }
        });
        return list.toList();
    }

    private static void lengths(CaseList list, String prefix, boolean text, int large) {
        int n = 1;
        for (int length : LENGTHS) {
            add(list, prefix + "." + n++, text, length);
        }
        add(list, prefix + "." + n, text, large);
    }

    private static void add(CaseList list, String id, boolean text, int length) {
        String kind = text ? "text" : "binary";
        list.add(id, kind + ", payload length " + length + " (" + encoding(length) + " length): echoed", run -> {
            byte[] payload = text ? Payloads.text(length) : Payloads.binary(length, length);
            try (var session = run.open()) {
                session.writeInBackground(FrameEncoder.masked(text ? Frame.text(payload) : Frame.binary(payload)));
                return run.echoes(session, new Received.Message(text, payload));
            }
        });
    }

    private static String encoding(int length) {
        return length <= 125 ? "7-bit" : length <= 0xFFFF ? "16-bit" : "64-bit";
    }

    private static Verdict chopped(CaseRun run, boolean text) throws Exception {
        byte[] payload = text ? Payloads.text(65536) : Payloads.binary(65536, 997);
        try (var session = run.open()) {
            session.writeChopped(FrameEncoder.masked(text ? Frame.text(payload) : Frame.binary(payload)), 997);
            return run.echoes(session, new Received.Message(text, payload));
        }
    }
}
