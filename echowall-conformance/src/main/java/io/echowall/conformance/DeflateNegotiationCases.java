package io.echowall.conformance;

import java.util.List;

/**
 * Family 13: permessage-deflate negotiation (RFC 7692 sections 5 and 7.1). Valid offers must be accepted with a
 * conforming answer (or declined, which is NON-STRICT where the RFC recommends support) and then work; invalid
 * offers must be declined. UNSUPPORTED when the server does not offer the extension at all.
 */
final class DeflateNegotiationCases {

    private DeflateNegotiationCases() {
    }

    static List<ConformanceCase> all() {
        var list = new CaseList(Family.DEFLATE_NEGOTIATION);
        accepted(list, "13.1.1", "permessage-deflate", "the plain offer");
        accepted(list, "13.1.2", "permessage-deflate; server_no_context_takeover",
                "accepted with server_no_context_takeover in the answer (RFC 7692 section 7.1.1.1)");
        accepted(list, "13.1.3", "permessage-deflate; client_no_context_takeover", "accepted (RFC 7692 section 7.1.1.2)");
        accepted(list, "13.1.4", "permessage-deflate; server_no_context_takeover; client_no_context_takeover",
                "accepted with server_no_context_takeover in the answer");
        int n = 5;
        for (int bits : new int[] {8, 9, 12, 15}) {
            accepted(list, "13.1." + n++, "permessage-deflate; server_max_window_bits=" + bits,
                    "accepted with server_max_window_bits no larger than " + bits + " (RFC 7692 section 7.1.2.1)");
        }
        accepted(list, "13.1.9", "permessage-deflate; client_max_window_bits",
                "accepted; a client_max_window_bits in the answer is honoured (RFC 7692 section 7.1.2.2)");
        n = 10;
        for (int bits : new int[] {8, 9, 12, 15}) {
            accepted(list, "13.1." + n++, "permessage-deflate; client_max_window_bits=" + bits,
                    "accepted; an answered client_max_window_bits is no larger than " + bits + " (RFC 7692 section 7.1.2.2)");
        }
        accepted(list, "13.1.14", "permessage-deflate; server_no_context_takeover; client_no_context_takeover; "
                + "server_max_window_bits=10; client_max_window_bits=10", "accepted with all four honoured");
        accepted(list, "13.1.15", "permessage-deflate; server_max_window_bits=\"10\"",
                "a quoted value is valid (RFC 6455 section 9.1): accepted with server_max_window_bits no larger than 10");
        accepted(list, "13.1.16", "permessage-deflate; server_max_window_bits=10, permessage-deflate",
                "two offers in preference order: one accepted (RFC 7692 section 5)");
        accepted(list, "13.1.17", "x-conformance-unknown, permessage-deflate",
                "an unknown extension before it: permessage-deflate accepted, the unknown one not");

        declined(list, "13.2.1", "permessage-deflate; x-conformance-unknown", "an unknown parameter");
        declined(list, "13.2.2", "permessage-deflate; x-conformance-unknown=1", "an unknown parameter with a value");
        declined(list, "13.2.3", "permessage-deflate; server_max_window_bits=7", "server_max_window_bits below 8");
        declined(list, "13.2.4", "permessage-deflate; server_max_window_bits=16", "server_max_window_bits above 15");
        declined(list, "13.2.5", "permessage-deflate; server_max_window_bits=0", "server_max_window_bits=0");
        declined(list, "13.2.6", "permessage-deflate; server_max_window_bits", "server_max_window_bits without its required value");
        declined(list, "13.2.7", "permessage-deflate; server_max_window_bits=010", "a window size with a leading zero");
        declined(list, "13.2.8", "permessage-deflate; server_max_window_bits=abc", "a window size that is not a number");
        declined(list, "13.2.9", "permessage-deflate; client_max_window_bits=7", "client_max_window_bits below 8");
        declined(list, "13.2.10", "permessage-deflate; client_max_window_bits=16", "client_max_window_bits above 15");
        declined(list, "13.2.11", "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
                "a duplicated parameter");
        declined(list, "13.2.12", "permessage-deflate; client_max_window_bits=10; client_max_window_bits=12",
                "a duplicated parameter with different values");
        declined(list, "13.2.13", "permessage-deflate; server_no_context_takeover=1", "a value on a parameter that takes none");
        declined(list, "13.2.14", "permessage-deflate; client_no_context_takeover=\"x\"", "a quoted value on a parameter that takes none");
        fallback(list, "13.2.15", "permessage-deflate; x-conformance-unknown, permessage-deflate",
                "an invalid offer, then a valid one: the valid one accepted");
        fallback(list, "13.2.16", "permessage-deflate; server_max_window_bits=16, permessage-deflate; server_max_window_bits=12",
                "an invalid window size, then a valid one: the valid one accepted");
        return list.toList();
    }

