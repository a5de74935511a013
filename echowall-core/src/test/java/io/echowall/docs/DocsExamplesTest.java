package io.echowall.docs;

import io.echowall.Echowall;
import io.echowall.JdkClient;
import io.echowall.Message;
import io.echowall.WebSocket;
import io.echowall.WebSocketListener;
import io.echowall.WebSocketOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The code examples of README.md and docs/, compiled and run here so they cannot rot. Each method
 * holds an example as the docs show it, apart from the port (0 here, so tests never collide).
 */
@Timeout(30)
class DocsExamplesTest {

    /** README.md and docs/tutorial/echo-wall.md: the echo wall. */
    static Echowall readmeEchoWall(int port) {
        var app = Echowall.create(c -> c.withHost("127.0.0.1"));
        app.get("/", ctx -> ctx.render("greeting.html"));
        app.ws("/foobar", ws -> {
            for (var message : ws) {     // its own virtual thread; the loop ends when the peer closes
                ws.send(message);
            }
        });
        app.start(port);
        return app;
    }

    /** README.md: the same echo as a listener. */
    static Echowall readmeListener(int port) {
        var app = Echowall.create(c -> c.withHost("127.0.0.1"));
        app.ws("/foobar", new WebSocketListener() {
            @Override
            public void onMessage(WebSocket ws, Message message) {
                ws.send(message);
            }
        });
        app.start(port);
        return app;
    }

    /** docs/reference/configuration.md: options, filters, static files. */
    static Echowall configurationReference(int port, Path uploads) {
        var app = Echowall.create(config -> config
                .withHost("127.0.0.1")
                .withMaxMessageSize(4 << 20)
                .withPermessageDeflate(true));
        app.ws("/chat", WebSocketOptions.defaults().withSubprotocols("chat.v2", "chat.v1"), ws -> {
            for (var m : ws) {
                ws.send(m);
            }
        });
        app.ws("/ticks", WebSocketOptions.defaults().withEventLoop(true), new WebSocketListener() {
        });
        app.get("/users/{id}", ctx -> ctx.json(java.util.Map.of("id", ctx.pathParam("id"))));
        app.before("/admin/{page}", ctx -> {
            if (ctx.cookie("session") == null) {
                ctx.status(401).text("log in first");   // responding ends the exchange here
            }
        });
        app.get("/admin/{page}", ctx -> ctx.text("secret " + ctx.pathParam("page")));
        app.after(ctx -> ctx.header("X-Frame-Options", "DENY"));
        app.staticFiles("/static", "public");           // classpath folder
        app.staticFiles("/files", uploads);             // directory
        app.start(port);
        return app;
    }

    record User(String name) {
    }

    /** docs/howto/authenticate-websockets.md: a before filter refuses or admits the upgrade. */
    static Echowall authenticatedChat(int port) {
        java.util.Map<String, User> sessions = java.util.Map.of("s3cret", new User("ada"));
        var app = Echowall.create(c -> c.withHost("127.0.0.1"));
        app.before("/chat/{room}", ctx -> {
            var user = sessions.get(String.valueOf(ctx.cookie("session")));   // your own lookup; may block
            if (user == null) {
                ctx.status(401).text("log in first");          // responding refuses the upgrade: no WebSocket
                return;
            }
            ctx.attribute("user", user);                       // carried over to the WebSocket session
        });
        app.ws("/chat/{room}", ws -> {
            User user = ws.attribute("user");
            for (var message : ws) {
                ws.send(user.name() + ": " + message.text());
            }
        });
        app.start(port);
        return app;
    }

    @Test
    void theAuthenticationHowToRefusesStrangersAndNamesUsers() throws Exception {
        try (var app = authenticatedChat(0)) {
            try (var refused = io.echowall.RawWebSocket.send(app.port(), io.echowall.RawWebSocket.request(app.port(), "/chat/lobby"))) {
                assertThat(refused.response().status()).isEqualTo(401);
                assertThat(refused.response().body()).isEqualTo("log in first");
            }
            try (var ws = io.echowall.RawWebSocket.open(app.port(), "/chat/lobby", "Cookie: session=s3cret")) {
                ws.sendText("hi");
                assertThat(ws.read().text()).isEqualTo("ada: hi");
            }
        }
    }

    @Test
    void theReadmeExamplesEcho() throws Exception {
        for (Echowall app : new Echowall[] {readmeEchoWall(0), readmeListener(0)}) {
            try (app; var client = JdkClient.connect(URI.create("ws://127.0.0.1:" + app.port() + "/foobar/"))) {
                client.sendText("hello");
                assertThat(client.next()).isEqualTo("hello");
            }
        }
    }

    @Test
    void theConfigurationExamplesBehaveAsDocumented(@org.junit.jupiter.api.io.TempDir Path uploads) throws Exception {
        try (var app = configurationReference(0, uploads)) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + app.port();
            HttpResponse<String> admin = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/panel")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(admin.statusCode()).isEqualTo(401);
            assertThat(admin.headers().firstValue("X-Frame-Options")).contains("DENY");
            HttpResponse<String> user = http.send(HttpRequest.newBuilder(URI.create(base + "/users/7")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(user.body()).isEqualTo("{\"id\":\"7\"}");
            try (var client = JdkClient.connect(URI.create("ws://127.0.0.1:" + app.port() + "/chat"), "chat.v1")) {
                assertThat(client.socket().getSubprotocol()).isEqualTo("chat.v1");
            }
        }
    }
}
