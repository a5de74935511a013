package io.echowall.conformance;

import java.util.Arrays;
import java.util.List;

/**
 * Family 6: UTF-8 in text messages (RFC 6455 sections 5.6 and 8.1, RFC 3629). Valid text is echoed whole or
 * fragmented at every byte; each invalid sequence is sent in one frame, fragmented at every byte, and twice more
 * to check the server fails fast: it must close with 1007 once the first invalid byte arrives, not only once the
 * frame or message is complete.
 */
final class Utf8Cases {

    private static final CloseRule RULE = CloseRule.invalidPayload(
            "RFC 6455 section 8.1: invalid UTF-8 in a text message MUST fail the connection; 1007 per section 7.4.1");
    private static final byte[] PREFIX = Bytes.utf8("κόσμε");
    private static final byte[] SUFFIX = Bytes.utf8("edited");

    private record Sample(String name, byte[] bytes) {
        static Sample of(String name, String hex) {
            return new Sample(name, Bytes.hex(hex));
        }

        static Sample codePoint(int codePoint) {
            return new Sample(String.format("U+%04X", codePoint), Bytes.utf8("a" + Character.toString(codePoint) + "b"));
        }
    }

    private static final List<Sample> VALID = List.of(
            new Sample("\"Hello-µ@ßöäüàá-UTF-8!!\"", Bytes.utf8("Hello-µ@ßöäüàá-UTF-8!!")),
            new Sample("\"κόσμε\" (2-byte sequences)", PREFIX),
            new Sample("1- to 4-byte sequences \"aé€😀\"", Bytes.utf8("aé€😀")),
            Sample.codePoint(0x0000), Sample.codePoint(0x007F), Sample.codePoint(0x0080), Sample.codePoint(0x07FF),
            Sample.codePoint(0x0800), Sample.codePoint(0xD7FF), Sample.codePoint(0xE000), Sample.codePoint(0xFEFF),
            Sample.codePoint(0xFFFD), Sample.codePoint(0xFFFE), Sample.codePoint(0xFFFF), Sample.codePoint(0x10000),
            Sample.codePoint(0x10FFFF));

    private static final List<Sample> INVALID = List.of(
            Sample.of("lone continuation byte 80", "80"),
            Sample.of("continuation bytes 80 bf 80 bf", "80 bf 80 bf"),
            new Sample("all 64 continuation bytes 80..bf", range(0x80, 0xBF)),
            Sample.of("2-byte start c2 followed by a space", "c2 20"),
            Sample.of("3-byte sequence e0 a0 cut short by a space", "e0 a0 20"),
            Sample.of("4-byte sequence f0 90 80 cut short by a space", "f0 90 80 20"),
            Sample.of("overlong NUL c0 80", "c0 80"),
            Sample.of("overlong U+007F c1 bf", "c1 bf"),
            Sample.of("overlong U+07FF e0 9f bf", "e0 9f bf"),
            Sample.of("overlong NUL f0 80 80 80", "f0 80 80 80"),
            Sample.of("overlong U+FFFF f0 8f bf bf", "f0 8f bf bf"),
            Sample.of("overlong '/' c0 af", "c0 af"),
            Sample.of("overlong '/' e0 80 af", "e0 80 af"),
            Sample.of("overlong '/' f0 80 80 af", "f0 80 80 af"),
            Sample.of("5-byte sequence f8 88 80 80 80", "f8 88 80 80 80"),
            Sample.of("6-byte sequence fc 84 80 80 80 80", "fc 84 80 80 80 80"),
            Sample.of("surrogate U+D800 ed a0 80", "ed a0 80"),
            Sample.of("surrogate U+DBFF ed af bf", "ed af bf"),
            Sample.of("surrogate U+DC00 ed b0 80", "ed b0 80"),
            Sample.of("surrogate U+DFFF ed bf bf", "ed bf bf"),
            Sample.of("surrogate pair U+D800 U+DC00 (CESU-8)", "ed a0 80 ed b0 80"),
            Sample.of("U+110000 f4 90 80 80", "f4 90 80 80"),
            Sample.of("above U+10FFFF f5 80 80 80", "f5 80 80 80"),
            Sample.of("byte fe", "fe"),
            Sample.of("byte ff", "ff"));

