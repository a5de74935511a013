package io.echowall.conformance;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.DataFormatException;

/**
 * A minimal WebSocket echo server on 127.0.0.1, written by hand so that each rule it enforces can be switched
 * off: the suite's cases are proved able to fail by running them against it with a {@link Flaw}.
 *
 * <p>Well-behaved (no flaws), it is strict everywhere the suite is: it validates UTF-8 byte by byte as payload
 * arrives, checks every frame rule, limits messages, negotiates permessage-deflate, and ends TCP after closing.
 */
final class FixtureServer implements AutoCloseable {

    /** One way to break RFC 6455 or RFC 7692. */
    enum Flaw {
        /** Upgrades any request that has a key, whatever its method, version or headers. */
        LENIENT_HANDSHAKE,
        /** Answers a wrong Sec-WebSocket-Version with 400 and no Sec-WebSocket-Version header. */
        VERSION_WITHOUT_426,
        /** Accepts unmasked client frames. */
        ACCEPT_UNMASKED,
        /** Ignores RSV bits. */
        ACCEPT_RESERVED_BITS,
        /** Skips frames with reserved opcodes. */
        IGNORE_RESERVED_OPCODES,
        /** Accepts control frames over 125 bytes and fragmented ones. */
        LENIENT_CONTROL_FRAMES,
        /** Treats an orphan continuation as a message start, and a new data frame as a restart. */
        LENIENT_FRAGMENTATION,
        /** Echoes text without validating UTF-8. */
        SKIP_UTF8_VALIDATION,
        /** Validates UTF-8 once each frame is complete (fail-fast across fragments, not within a frame). */
        UTF8_AT_FRAME_END,
        /** Validates UTF-8 once the whole message is complete. */
        UTF8_AT_MESSAGE_END,
        /** Echoes any close code, even ones that may not be sent. */
        ACCEPT_ANY_CLOSE_CODE,
        /** Closes TCP without answering a Close frame. */
        NO_CLOSE_ECHO,
        /** Answers Close with 1000 whatever code it got. */
        CLOSE_ECHO_ALWAYS_1000,
        /** Leaves TCP open after the closing handshake, until the client closes it. */
        KEEP_TCP_OPEN,
        /** On a protocol error, drops TCP without a Close frame. */
        DROP_ON_ERROR,
        /** On a protocol error, closes with 1011 instead of the precise code. */
        WRONG_ERROR_CODE,
        /** Never answers pings. */
        NO_PONG,
        /** Echoes messages of any size. */
        NO_SIZE_LIMIT,
        /** Accepts the first permessage-deflate offer, echoing its parameters, valid or not. */
        ACCEPT_BAD_DEFLATE_OFFERS,
        /** Agrees to server_no_context_takeover but keeps its compression context anyway. */
        IGNORE_SERVER_NO_CONTEXT_TAKEOVER,
        /** Stops accepting connections after its first protocol error. */
        DIE_AFTER_PROTOCOL_ERROR
    }

    /**
     * @param flaws          the rules to break
     * @param maxMessageSize the message size limit (after decompression)
     * @param deflate        whether permessage-deflate is offered
     */
    record Config(Set<Flaw> flaws, long maxMessageSize, boolean deflate) {
        static Config strict() {
            return new Config(EnumSet.noneOf(Flaw.class), 1 << 20, true);
        }

        Config with(Flaw... more) {
            var all = EnumSet.noneOf(Flaw.class);
            all.addAll(flaws);
            all.addAll(List.of(more));
            return new Config(all, maxMessageSize, deflate);
        }

        Config withoutDeflate() {
            return new Config(flaws, maxMessageSize, false);
        }

        boolean has(Flaw flaw) {
            return flaws.contains(flaw);
        }
    }

    private static final int IDLE_MILLIS = 10_000;

    private final Config config;
    private final ServerSocket listener;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    private FixtureServer(Config config) throws IOException {
        this.config = config;
        this.listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        this.acceptor = Thread.ofPlatform().daemon().name("fixture-acceptor").start(this::acceptLoop);
    }

