package io.echowall;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** https and wss with a certificate made for the test by the JDK's keytool. */
@Timeout(60)
class TlsTest {

    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path dir;
    private static Path certificate;
    private static Path key;
    private static SSLContext trusting;

    @BeforeAll
    static void makeCertificate() throws Exception {
        Path keystore = dir.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", new String(PASSWORD)).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD);
        }
        certificate = dir.resolve("server.crt");
        key = dir.resolve("server.key");
        Files.writeString(certificate, pem("CERTIFICATE", store.getCertificate("server").getEncoded()));
        Files.writeString(key, pem("PRIVATE KEY", ((PrivateKey) store.getKey("server", PASSWORD)).getEncoded()));

        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", store.getCertificate("server"));
        trust.init(trusted);
        trusting = SSLContext.getInstance("TLS");
        trusting.init(null, trust.getTrustManagers(), null);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    @Test
    void servesHttpsAndWss() throws Exception {
        try (var app = Echowall.create(c -> c.withHost("127.0.0.1").withTls(certificate, key))) {
            app.get("/", ctx -> ctx.text("secure"));
            app.ws("/foobar", ws -> {
                for (var m : ws) {
                    ws.send(m);
                }
            });
            app.start(0);
            HttpClient client = HttpClient.newBuilder().sslContext(trusting).build();
            HttpResponse<String> page = client.send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + app.port() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.body()).isEqualTo("secure");

            CompletableFuture<String> echo = new CompletableFuture<>();
            WebSocket ws = client.newWebSocketBuilder()
                    .buildAsync(URI.create("wss://127.0.0.1:" + app.port() + "/foobar/"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            echo.complete(data.toString());
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            ws.sendText("over TLS ✓", true).get(10, TimeUnit.SECONDS);
            assertThat(echo.get(10, TimeUnit.SECONDS)).isEqualTo("over TLS ✓");
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);

            // A client that does not trust the certificate is refused in the TLS handshake.
            HttpClient untrusting = HttpClient.newHttpClient();
            assertThatThrownBy(() -> untrusting.send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + app.port() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void anUnreadableCertificateFailsAtStart() {
        Path missing = dir.resolve("missing.pem");
        var app = Echowall.create(c -> c.withHost("127.0.0.1").withTls(missing, key));
        assertThatThrownBy(() -> app.start(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing.pem");
    }

    @Test
    void aCertificateWithoutItsKeyIsRefused() {
        assertThatThrownBy(() -> new EchowallConfig("0.0.0.0", 0, 1, 1, 1, 1024, 1024, java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1), java.util.List.of(), java.util.List.of(), false, 6, 15, 15,
                false, null, java.time.Duration.ofSeconds(5), null, certificate, null, false, true, null)).hasMessageContaining("both");
    }
}