    private static List<Received> sample() {
        return List.of(Received.Message.text(Payloads.text(300)), Received.Message.binary(Payloads.binary(300, 13)),
                Received.Message.text(Payloads.text(300)), Received.Message.text(Payloads.text(20000)));
    }

    /** The answer is checked by the handshake validation; then compressed messages must round-trip. */
    private static void accepted(CaseList list, String id, String offer, String expectation) {
        list.add(id, "offer \"" + offer + "\": " + expectation + ", then compressed messages echoed", run -> {
            try (var session = run.openOffering(offer)) {
                if (session.deflate() == null) {
                    return Verdict.nonStrict("declined the valid offer \"" + offer + "\"; RFC 7692 allows declining "
                            + "parameters a server does not support, but recommends supporting them");
                }
                return DeflateMessageCases.echoesCompressed(run, session, sample(), 0);
            }
        });
    }

    /** A server MUST decline such an offer (RFC 7692 section 5.1); refusing the whole handshake is NON-STRICT. */
    private static void declined(CaseList list, String id, String offer, String what) {
        list.add(id, "offer \"" + offer + "\" (" + what + "): declined, the connection accepted without the extension "
                + "(RFC 7692 section 5.1)", run -> {
            try (var session = openDespiteOffer(run, offer)) { // accepting the offer already failed the case
                session.send(Frame.text("declined"));
                return run.echoes(session, Received.Message.text("declined"));
            }
        });
    }

    private static void fallback(CaseList list, String id, String offer, String what) {
        list.add(id, "offer \"" + offer + "\": " + what + " (RFC 7692 section 5.1), then compressed messages echoed", run -> {
            try (var session = openDespiteOffer(run, offer)) {
                if (session.deflate() == null) {
                    return Verdict.nonStrict("declined both offers; only the first had to be declined");
                }
                return DeflateMessageCases.echoesCompressed(run, session, sample(), 0);
            }
        });
    }

    /**
     * Opens a session with an offer that is (partly) invalid. Validating the 101 answer fails the case if it
     * accepts an invalid offer; refusing the whole handshake ends the case as NON-STRICT, since RFC 7692
     * section 5.1 asks the server to decline the offer and carry on without it.
     */
    private static Session openDespiteOffer(CaseRun run, String offer) throws Exception {
        run.requireDeflate();
        HandshakeRequest request = run.request().with("Sec-WebSocket-Extensions", offer);
        Session session = run.connect();
        Session.Answer answer = session.handshake(request, run.timeout());
        if (answer.response() == null) {
            throw Verdict.fail("no handshake response: " + answer.instead().describe()).raise();
        }
        int status = answer.response().status();
        if (status >= 400 && status < 500) {
            throw Verdict.nonStrict("refused the whole handshake with " + answer.response().statusLine()
                    + "; RFC 7692 section 5.1 asks to decline the offer and carry on").raise();
        }
        if (status != 101) {
            throw Verdict.fail("answered " + answer.response().statusLine() + "; expected 101").raise();
        }
        session.open(request, answer.response());
        return session;
    }
}