    static FixtureServer start(Config config) throws IOException {
        return new FixtureServer(config);
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/echo/");
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                connections.add(socket);
                Thread.ofVirtual().name("fixture-connection").start(() -> {
                    try (socket) {
                        new Connection(socket).serve();
                    } catch (IOException | RuntimeException ended) {
                        // a client going away mid-frame is normal in a fuzzing suite
                    } finally {
                        connections.remove(socket);
                    }
                });
            } catch (IOException closed) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : connections) {
            socket.close();
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends the connection: the loop stops reading after this. */
    private static final class Closing extends Exception {
        Closing() {
            super(null, null, false, false);
        }
    }

    private void awaitAcceptorExit() throws IOException {
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the fixture stopped accepting", e);
        }
    }

    private final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final byte[] chunk = new byte[16 * 1024];
        private Compressor compressor;
        private Decompressor decompressor;
        private final ByteArrayOutputStream message = new ByteArrayOutputStream();
        private boolean inMessage;
        private boolean text;
        private boolean compressed;
        private Utf8 validator;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(IDLE_MILLIS);
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        void serve() throws IOException {
            if (!handshake()) {
                return;
            }
            try {
                while (true) {
                    frame();
                }
            } catch (Closing | EOFException done) {
                // connection over
            } finally {
                if (compressor != null) {
                    compressor.close();
                    decompressor.close();
                }
            }
        }

        // ---- opening handshake ----

        private boolean handshake() throws IOException {
            String head = readHead();
            if (head == null) {
                return false;
            }
            String[] lines = head.split("\r\n");
            String[] requestLine = lines[0].split(" ");
            var headers = new ArrayList<String[]>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.add(new String[] {lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim()});
                }
            }
            List<String> keys = values(headers, "sec-websocket-key");
            if (!config.has(Flaw.LENIENT_HANDSHAKE)) {
                String refusal = refusal(requestLine, headers, keys);
                if (refusal != null) {
                    out.write(refusal.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    return false;
                }
            }
            String key = keys.isEmpty() ? "" : keys.get(0);
            var response = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
                    .append("Sec-WebSocket-Accept: ").append(Handshake.acceptFor(key)).append("\r\n");
            String extension = negotiate(String.join(", ", values(headers, "sec-websocket-extensions")));
            if (extension != null) {
                response.append("Sec-WebSocket-Extensions: ").append(extension).append("\r\n");
            }
            out.write(response.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return true;
        }

        private String readHead() throws IOException {
            var head = new ByteArrayOutputStream();
            while (head.size() < 16 * 1024) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                head.write(b);
                if (head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    return head.toString(StandardCharsets.ISO_8859_1).strip();
                }
            }
            return null;
        }

        private static List<String> values(List<String[]> headers, String name) {
            return headers.stream().filter(h -> h[0].equals(name)).map(h -> h[1]).toList();
        }

        private static boolean hasToken(List<String[]> headers, String name, String token) {
            return values(headers, name).stream().flatMap(v -> Arrays.stream(v.split(",")))
                    .anyMatch(v -> v.trim().equalsIgnoreCase(token));
        }

        /** The refusal for a handshake RFC 6455 section 4.2.1 does not allow, or null to accept it. */
        private String refusal(String[] requestLine, List<String[]> headers, List<String> keys) {
            if (requestLine.length != 3) {
                return status(400, "Bad Request");
            }
            if (!requestLine[0].equals("GET")) {
                return status(405, "Method Not Allowed");
            }
            if (!requestLine[2].equals("HTTP/1.1")) {
                return status(400, "Bad Request");
            }
            if (values(headers, "host").size() != 1) {
                return status(400, "Bad Request");
            }
            if (!hasToken(headers, "upgrade", "websocket") || !hasToken(headers, "connection", "upgrade")) {
                return status(400, "Bad Request");
            }
            List<String> versions = values(headers, "sec-websocket-version");
            if (versions.size() != 1 || !versions.get(0).equals("13")) {
                return config.has(Flaw.VERSION_WITHOUT_426) ? status(400, "Bad Request")
                        : "HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n";
            }
            if (keys.size() != 1 || decodedLength(keys.get(0)) != 16) {
                return status(400, "Bad Request");
            }
            return null;
        }

        private static int decodedLength(String key) {
            try {
                return Base64.getDecoder().decode(key).length;
            } catch (IllegalArgumentException e) {
                return -1;
            }
        }

        private static String status(int code, String reason) {
            return "HTTP/1.1 " + code + " " + reason + "\r\nContent-Length: 0\r\n\r\n";
        }

        /** Picks the first acceptable permessage-deflate offer (RFC 7692 section 5) and sets up the codecs. */
        private String negotiate(String header) {
            if (!config.deflate() || header.isEmpty()) {
                return null;
            }
            List<Extension> offers;
            try {
                offers = Extension.parseAll(header);
            } catch (IllegalArgumentException malformed) {
                return null;
            }
            for (Extension element : offers) {
                if (!element.name().equals(DeflateOffer.NAME)) {
                    continue;
                }
                if (config.has(Flaw.ACCEPT_BAD_DEFLATE_OFFERS)) {
                    compressor = new Compressor(15, false);
                    decompressor = new Decompressor(false);
                    return element.toHeader();
                }
                DeflateOffer offer;
                try {
                    offer = DeflateOffer.parse(element);
                } catch (IllegalArgumentException invalid) {
                    continue; // declined (RFC 7692 section 5.1); a later offer may do
                }
                var answer = new StringBuilder(DeflateOffer.NAME);
                if (offer.serverNoContextTakeover()) {
                    answer.append("; server_no_context_takeover");
                }
                if (offer.clientNoContextTakeover()) {
                    answer.append("; client_no_context_takeover");
                }
                if (offer.serverMaxWindowBits() != null) {
                    answer.append("; server_max_window_bits=").append(offer.serverMaxWindowBits());
                }
                if (offer.clientMaxWindowBits() != null) {
                    answer.append("; client_max_window_bits=").append(offer.clientMaxWindowBits());
                }
                boolean resetEachMessage = offer.serverNoContextTakeover() && !config.has(Flaw.IGNORE_SERVER_NO_CONTEXT_TAKEOVER);
                compressor = new Compressor(offer.serverMaxWindowBits() == null ? 15 : offer.serverMaxWindowBits(), resetEachMessage);
                decompressor = new Decompressor(false);
                return answer.toString();
            }
            return null;
        }

        // ---- frames ----

        private void frame() throws IOException, Closing {
            int b0 = readByte();
            int b1 = readByte();
            boolean fin = (b0 & 0x80) != 0;
            int rsv = b0 >> 4 & 7;
            int opcode = b0 & 0xF;
            boolean masked = (b1 & 0x80) != 0;
            long length = b1 & 0x7F;
            if (length == 126) {
                length = readByte() << 8 | readByte();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = length << 8 | readByte();
                }
                if (length < 0) {
                    fail(CloseCodes.PROTOCOL_ERROR);
                }
            }
            if (!masked && !config.has(Flaw.ACCEPT_UNMASKED)) {
                fail(CloseCodes.PROTOCOL_ERROR); // RFC 6455 section 5.1
            }
            byte[] key = masked ? readExactly(4) : null;
            boolean control = Opcode.isControl(opcode);
            if (Opcode.isReserved(opcode)) {
                if (!config.has(Flaw.IGNORE_RESERVED_OPCODES)) {
                    fail(CloseCodes.PROTOCOL_ERROR);
                }
                readPayload(length, key, false);
                return;
            }
            boolean compressedStart = rsv == Frame.RSV1 && compressor != null && !control && opcode != Opcode.CONTINUATION;
            if (rsv != 0 && !compressedStart && !config.has(Flaw.ACCEPT_RESERVED_BITS)) {
                fail(CloseCodes.PROTOCOL_ERROR);
            }
            if (control) {
                if ((!fin || length > 125) && !config.has(Flaw.LENIENT_CONTROL_FRAMES)) {
                    fail(CloseCodes.PROTOCOL_ERROR);
                }
                control(opcode, readPayload(length, key, false));
                return;
            }
            if (opcode == Opcode.CONTINUATION && !inMessage || opcode != Opcode.CONTINUATION && inMessage) {
                if (!config.has(Flaw.LENIENT_FRAGMENTATION)) {
                    fail(CloseCodes.PROTOCOL_ERROR);
                }
                inMessage = false;
                opcode = opcode == Opcode.CONTINUATION ? Opcode.TEXT : opcode;
            }
            if (!inMessage) {
                inMessage = true;
                text = opcode == Opcode.TEXT;
                compressed = compressedStart;
                message.reset();
                validator = new Utf8();
            }
            // Compressed bytes are limited loosely here; the inflated size is what counts (checked below).
            long wireLimit = compressed ? 2 * config.maxMessageSize() + 1024 : config.maxMessageSize();
            if (message.size() + length > wireLimit && !config.has(Flaw.NO_SIZE_LIMIT)) {
                fail(CloseCodes.MESSAGE_TOO_BIG);
            }
            byte[] payload = readPayload(length, key, text && !compressed && utf8Streaming());
            message.writeBytes(payload);
            if (text && !compressed && config.has(Flaw.UTF8_AT_FRAME_END) && validator.feed(payload, 0, payload.length) != Utf8.VALID) {
                fail(CloseCodes.INVALID_PAYLOAD);
            }
            if (fin) {
                inMessage = false;
                complete();
            }
        }

        private boolean utf8Streaming() {
            return !config.has(Flaw.SKIP_UTF8_VALIDATION) && !config.has(Flaw.UTF8_AT_FRAME_END) && !config.has(Flaw.UTF8_AT_MESSAGE_END);
        }

        /** Reads and unmasks a payload; with {@code validate}, checks UTF-8 chunk by chunk as it arrives (fail-fast). */
        private byte[] readPayload(long length, byte[] key, boolean validate) throws IOException, Closing {
            var payload = new ByteArrayOutputStream((int) Math.min(length, 1 << 20));
            long done = 0;
            while (done < length) {
                int read = in.read(chunk, 0, (int) Math.min(chunk.length, length - done));
                if (read < 0) {
                    throw new EOFException();
                }
                if (key != null) {
                    FrameEncoder.mask(chunk, 0, read, key, done);
                }
                if (validate && validator.feed(chunk, 0, read) != Utf8.VALID) {
                    fail(CloseCodes.INVALID_PAYLOAD);
                }
                payload.write(chunk, 0, read);
                done += read;
            }
            return payload.toByteArray();
        }

        private void complete() throws IOException, Closing {
            byte[] payload = message.toByteArray();
            if (compressed) {
                try {
                    payload = decompressor.decompress(payload, config.has(Flaw.NO_SIZE_LIMIT) ? Long.MAX_VALUE : config.maxMessageSize());
                } catch (Decompressor.TooLarge e) {
                    fail(CloseCodes.MESSAGE_TOO_BIG);
                } catch (DataFormatException e) {
                    fail(CloseCodes.PROTOCOL_ERROR);
                }
            }
            if (text && !config.has(Flaw.SKIP_UTF8_VALIDATION)) {
                boolean valid = compressed || config.has(Flaw.UTF8_AT_MESSAGE_END) ? Utf8.isValid(payload) : validator.atBoundary();
                if (!valid) {
                    fail(CloseCodes.INVALID_PAYLOAD);
                }
            }
            int opcode = text ? Opcode.TEXT : Opcode.BINARY;
            send(compressor == null ? new Frame(true, 0, opcode, payload)
                    : new Frame(true, Frame.RSV1, opcode, compressor.compress(payload)));
        }

        private void control(int opcode, byte[] payload) throws IOException, Closing {
            switch (opcode) {
                case Opcode.PING -> {
                    if (!config.has(Flaw.NO_PONG)) {
                        send(Frame.pong(payload));
                    }
                }
                case Opcode.PONG -> {
                    // unsolicited pongs need no answer (RFC 6455 section 5.5.3)
                }
                default -> close(payload);
            }
        }

        private void close(byte[] payload) throws IOException, Closing {
            if (payload.length == 1) {
                fail(CloseCodes.PROTOCOL_ERROR);
            }
            int code = payload.length == 0 ? CloseCodes.NONE : (payload[0] & 0xFF) << 8 | payload[1] & 0xFF;
            if (payload.length >= 2 && !config.has(Flaw.ACCEPT_ANY_CLOSE_CODE)) {
                if (!CloseCodes.maySend(code)) {
                    fail(CloseCodes.PROTOCOL_ERROR);
                }
                if (!Utf8.isValid(Arrays.copyOfRange(payload, 2, payload.length))) {
                    fail(CloseCodes.INVALID_PAYLOAD);
                }
            }
            if (config.has(Flaw.NO_CLOSE_ECHO)) {
                socket.close();
                throw new Closing();
            }
            int reply = config.has(Flaw.CLOSE_ECHO_ALWAYS_1000) ? CloseCodes.NORMAL : code;
            send(reply == CloseCodes.NONE ? Frame.closeWithoutCode() : new Frame(true, 0, Opcode.CLOSE,
                    ByteBuffer.allocate(2).putShort((short) reply).array()));
            endTcp();
        }

        /** Fails the connection with {@code code} (RFC 6455 section 7.1.7). */
        private void fail(int code) throws IOException, Closing {
            if (config.has(Flaw.DIE_AFTER_PROTOCOL_ERROR)) {
                listener.close();
                awaitAcceptorExit(); // the listening socket is only gone for sure once accept() has returned
            }
            if (config.has(Flaw.DROP_ON_ERROR)) {
                socket.close();
                throw new Closing();
            }
            int sent = config.has(Flaw.WRONG_ERROR_CODE) ? 1011 : code;
            send(Frame.close(sent, ""));
            endTcp();
        }

        /** Ends TCP after the closing handshake, first if well-behaved (RFC 6455 section 7.1.1). */
        private void endTcp() throws IOException, Closing {
            if (!config.has(Flaw.KEEP_TCP_OPEN)) {
                socket.shutdownOutput();
            }
            try { // read and discard until the client closes, so closing never resets unread data
                while (in.read(chunk) >= 0) {
                    // discard
                }
            } catch (SocketException | SocketTimeoutException gone) {
                // the client is gone or silent; close anyway
            }
            socket.close();
            throw new Closing();
        }

        private void send(Frame frame) throws IOException {
            out.write(FrameEncoder.encode(frame, null));
            out.flush();
        }

        private int readByte() throws IOException {
            int b = in.read();
            if (b < 0) {
                throw new EOFException();
            }
            return b;
        }

        private byte[] readExactly(int count) throws IOException {
            byte[] bytes = in.readNBytes(count);
            if (bytes.length < count) {
                throw new EOFException();
            }
            return bytes;
        }
    }
}
