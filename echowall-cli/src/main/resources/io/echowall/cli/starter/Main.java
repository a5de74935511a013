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

    /** Serves the app on the port in the environment variable {@code PORT}, or 5000, until Ctrl-C or SIGTERM. */
    public static void main(String[] args) {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "5000"));
        app(UnaryOperator.identity()).start(port); // also stops gracefully when the JVM is asked to end
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
