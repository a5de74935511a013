package io.echowall.conformance;

import java.io.IOException;
import java.util.List;
import java.util.function.UnaryOperator;

/** Family 0: the opening handshake (RFC 6455 sections 4.1, 4.2, 4.4) and client masking (section 5.1). */
final class HandshakeCases {

    private static final String REFUSE = "RFC 6455 section 4.2.1: a non-conforming handshake gets an HTTP error such as 400";

    private HandshakeCases() {
    }

    static List<ConformanceCase> all() {
        var list = new CaseList(Family.HANDSHAKE);
        list.add("0.1.1", "conforming request: 101 with Upgrade, Connection and the right Sec-WebSocket-Accept, then an echo",
                run -> echoAfter(run, run.request()));
        list.add("0.1.2", "header names in lower case, \"upgrade: WebSocket\", \"connection: keep-alive, Upgrade\": accepted "
                + "(names and these values are case-insensitive, RFC 6455 section 4.2.1)", run -> {
            var standard = run.request();
            return echoAfter(run, new HandshakeRequest("GET", standard.target(), "HTTP/1.1", List.of(
                    new Header("host", standard.header("Host")),
                    new Header("upgrade", "WebSocket"),
                    new Header("connection", "keep-alive, Upgrade"),
                    new Header("sec-websocket-key", standard.header("Sec-WebSocket-Key")),
                    new Header("sec-websocket-version", "13"))));
        });
        list.add("0.1.3", "unknown extension offered (x-conformance-unknown): not accepted (RFC 6455 section 4.2.2)",
                run -> echoAfter(run, run.request().with("Sec-WebSocket-Extensions", "x-conformance-unknown")));
        list.add("0.1.4", "unknown subprotocol offered: none selected, or one of those offered (RFC 6455 section 4.2.2)",
                run -> echoAfter(run, run.request().with("Sec-WebSocket-Protocol", "x-conformance-unknown")));
        list.add("0.1.5", "two subprotocols offered: at most one of them selected (RFC 6455 section 4.2.2)",
                run -> echoAfter(run, run.request().with("Sec-WebSocket-Protocol", "x-conformance-a, x-conformance-b")));

        refusal(list, "0.2.1", "Sec-WebSocket-Key missing", r -> r.without("Sec-WebSocket-Key"));
        refusal(list, "0.2.2", "Sec-WebSocket-Key not base64 (\"not base64!!\")", r -> r.with("Sec-WebSocket-Key", "not base64!!"));
        refusal(list, "0.2.3", "Sec-WebSocket-Key base64 of 15 bytes", r -> r.with("Sec-WebSocket-Key", "AAECAwQFBgcICQoLDA0O"));
        refusal(list, "0.2.4", "Sec-WebSocket-Key base64 of 17 bytes", r -> r.with("Sec-WebSocket-Key", "AAECAwQFBgcICQoLDA0ODxA="));
        refusal(list, "0.2.5", "Sec-WebSocket-Key empty", r -> r.with("Sec-WebSocket-Key", ""));
        refusal(list, "0.2.6", "two Sec-WebSocket-Key headers", r -> r.adding("Sec-WebSocket-Key", "AAECAwQFBgcICQoLDA0ODw=="));

        refusal(list, "0.3.1", "Sec-WebSocket-Version missing", r -> r.without("Sec-WebSocket-Version"));
        // Unassigned in the IANA WebSocket version registry; 0-8 are drafts a server may still support (section 4.4).
        String[] versions = {"9", "12", "14", "abc"};
        for (int i = 0; i < versions.length; i++) {
            String version = versions[i];
            list.add("0.3." + (i + 2), "Sec-WebSocket-Version: " + version + ": 426 with \"Sec-WebSocket-Version: 13\" "
                    + "(RFC 6455 section 4.4)", run -> versionRefused(exchange(run, run.request().with("Sec-WebSocket-Version", version))));
        }

        String[] methods = {"POST", "PUT", "HEAD"};
        for (int i = 0; i < methods.length; i++) {
            String method = methods[i];
            refusal(list, "0.4." + (i + 1), method + " instead of GET", r -> r.withMethod(method));
        }
        list.add("0.4.4", "HTTP/1.0 request: refused with 4xx or 505 (RFC 6455 section 4.2.1 needs HTTP/1.1 or higher)", run -> {
            var answer = exchange(run, run.request().withVersion("HTTP/1.0"));
            if (answer.response() != null && answer.response().status() == 505) {
                return Verdict.pass();
            }
            return refused(answer, REFUSE, false);
        });

        plainRefusal(list, "0.5.1", "Upgrade header missing", r -> r.without("Upgrade"));
        plainRefusal(list, "0.5.2", "\"Upgrade: h2c\" instead of websocket", r -> r.with("Upgrade", "h2c"));
        plainRefusal(list, "0.5.3", "Connection header missing", r -> r.without("Connection"));
        plainRefusal(list, "0.5.4", "\"Connection: keep-alive\" without the Upgrade token", r -> r.with("Connection", "keep-alive"));

        hostRefusal(list, "0.6.1", "Host header missing", r -> r.without("Host"));
        hostRefusal(list, "0.6.2", "two Host headers", r -> r.adding("Host", "example.invalid"));

        unmasked(list, "0.7.1", "text", Frame.text("Hello"));
        unmasked(list, "0.7.2", "binary", Frame.binary(new byte[] {1, 2, 3}));
        unmasked(list, "0.7.3", "ping", Frame.ping(Bytes.utf8("ping")));
        unmasked(list, "0.7.4", "close", Frame.close(CloseCodes.NORMAL, ""));
        list.add("0.7.5", "text frame masked with the all-zero key: still masked, so echoed (RFC 6455 section 5.3)", run -> {
            try (var session = run.open()) {
                session.write(FrameEncoder.encode(Frame.text("zero key"), new byte[4]));
                return run.echoes(session, Received.Message.text("zero key"));
            }
        });
        return list.toList();
    }

