package io.echowall.demo;

import io.echowall.EchowallConfig;
import io.echowall.testing.TestClient;
import io.echowall.testing.TestServer;

import java.net.URI;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * The demo app (the echo wall in one style, the chat, the live page) on a free loopback port, with a
 * {@link RecordingEcho} in the same style at {@code /record} beside the demo's own {@code /foobar/}.
 */
final class DemoServer implements AutoCloseable {

    /** How long any single step may take: messages here reach the 1 MiB limit, in every style. */
    static final Duration STEP = Duration.ofSeconds(20);

    final TestServer server;
    final RecordingEcho recorder;

    /** Starts the app without permessage-deflate (the default). */
    DemoServer(EchoWall.Style style) {
        this(style, false);
    }

    /** Starts the app, negotiating permessage-deflate when {@code deflate}. */
    DemoServer(EchoWall.Style style, boolean deflate) {
        this(style, c -> c.withPermessageDeflate(deflate));
    }

    /** Starts the app on loopback, its configuration changed by {@code configure}. */
    DemoServer(EchoWall.Style style, UnaryOperator<EchowallConfig> configure) {
        var app = EchoWall.create(style, c -> configure.apply(c.withHost("127.0.0.1")));
        recorder = RecordingEcho.register(app, "/record", style);
        server = TestServer.start(app).within(STEP);
    }

    /** The echo wall page's URL. */
    URI page() {
        return server.uri("/");
    }

    /** The URL of the page at {@code path}. */
    URI page(String path) {
        return server.uri(path);
    }

    /** The demo's echo endpoint, addressed as the page does. */
    URI echo() {
        return server.wsUri("/foobar/");
    }

    /** The recording echo endpoint. */
    URI recording() {
        return server.wsUri("/record");
    }

    /** A JDK client of the demo's echo endpoint, addressed as the page does. */
    TestClient connectToEcho() {
        return server.connect("/foobar/");
    }

    /** A JDK client of the recording echo endpoint. */
    TestClient connectToRecording() {
        return server.connect("/record");
    }

    /** Stops the app gracefully (a no-op if it already stopped). */
    @Override
    public void close() {
        server.close();
    }
}
