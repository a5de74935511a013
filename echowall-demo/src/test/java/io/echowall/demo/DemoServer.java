package io.echowall.demo;

import io.echowall.Echowall;

import java.net.URI;

/**
 * The demo's echo wall app in one style, on a free loopback port, with a {@link RecordingEcho} in the
 * same style at {@code /record} beside the demo's own {@code /foobar/}.
 */
final class DemoServer implements AutoCloseable {

    final Echowall app;
    final RecordingEcho recorder;

    /** Starts the app without permessage-deflate (the default). */
    DemoServer(EchoWall.Style style) {
        this(style, false);
    }

    /** Starts the app, negotiating permessage-deflate when {@code deflate}. */
    DemoServer(EchoWall.Style style, boolean deflate) {
        app = EchoWall.create(style, c -> c.withHost("127.0.0.1").withPermessageDeflate(deflate));
        recorder = RecordingEcho.register(app, "/record", style);
        app.start(0);
    }

    /** The page's URL. */
    URI page() {
        return URI.create("http://127.0.0.1:" + app.port() + "/");
    }

    /** The demo's echo endpoint, addressed as the page does. */
    URI echo() {
        return URI.create("ws://127.0.0.1:" + app.port() + "/foobar/");
    }

    /** The recording echo endpoint. */
    URI recording() {
        return URI.create("ws://127.0.0.1:" + app.port() + "/record");
    }

    /** Stops the app gracefully (a no-op if it already stopped). */
    @Override
    public void close() {
        app.stop();
    }
}