    private static Verdict echoAfter(CaseRun run, HandshakeRequest request) throws IOException, ServerViolation {
        try (var session = run.open(request)) {
            session.send(Frame.text("Hello"));
            return run.echoes(session, Received.Message.text("Hello"));
        }
    }

    private static Session.Answer exchange(CaseRun run, HandshakeRequest request) throws IOException, ServerViolation {
        return run.connect().handshake(request, run.timeout());
    }

    private static void refusal(CaseList list, String id, String what, UnaryOperator<HandshakeRequest> change) {
        list.add(id, what + ": refused with 4xx (RFC 6455 section 4.2.1)",
                run -> refused(exchange(run, change.apply(run.request())), REFUSE, false));
    }

    private static void plainRefusal(CaseList list, String id, String what, UnaryOperator<HandshakeRequest> change) {
        list.add(id, what + ": refused with 4xx (RFC 6455 section 4.2.1); a plain HTTP answer is NON-STRICT",
                run -> refused(exchange(run, change.apply(run.request())), REFUSE, true));
    }

    private static void hostRefusal(CaseList list, String id, String what, UnaryOperator<HandshakeRequest> change) {
        list.add(id, what + ": 400 (RFC 7230 section 5.4; RFC 6455 section 4.2.1 item 2)", run -> {
            var answer = exchange(run, change.apply(run.request()));
            Verdict verdict = refused(answer, "RFC 7230 section 5.4: a request without exactly one Host gets 400", false);
            if (verdict.outcome() == Outcome.PASS && answer.response().status() != 400) {
                return Verdict.nonStrict("refused with " + answer.response().statusLine() + "; RFC 7230 section 5.4 says 400");
            }
            return verdict;
        });
    }

    /** A 4xx passes; a 101 or no HTTP answer fails; another status fails, or is NON_STRICT for a plain HTTP answer. */
    private static Verdict refused(Session.Answer answer, String rule, boolean plainHttpAllowed) {
        if (answer.response() == null) {
            return Verdict.fail("expected an HTTP 4xx answer, got " + answer.instead().describe() + " (" + rule + ")");
        }
        int status = answer.response().status();
        if (status >= 400 && status < 500) {
            return Verdict.pass();
        }
        if (status == 101) {
            return Verdict.fail("accepted the upgrade with 101; expected a 4xx refusal (" + rule + ")");
        }
        if (plainHttpAllowed && status < 400) {
            return Verdict.nonStrict("answered " + answer.response().statusLine()
                    + " as for a plain HTTP request; a refusal (e.g. 400 or 426) tells the client why");
        }
        return Verdict.fail("answered " + answer.response().statusLine() + "; expected a 4xx refusal (" + rule + ")");
    }

    private static Verdict versionRefused(Session.Answer answer) {
        Verdict refusal = refused(answer, "RFC 6455 section 4.4", false);
        if (refusal.outcome() != Outcome.PASS) {
            return refusal;
        }
        HttpResponse response = answer.response();
        if (!response.values("Sec-WebSocket-Version").contains("13")) {
            return Verdict.fail("refused with " + response.statusLine() + " but without \"Sec-WebSocket-Version: 13\" "
                    + "(RFC 6455 section 4.4: the answer names the versions the server understands)");
        }
        if (response.status() != 426) {
            return Verdict.nonStrict("refused with " + response.statusLine() + "; RFC 6455 section 4.4 names 426 Upgrade Required");
        }
        return Verdict.pass();
    }

    private static void unmasked(CaseList list, String id, String kind, Frame frame) {
        list.add(id, "unmasked " + kind + " frame from the client: close 1002 (RFC 6455 section 5.1)", run -> {
            try (var session = run.open()) {
                session.write(FrameEncoder.encode(frame, null));
                return run.fails(session, CloseRule.protocolError("RFC 6455 section 5.1: a server MUST close on an unmasked frame"));
            }
        });
    }
}
