package io.echowall.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One raw TCP connection to the server under test, speaking WebSocket as a client: the only class that does I/O
 * on it. Every read waits at most the duration it is given; writes never throw, because the server is entitled
 * to hang up on a bad frame mid-write, and what happened is then judged from what is read back.
 */
final class Session implements AutoCloseable {

    /** What came back for a handshake request: a response head, or the reason none did. */
    record Answer(HttpResponse response, Received instead) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final long maxMessage;
    private final Duration timeout;
    private final byte[] readBuffer = new byte[64 * 1024];
    private final HttpResponseParser responseParser = new HttpResponseParser();
    private FrameParser parser;
    private MessageAssembler assembler;
    private DeflateAgreement deflate;
    private Compressor compressor;
    private Decompressor decompressor;
    private Received.Closed closed;
    private boolean closeSent;
    private CompletableFuture<Boolean> pendingWrite = CompletableFuture.completedFuture(true);
    private volatile String writeFailure;

    private Session(Socket socket, Duration timeout, long maxMessage) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.timeout = timeout;
        this.maxMessage = maxMessage;
    }

    /**
     * Opens the TCP connection only; the handshake is a separate step so cases can send broken ones.
     *
     * @param timeout    bounds the connect, and how long a write waits for a background write still in progress
     * @param maxMessage the largest frame or message accepted from the server
     */
    static Session connect(URI uri, Duration timeout, long maxMessage) throws IOException {
        var socket = new Socket();
        try {
            socket.setTcpNoDelay(true); // chops must leave as written, not coalesced by Nagle's algorithm
            socket.connect(new InetSocketAddress(uri.getHost(), Target.port(uri)), (int) timeout.toMillis());
            return new Session(socket, timeout, maxMessage);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends the request and waits up to {@code timeout} for the response head. */
    Answer handshake(HandshakeRequest request, Duration timeout) throws ServerViolation {
        write(request.toBytes());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return new Answer(null, new Received.Silence(timeout));
            }
            int read = read(remaining);
            if (read == 0) {
                return new Answer(null, closed != null ? closed : new Received.Silence(timeout));
            }
            HttpResponse response = responseParser.feed(readBuffer, 0, read);
            if (response != null) {
                return new Answer(response, null);
            }
        }
    }

    /**
     * Validates a 101 answer and switches to frames: from here on {@link #receive} yields WebSocket events.
     *
     * @throws ServerViolation when the 101 answer breaks RFC 6455 section 4.1 or RFC 7692 section 5
     */
    void open(HandshakeRequest request, HttpResponse response) throws ServerViolation {
        deflate = Handshake.validate(response, request);
        if (deflate != null) {
            compressor = new Compressor(deflate.clientMaxWindowBits(), deflate.clientNoContextTakeover());
            decompressor = new Decompressor(deflate.serverNoContextTakeover());
        }
        parser = new FrameParser(maxMessage);
        assembler = new MessageAssembler(decompressor, maxMessage);
        parser.feed(response.leftover(), 0, response.leftover().length);
    }

    /** The agreed permessage-deflate parameters, or null when the extension is not in use. */
    DeflateAgreement deflate() {
        return deflate;
    }

    /**
     * The next event from the server, waiting at most {@code timeout}. Pings are answered (RFC 6455 section
     * 5.5.2) and not returned. Once the TCP connection has ended, every call returns the same {@link Received.Closed}.
     *
     * @throws ServerViolation when the server breaks a framing rule
     */
    Received receive(Duration timeout) throws ServerViolation {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Frame frame;
            while ((frame = parser.next()) != null) {
                Received event = assembler.accept(frame);
                if (event instanceof Received.Ping ping) {
                    if (!closeSent) {
                        send(Frame.pong(ping.payload()));
                    }
                } else if (event != null) {
                    return event;
                }
            }
            if (closed != null) {
                return closed;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return new Received.Silence(timeout);
            }
            int read = read(remaining);
            if (read > 0) {
                parser.feed(readBuffer, 0, read);
            }
        }
    }

    /** Reads once, waiting at most {@code nanos}; 0 means nothing arrived or the connection ended ({@link #closed}). */
    private int read(long nanos) {
        if (closed != null) {
            return 0;
        }
        try {
            socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, nanos / 1_000_000)));
            int read = in.read(readBuffer);
            if (read < 0) {
                closed = new Received.Closed("EOF");
                return 0;
            }
            return read;
        } catch (SocketTimeoutException e) {
            return 0;
        } catch (IOException e) {
            closed = new Received.Closed(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            return 0;
        }
    }

    /** Sends frames masked with fresh keys, in one write. False when the write failed (the server hung up). */
    boolean send(Frame... frames) {
        return send(List.of(frames));
    }

    boolean send(List<Frame> frames) {
        var wire = new ByteArrayOutputStream();
        for (Frame frame : frames) {
            wire.writeBytes(FrameEncoder.masked(frame));
            closeSent |= frame.opcode() == Opcode.CLOSE;
        }
        return write(wire.toByteArray());
    }

    /** True once a Close frame went out through {@link #send}. */
    boolean closeSent() {
        return closeSent;
    }

    /** Writes raw bytes in one go, after any background write has finished. */
    boolean write(byte[] bytes) {
        if (!backgroundWriteDone()) {
            return false;
        }
        try {
            out.write(bytes);
            out.flush();
            return true;
        } catch (IOException e) {
            writeFailure = e.getMessage();
            return false;
        }
    }

    /** Writes raw bytes {@code chop} at a time, each piece its own write (and, with TCP_NODELAY, its own segment). */
    boolean writeChopped(byte[] bytes, int chop) {
        for (int offset = 0; offset < bytes.length; offset += chop) {
            if (!write(Arrays.copyOfRange(bytes, offset, Math.min(bytes.length, offset + chop)))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Starts writing on a virtual thread so the case can read the echo or the close meanwhile; a large message
     * can fill both directions' buffers, and a server may close while it is still being written.
     */
    void writeInBackground(byte[] bytes) {
        if (!backgroundWriteDone()) {
            return;
        }
        pendingWrite = new CompletableFuture<>();
        var done = pendingWrite;
        Thread.ofVirtual().name("conformance-writer").start(() -> {
            try {
                out.write(bytes);
                out.flush();
                done.complete(true);
            } catch (IOException e) {
                writeFailure = e.getMessage();
                done.complete(false);
            }
        });
    }

    /** Waits for a background write; one stuck for the whole timeout (a server that stopped reading) counts as failed. */
    private boolean backgroundWriteDone() {
        try {
            pendingWrite.get(timeout.toMillis(), TimeUnit.MILLISECONDS); // a failed one is over too; the next write tells
            return true;
        } catch (TimeoutException e) {
            writeFailure = "a background write was still blocked after " + timeout.toMillis() + " ms";
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return true; // never completed exceptionally: the writer reports through its boolean
        }
    }

    /** Why the last failed write failed, or null; a hint for reports. */
    String writeFailure() {
        return writeFailure;
    }

    /** A data frame carrying the message compressed with the agreed parameters (RSV1 set, RFC 7692 section 6). */
    Frame compressed(boolean text, byte[] message) {
        return new Frame(true, Frame.RSV1, text ? Opcode.TEXT : Opcode.BINARY, requireCompressor().compress(message));
    }

    /** The message compressed, then cut into frames of {@code size} bytes; only the first has RSV1 (RFC 7692 section 6). */
    List<Frame> compressedFragments(boolean text, byte[] message, int size) {
        return Frame.fragments(text ? Opcode.TEXT : Opcode.BINARY, Frame.RSV1, requireCompressor().compress(message), size);
    }

    /** The agreed compressor, for cases that build unusual compressed payloads. */
    Compressor requireCompressor() {
        if (compressor == null) {
            throw new IllegalStateException("permessage-deflate is not in use on this session");
        }
        return compressor;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket we are done with; nothing to report
        }
        if (compressor != null) {
            compressor.close();
            decompressor.close();
        }
    }
}
