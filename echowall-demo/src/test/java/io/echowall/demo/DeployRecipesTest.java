package io.echowall.demo;

import io.echowall.Echowall;
import io.echowall.EchowallConfig;
import io.echowall.external.ExternalPrograms;
import io.echowall.external.Processes;
import io.echowall.testing.RawWebSocket;
import io.echowall.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The recipes of docs/howto/deploy.md, read from the page itself and run with the real tools: the
 * nginx configuration in nginx, in front of the echo wall; the systemd unit through
 * {@code systemd-analyze verify}. (The runnable jar and the Dockerfile are checked on a project made
 * by {@code echowall new}, in echowall-cli's NewProjectBuildTest.)
 *
 * <p>Without nginx or systemd-analyze a test is skipped, unless {@code ECHOWALL_REQUIRE_DEPLOY_TOOLS=1}
 * makes that a failure; CI installs both.
 */
@Timeout(120)
class DeployRecipesTest {

    private static final Path PAGE = repositoryRoot().resolve("docs/howto/deploy.md");
    /** Where nginx and systemd-analyze are on Debian, for a PATH that lacks the sbin folders. */
    private static final String SEARCH_PATH = System.getenv("PATH") + ":/usr/sbin:/sbin";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void nginxPassesThePageWebSocketsAndTheClientsAddress() throws Exception {
        Path nginx = ExternalPrograms.onPath("nginx", SEARCH_PATH, ExternalPrograms.REQUIRE_DEPLOY_TOOLS,
                "nginx not found; install it (Debian: nginx) to test the proxy recipe", System::getenv);
        String documented = codeBlock("nginx");
        assertThat(seconds(documented, "proxy_read_timeout"))
                .as("proxy_read_timeout must outlast the quiet time before Echowall pings")
                .isGreaterThan(EchowallConfig.defaults().pingInterval().toSeconds());

        // As the page advises: nginx (on 127.0.0.1) is trusted to name the client.
        Echowall app = EchoWall.create(EchoWall.Style.BLOCKING,
                        c -> c.withHost("127.0.0.1").withTrustedProxies("X-Forwarded-For", "127.0.0.1"))
                .get("/forwarded", ctx -> ctx.text("client=" + ctx.remoteAddress().getAddress().getHostAddress()
                        + " Host=" + ctx.header("Host")
                        + " X-Forwarded-For=" + ctx.header("X-Forwarded-For")
                        + " X-Forwarded-Proto=" + ctx.header("X-Forwarded-Proto")));
        try (TestServer server = TestServer.start(app)) {
            int port = freePort();
            String site = replaceOnce(replaceOnce(documented, "listen 80;", "listen 127.0.0.1:" + port + ";"),
                    "proxy_pass http://127.0.0.1:5000;", "proxy_pass http://127.0.0.1:" + server.port() + ";");
            Process proxy = startNginx(nginx, site, port);
            try {
                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<String> page = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.body()).contains("/foobar/");

                // As a browser on the page nginx served: its origin is nginx's, not the app's.
                try (var ws = RawWebSocket.open(port, "/foobar/", "Origin: http://127.0.0.1:" + port)) {
                    ws.sendText("through nginx ✓");
                    assertThat(ws.read().text()).isEqualTo("through nginx ✓");
                }

                // A client on another loopback address, which writes a false X-Forwarded-For of its own:
                // the app names the address nginx saw, not nginx's and not the forged one.
                HttpClient client = HttpClient.newBuilder().localAddress(InetAddress.getByName("127.0.0.2")).build();
                HttpResponse<String> forwarded = client.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/forwarded"))
                        .header("X-Forwarded-For", "203.0.113.9").build(), HttpResponse.BodyHandlers.ofString());
                assertThat(forwarded.body()).isEqualTo(
                        "client=127.0.0.2 Host=127.0.0.1 X-Forwarded-For=203.0.113.9, 127.0.0.2 X-Forwarded-Proto=http");
            } finally {
                Processes.stop(proxy.toHandle(), Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void theSystemdUnitVerifies() throws Exception {
        Path analyze = ExternalPrograms.onPath("systemd-analyze", SEARCH_PATH, ExternalPrograms.REQUIRE_DEPLOY_TOOLS,
                "systemd-analyze not found; install systemd to test the service recipe", System::getenv);
        // The unit names /usr/bin/java, which verify requires to exist: this JVM's stands in for it.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path unit = Files.writeString(dir.resolve("my-app.service"),
                replaceOnce(codeBlock("ini"), "ExecStart=/usr/bin/java ", "ExecStart=" + java + " "));

        var verified = Processes.run(List.of(analyze.toString(), "verify", unit.toString()), dir, Duration.ofSeconds(60));

        assertThat(verified.exitCode()).as(verified.describe()).isZero();
        assertThat(verified.stdout() + verified.stderr()).as("what systemd-analyze said of the unit")
                .doesNotContain("my-app.service");
    }

    /** Starts nginx with {@code site} in its http block, and waits until it accepts connections on {@code port}. */
    private Process startNginx(Path nginx, String site, int port) throws IOException, InterruptedException {
        // nginx's workers may run as another user (nobody, when started as root): let them in.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        Path prefix = Files.setPosixFilePermissions(Files.createDirectory(dir.resolve("nginx")),
                PosixFilePermissions.fromString("rwxrwxrwx"));
        String conf = """
                daemon off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log info;
                events {
                    worker_connections 64;
                }
                http {
                    access_log %1$s/access.log;
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                %2$s
                }
                """.formatted(prefix, site);
        Path confFile = Files.writeString(prefix.resolve("nginx.conf"), conf);
        Process process = new ProcessBuilder(nginx.toString(), "-p", prefix.toString(), "-c", confFile.toString(),
                "-e", prefix.resolve("error.log").toString())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true)
                .redirectOutput(prefix.resolve("output.log").toFile())
                .start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try (var probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return process;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    Processes.stop(process.toHandle(), Duration.ofSeconds(5));
                    fail("nginx did not start on port " + port + ":\n" + read(prefix.resolve("output.log"))
                            + read(prefix.resolve("error.log")) + "\n--- nginx.conf\n" + conf);
                }
                Thread.sleep(50);
            }
        }
    }

    /** The one fenced block of {@code language} on the deploy page. */
    private static String codeBlock(String language) throws IOException {
        Matcher m = Pattern.compile("(?ms)^```" + Pattern.quote(language) + "\\n(.*?)^```$")
                .matcher(Files.readString(PAGE, StandardCharsets.UTF_8));
        assertThat(m.find()).as("a ```%s block in %s", language, PAGE).isTrue();
        String block = m.group(1);
        assertThat(m.find()).as("a second ```%s block in %s", language, PAGE).isFalse();
        return block;
    }

    /** {@code text} with {@code target}, which must occur exactly once, replaced: the page cannot drift unseen. */
    private static String replaceOnce(String text, String target, String replacement) {
        int at = text.indexOf(target);
        assertThat(at).as("'%s' in the recipe", target).isNotNegative();
        assertThat(text.indexOf(target, at + 1)).as("a second '%s' in the recipe", target).isNegative();
        return text.substring(0, at) + replacement + text.substring(at + target.length());
    }

    private static long seconds(String config, String directive) {
        Matcher m = Pattern.compile(Pattern.quote(directive) + "\\s+(\\d+)s;").matcher(config);
        assertThat(m.find()).as("%s in seconds in the recipe", directive).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    /** The checkout's root: the nearest directory up from this module that holds README.md and docs/. */
    private static Path repositoryRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("README.md")) && Files.isDirectory(d.resolve("docs"))) {
                return d;
            }
        }
        throw new IllegalStateException("no README.md and docs/ above " + Path.of("").toAbsolutePath());
    }
}
