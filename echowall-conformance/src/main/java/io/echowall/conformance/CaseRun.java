package io.echowall.conformance;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What a case body works with: the target, the options, sessions it opens, and the judging helpers that turn
 * what the server did into a verdict. Every helper waits at most {@link #timeout()} per event; a case is judged
 * on "the server sent X within T", never on how long it took.
 */
final class CaseRun {

    private static final long BYTES_PER_SECOND_FLOOR = 8L << 20; // slowest echo rate a healthy server will show

    private final URI target;
    private final Options options;
    private final BooleanSupplier offersDeflate;
    private final List<Session> sessions = new ArrayList<>();
    private volatile boolean abandoned;

    CaseRun(URI target, Options options, BooleanSupplier offersDeflate) {
        this.target = target;
        this.options = options;
        this.offersDeflate = offersDeflate;
    }

    Options options() {
        return options;
    }

    Duration timeout() {
        return options.caseTimeout();
    }

    /** The timeout stretched for a payload of {@code bytes}, so multi-MiB echoes on a busy machine are not misjudged. */
    Duration timeoutFor(long bytes) {
        return timeout().plusMillis(1000 * bytes / BYTES_PER_SECOND_FLOOR);
    }

    /** A conforming handshake request for the target, with a fresh key. */
    HandshakeRequest request() {
        return HandshakeRequest.standard(target);
    }

    /** A TCP connection with no handshake yet. */
    Session connect() throws IOException {
        if (abandoned) {
            throw new IOException("case abandoned");
        }
        var session = Session.connect(target, timeout(), largestAcceptedMessage());
        synchronized (sessions) {
            sessions.add(session);
        }
        return session;
    }

    /**
     * The largest frame or message the client accepts: twice anything a case sends, so an over-eager echo of an
     * oversized message is still observed and judged, yet a broken server cannot exhaust memory.
     */
    private long largestAcceptedMessage() {
        long largestSent = Math.max(options.messageSizes().stream().mapToLong(Integer::longValue).max().orElse(0),
                Math.min(options.maxMessageSize(), LimitCases.BOUNDARY_TEST_LIMIT));
        return Math.min(Integer.MAX_VALUE - 64, 2 * largestSent + 1024);
    }

    /** A session opened with a conforming handshake. */
    Session open() throws IOException, ServerViolation {
        return open(request());
    }

    /** A session opened with {@code request}, which the server must accept with 101; anything else fails the case. */
    Session open(HandshakeRequest request) throws IOException, ServerViolation {
        var session = connect();
        Session.Answer answer = session.handshake(request, timeout());
        if (answer.response() == null) {
            throw Verdict.fail("no handshake response: " + answer.instead().describe()).raise();
        }
        if (answer.response().status() != 101) {
            throw Verdict.fail("server refused the handshake with " + answer.response().statusLine()
                    + (request.header("Sec-WebSocket-Extensions") == null ? ""
                    : " (offer \"" + request.header("Sec-WebSocket-Extensions") + "\")")).raise();
        }
        session.open(request, answer.response());
        return session;
    }

    /**
     * A session opened with a permessage-deflate offer; the case is UNSUPPORTED when the server does not offer
     * permessage-deflate at all. The returned session may still have no agreement: the case judges that.
     */
    Session openOffering(String offer) throws IOException, ServerViolation {
        requireDeflate();
        return open(request().with("Sec-WebSocket-Extensions", offer));
    }

    /** A session with permessage-deflate agreed through {@code offer}; a decline makes the case UNSUPPORTED. */
    Session openCompressed(String offer) throws IOException, ServerViolation {
        var session = openOffering(offer);
        if (session.deflate() == null) {
            throw Verdict.unsupported("server declined the offer \"" + offer + "\"").raise();
        }
        return session;
    }

    /** Ends the case as UNSUPPORTED unless the server agrees to a plain permessage-deflate offer. */
    void requireDeflate() {
        if (!offersDeflate.getAsBoolean()) {
            throw Verdict.unsupported("server does not offer permessage-deflate").raise();
        }
    }

    /**
     * Requires exactly these messages and pongs next, in order within each kind (a pong may overtake an echo:
     * RFC 6455 section 5.5.2 only asks for it "as soon as is practical"); fails the case otherwise.
     */
    void require(Session session, Received... expected) throws ServerViolation {
        var messages = new ArrayDeque<Received.Message>();
        var pongs = new ArrayDeque<Received.Pong>();
        long largest = 0;
        for (Received item : expected) {
            if (item instanceof Received.Message message) {
                messages.add(message);
                largest = Math.max(largest, message.payload().length);
            } else {
                pongs.add((Received.Pong) item);
            }
        }
        Duration wait = timeoutFor(largest);
        while (!messages.isEmpty() || !pongs.isEmpty()) {
            Received next = session.receive(wait);
            Received wanted = !messages.isEmpty() ? messages.peek() : pongs.peek();
            if (next instanceof Received.Message message && !messages.isEmpty()) {
                if (!message.sameAs(messages.peek())) {
                    throw Verdict.fail("expected " + messages.peek().describe() + ", got " + message.describe()
                            + difference(messages.peek().payload(), message.payload())).raise();
                }
                messages.poll();
            } else if (next instanceof Received.Pong pong && !pongs.isEmpty()) {
                if (!pong.sameAs(pongs.peek())) {
                    throw Verdict.fail("expected " + pongs.peek().describe() + ", got " + pong.describe()).raise();
                }
                pongs.poll();
            } else {
                throw Verdict.fail("expected " + wanted.describe() + ", got " + next.describe() + writeHint(session)).raise();
            }
        }
    }

    private static String difference(byte[] expected, byte[] actual) {
        for (int i = 0; i < Math.min(expected.length, actual.length); i++) {
            if (expected[i] != actual[i]) {
                return " (first difference at byte " + i + ")";
            }
        }
        return "";
    }

    private static String writeHint(Session session) {
        return session.writeFailure() == null ? "" : " (a write had failed: " + session.writeFailure() + ")";
    }

    /** Requires these messages and pongs, then closes normally: a pass unless something else arrives. */
    Verdict echoes(Session session, Received... expected) throws ServerViolation {
        require(session, expected);
        finish(session);
        return Verdict.pass();
    }

    /**
     * Closes normally (1000) and waits for the server's Close, failing the case if a message or pong arrives
     * first: nothing should be left over once a case got what it expected.
     */
    void finish(Session session) throws ServerViolation {
        session.send(Frame.close(CloseCodes.NORMAL, ""));
        Received next = session.receive(timeout());
        if (next instanceof Received.Message || next instanceof Received.Pong) {
            throw Verdict.fail("server sent " + next.describe() + " that nothing asked for").raise();
        }
    }

    /** Requires the server to fail the connection as {@code rule} says; the next event decides. */
    Verdict fails(Session session, CloseRule rule) throws ServerViolation {
        return judgeFailure(session, session.receive(timeout()), rule);
    }

    /**
     * Judges {@code first} as the server's reaction to something that must fail the connection. The right code
     * passes only if the server also ends TCP after the closing handshake (RFC 6455 section 7.1.1: after sending and
     * receiving a Close frame an endpoint MUST close the TCP connection).
     */
    Verdict judgeFailure(Session session, Received first, CloseRule rule) throws ServerViolation {
        return switch (first) {
            case Received.Close close -> {
                boolean precise = rule.pass().contains(close.code());
                if (!precise && !rule.allowsLoosely(close.code())) {
                    yield Verdict.fail("expected " + rule.expected() + ", got " + close.describe());
                }
                Verdict tcp = closesTcp(session, close);
                if (tcp != null) {
                    yield tcp;
                }
                yield precise ? Verdict.pass() : Verdict.nonStrict("closed with " + close.code() + "; the precise answer is "
                        + rule.expected());
            }
            case Received.Closed closed -> Verdict.nonStrict("dropped the TCP connection without a Close frame ("
                    + closed.how() + "); expected " + rule.expected() + " (RFC 6455 section 7.1.7: SHOULD send a Close frame)");
            case Received.Silence silence -> Verdict.fail("expected " + rule.expected() + ", got " + silence.describe()
                    + writeHint(session));
            default -> Verdict.fail("expected " + rule.expected() + ", got " + first.describe());
        };
    }

    /** After the server's Close: answers it and requires the TCP connection to end; null when it did. */
    private Verdict closesTcp(Session session, Received.Close close) throws ServerViolation {
        if (!session.closeSent()) {
            // RFC 6455 section 5.5.1: answer the Close, typically echoing its status code.
            session.send(close.code() == CloseCodes.NONE ? Frame.closeWithoutCode() : Frame.close(close.code(), ""));
        }
        Received after = session.receive(timeout());
        if (after instanceof Received.Closed) {
            return null;
        }
        return Verdict.fail("sent " + close.describe() + " but did not close the TCP connection within "
                + timeout().toMillis() + " ms of the closing handshake (RFC 6455 section 7.1.1); got " + after.describe());
    }

    /**
     * Requires the server to answer the client's Close (already sent, with {@code sentCode} or
     * {@link CloseCodes#NONE}) with a Close, echoing the code, and then to end TCP.
     */
    Verdict closeEchoed(Session session, int sentCode) throws ServerViolation {
        Received next = session.receive(timeout());
        if (!(next instanceof Received.Close close)) {
            String rule = next instanceof Received.Closed ? " (RFC 6455 section 5.5.1: MUST send a Close frame in response)" : "";
            return Verdict.fail("expected the Close frame answered, got " + next.describe() + rule);
        }
        Verdict tcp = closesTcp(session, close);
        if (tcp != null) {
            return tcp;
        }
        if (close.code() == sentCode || sentCode == CloseCodes.NONE && close.code() == CloseCodes.NORMAL) {
            return Verdict.pass();
        }
        if (sentCode != CloseCodes.NONE && (close.code() == CloseCodes.PROTOCOL_ERROR || close.code() == CloseCodes.INVALID_PAYLOAD)) {
            return Verdict.fail("answered the valid Close " + sentCode + " with " + close.describe()
                    + " as if it were an error (RFC 6455 section 7.4)");
        }
        return Verdict.nonStrict("answered Close " + (sentCode == CloseCodes.NONE ? "without code" : sentCode) + " with "
                + close.describe() + "; RFC 6455 section 5.5.1: the reply typically echoes the status code");
    }

    /**
     * The fail-fast check: sends {@code prefix}, then (after a short settle) {@code invalid}, and waits up to the
     * fail-fast window for the close before sending {@code rest}. A close before {@code rest} passes; the right
     * close only after {@code rest} is NON_STRICT (the server waited for the frame or message to end); a close
     * after {@code prefix} alone fails (it rejected valid data).
     */
    Verdict failsFast(Session session, byte[] prefix, byte[] invalid, byte[] rest, CloseRule rule) throws ServerViolation {
        session.write(prefix);
        Received early = session.receive(options.failFastWindow().dividedBy(5));
        if (!(early instanceof Received.Silence)) {
            return Verdict.fail("before the invalid byte was sent, got " + early.describe()
                    + "; the data so far was a valid prefix");
        }
        session.write(invalid);
        Received atInvalid = session.receive(options.failFastWindow());
        if (!(atInvalid instanceof Received.Silence)) {
            return judgeFailure(session, atInvalid, rule);
        }
        session.write(rest);
        Verdict late = fails(session, rule);
        if (late.outcome() != Outcome.PASS) {
            return late;
        }
        return Verdict.nonStrict("closed only after the rest of the frame/message arrived, not within "
                + options.failFastWindow().toMillis() + " ms of the first invalid byte (fail-fast, RFC 6455 section 8.1)");
    }

    /** Marks the case as over its time budget and closes its sockets, which ends any wait in progress. */
    void abandon() {
        abandoned = true;
        closeAll();
    }

    boolean abandoned() {
        return abandoned;
    }

    void closeAll() {
        synchronized (sessions) {
            sessions.forEach(Session::close);
        }
    }
}