    private static final List<Sample> TRUNCATED_AT_END = List.of(
            Sample.of("2-byte start c2", "c2"),
            Sample.of("3-byte sequence e0 a0", "e0 a0"),
            Sample.of("4-byte sequence f0 90 80", "f0 90 80"),
            Sample.of("3-byte start ed", "ed"));

    private Utf8Cases() {
    }

    static List<ConformanceCase> all() {
        var list = new CaseList(Family.UTF8);
        list.add("6.1.1", "empty text message: echoed", run -> echo(run, List.of(Frame.text(new byte[0])), new byte[0]));
        for (int k = 0; k < VALID.size(); k++) {
            Sample sample = VALID.get(k);
            String id = "6.2." + (k + 1);
            list.add(id + ".1", "valid " + sample.name() + " in one text frame: echoed",
                    run -> echo(run, List.of(Frame.text(sample.bytes())), sample.bytes()));
            list.add(id + ".2", "valid " + sample.name() + " fragmented one byte per frame (sequences split across frames): echoed",
                    run -> echo(run, Frame.fragments(Opcode.TEXT, 0, sample.bytes(), 1), sample.bytes()));
        }
        for (int k = 0; k < INVALID.size(); k++) {
            addInvalid(list, "6.3." + (k + 1), INVALID.get(k));
        }
        for (int k = 0; k < TRUNCATED_AT_END.size(); k++) {
            Sample sample = TRUNCATED_AT_END.get(k);
            byte[] payload = Bytes.concat(PREFIX, sample.bytes());
            String id = "6.4." + (k + 1);
            list.add(id + ".1", "\"κόσμε\" + " + sample.name() + " ending the message, in one frame: close 1007",
                    run -> fails(run, List.of(Frame.text(payload))));
            list.add(id + ".2", "\"κόσμε\" + " + sample.name() + " ending the message, one byte per fragment: close 1007",
                    run -> fails(run, Frame.fragments(Opcode.TEXT, 0, payload, 1)));
        }
        return list.toList();
    }

    private static void addInvalid(CaseList list, String id, Sample sample) {
        byte[] payload = Bytes.concat(PREFIX, sample.bytes(), SUFFIX);
        int invalidAt = Utf8.firstInvalid(payload);
        String what = "\"κόσμε\" + " + sample.name() + " + \"edited\"";
        list.add(id + ".1", what + " in one text frame: close 1007", run -> fails(run, List.of(Frame.text(payload))));
        list.add(id + ".2", what + ", one byte per fragment (split across frames): close 1007",
                run -> fails(run, Frame.fragments(Opcode.TEXT, 0, payload, 1)));
        list.add(id + ".3", what + ", one frame written as valid prefix | first invalid byte | rest: close 1007 "
                + "before the rest is sent (fail-fast)", run -> {
            byte[] wire = FrameEncoder.masked(Frame.text(payload));
            int split = wire.length - payload.length + invalidAt;
            try (var session = run.open()) {
                return run.failsFast(session, Arrays.copyOf(wire, split), Arrays.copyOfRange(wire, split, split + 1),
                        Arrays.copyOfRange(wire, split + 1, wire.length), RULE);
            }
        });
        list.add(id + ".4", what + ", fragments valid prefix | first invalid byte | rest: close 1007 before the "
                + "last fragment is sent (fail-fast)", run -> {
            try (var session = run.open()) {
                return run.failsFast(session,
                        FrameEncoder.masked(new Frame(false, 0, Opcode.TEXT, Arrays.copyOf(payload, invalidAt))),
                        FrameEncoder.masked(Frame.continuation(Arrays.copyOfRange(payload, invalidAt, invalidAt + 1), false)),
                        FrameEncoder.masked(Frame.continuation(Arrays.copyOfRange(payload, invalidAt + 1, payload.length), true)),
                        RULE);
            }
        });
    }

    private static Verdict echo(CaseRun run, List<Frame> frames, byte[] payload) throws Exception {
        try (var session = run.open()) {
            session.send(frames);
            return run.echoes(session, Received.Message.text(payload));
        }
    }

    private static Verdict fails(CaseRun run, List<Frame> frames) throws Exception {
        try (var session = run.open()) {
            session.send(frames);
            return run.fails(session, RULE);
        }
    }

    private static byte[] range(int from, int to) {
        var bytes = new byte[to - from + 1];
        for (int b = from; b <= to; b++) {
            bytes[b - from] = (byte) b;
        }
        return bytes;
    }
}
