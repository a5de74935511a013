package {{package}};

import io.echowall.Echowall;
import io.echowall.EchowallConfig;

import java.util.function.UnaryOperator;

/**
 * The echo wall: a page at {@code /} whose JavaScript opens a WebSocket at {@code /foobar/}, which
 * sends every message straight back.
 */
public final class Main {

    private Main() {
    }

    /**
     * Serves the app until Ctrl-C or SIGTERM, on the port in the environment variable {@code PORT}
     * (default 5000) and the address in {@code HOST} (default {@code 0.0.0.0}, every interface;
     * {@code 127.0.0.1} behind a proxy on the same machine).
     */
    public static void main(String[] args) {
        var env = System.getenv();
        int port = Integer.parseInt(env.getOrDefault("PORT", "5000"));
        String host = env.getOrDefault("HOST", "0.0.0.0");
        app(config -> config.withHost(host)).start(port); // also stops gracefully when the JVM is asked to end
    }

    /** The app, on the defaults changed by {@code configure}; the test starts this very app. */
    static Echowall app(UnaryOperator<EchowallConfig> configure) {
        var app = Echowall.create(configure);
        app.get("/", ctx -> ctx.render("index.html"));    // src/main/resources/templates/index.html
        app.ws("/foobar", ws -> {
            for (var message : ws) {     // a virtual thread of its own; the loop ends when the peer closes
                ws.send(message);
            }
        });
        return app;
    }
}
