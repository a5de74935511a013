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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
            app.get("/", ctx -> ctx.cookie("session", "s1").text("secure"));
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
            assertThat(page.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c).contains("; Secure"));

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

    /** Room frames and a member's own replies share the TLS stream without mixing their bytes. */
    @Test
    void aRoomMemberOverWssGetsPublicationsBesideItsReplies() throws Exception {
        try (var app = Echowall.create(c -> c.withHost("127.0.0.1").withTls(certificate, key))) {
            app.ws("/member", new WebSocketListener() {
                @Override
                public void onOpen(io.echowall.WebSocket ws) {
                    ws.user("ada");
                    ws.join("lobby");
                }

                @Override
                public void onMessage(io.echowall.WebSocket ws, Message message) {
                    ws.send(message);
                }
            });
            app.start(0);
            int count = 200;
            List<String> received = new CopyOnWriteArrayList<>();
            HttpClient client = HttpClient.newBuilder().sslContext(trusting).build();
            WebSocket ws = client.newWebSocketBuilder()
                    .buildAsync(URI.create("wss://127.0.0.1:" + app.port() + "/member"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            assertThat(last).as("small messages arrive whole").isTrue();
                            received.add(data.toString());
                            webSocket.request(1);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            await().until(() -> app.rooms().users("lobby") == 1);
            for (int n = 0; n < count; n++) {
                ws.sendText("e" + n, true).get(10, TimeUnit.SECONDS);
                app.rooms().publish("lobby", "r" + n);
            }
            await().until(() -> received.size() == 2 * count);
            assertThat(received.stream().filter(m -> m.startsWith("r")).toList())
                    .isEqualTo(IntStream.range(0, count).mapToObj(n -> "r" + n).toList());
            assertThat(received.stream().filter(m -> m.startsWith("e")).toList())
                    .isEqualTo(IntStream.range(0, count).mapToObj(n -> "e" + n).toList());
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
        }
    }

    private static void assertStartFails(Path chain, Path privateKey, String message) {
        var app = Echowall.create(c -> c.withHost("127.0.0.1").withTls(chain, privateKey));
        assertThatThrownBy(() -> app.start(0)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    private static Path file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void missingFilesAreNamed() {
        Path missing = dir.resolve("missing.pem");
        assertStartFails(missing, key, "the TLS certificate chain file " + missing + " does not exist");
        assertStartFails(certificate, missing, "the TLS private key file " + missing + " does not exist");
    }

    @Test
    void keysInOtherFormsGetTheCommandThatConvertsThem() throws Exception {
        String body = "\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n";
        Path pkcs1 = file("rsa.pem", "-----BEGIN RSA PRIVATE KEY-----" + body + "-----END RSA PRIVATE KEY-----\n");
        Path sec1 = file("ec.pem", "-----BEGIN EC PRIVATE KEY-----" + body + "-----END EC PRIVATE KEY-----\n");
        Path encrypted = file("enc.pem", "-----BEGIN ENCRYPTED PRIVATE KEY-----" + body + "-----END ENCRYPTED PRIVATE KEY-----\n");
        String convert = "; convert it with: openssl pkcs8 -topk8 -nocrypt -in ";
        assertStartFails(certificate, pkcs1, "the TLS private key " + pkcs1
                + " is in PKCS#1 form (BEGIN RSA PRIVATE KEY) but Echowall reads PKCS#8" + convert + pkcs1 + " -out key.pkcs8.pem");
        assertStartFails(certificate, sec1, "the TLS private key " + sec1
                + " is in SEC1 form (BEGIN EC PRIVATE KEY) but Echowall reads PKCS#8" + convert + sec1 + " -out key.pkcs8.pem");
        assertStartFails(certificate, encrypted, "the TLS private key " + encrypted
                + " is encrypted but Echowall reads it unencrypted (readable by the server's user only)" + convert
                + encrypted + " -out key.pkcs8.pem");
    }

    @Test
    void filesThatAreNotPemSayWhatTheyLack() throws Exception {
        Path notPem = file("binary.der", "\u0030\u0082 not a PEM file");
        assertStartFails(notPem, key, "the TLS certificate chain " + notPem
                + " holds no PEM certificate (a -----BEGIN CERTIFICATE----- block)");
        assertStartFails(certificate, certificate, "the TLS private key " + certificate
                + " holds no PEM private key (a -----BEGIN PRIVATE KEY----- block)");
    }

    @Test
    void aCertificateWithoutItsKeyIsRefused() {
        assertThatThrownBy(() -> EchowallConfig.defaults().withTls(certificate, null)).hasMessageContaining("both");
    }
}
