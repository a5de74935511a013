package io.echowall.cli;

import io.echowall.testing.TestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
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
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@code echowall new} end to end: the project it creates builds offline with Maven and passes its own
 * test, and its jar, laid out as its Dockerfile lays it out, runs as the Dockerfile's
 * {@code ENTRYPOINT} does: page, echo, a graceful stop on SIGTERM.
 *
 * <p>The project resolves Echowall from a local repository of its own, filled with this build's
 * POMs and jars exactly as {@code ./echowall install} lays them out, and everything else from the
 * local repository of the build running this test ({@code maven.repo.local.tail}, read-only): so it builds against this
 * checkout, not whatever Echowall some other build installed. The jars are the reactor's: run this
 * after echowall-core and echowall-testing are packaged ({@code ./echowall test} does).
 *
 * <p>Docker itself is not run (no daemon where this was written); the Dockerfile's lines are read and
 * checked against the build instead.
 */
@Timeout(600)
class NewProjectBuildTest {

    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(8);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private static final Path ROOT = repositoryRoot();
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    @TempDir
    static Path dir;

    private static Path project;
    private static String buildLog;
    private static int buildExitCode;

    /** Creates the project and builds it once; each test reads what that left. */
    @BeforeAll
    static void createAndBuild() throws Exception {
        String version = starterProperties().getProperty("echowall.version");
        Path echowallRepository = dir.resolve("repository");
        install(echowallRepository, "echowall-bom", version, ROOT.resolve("echowall-bom/pom.xml"), null);
        install(echowallRepository, "echowall-parent", version, ROOT.resolve("pom.xml"), null);
        for (String module : List.of("echowall-core", "echowall-testing")) {
            install(echowallRepository, module, version, ROOT.resolve(module).resolve("pom.xml"),
                    ROOT.resolve(module).resolve("target").resolve(module + "-" + version + ".jar"));
        }

        project = dir.resolve("my-app");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int created = new CommandLine(Main.class).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute("new", project.toString());
        assertThat(created).as("echowall new: %s%s", out, err).isZero();

        List<String> command = new ArrayList<>(List.of(maven().toString(), "-B", "-o",
                "--no-transfer-progress", "verify",
                "-Dmaven.repo.local=" + echowallRepository,
                "-Dmaven.repo.local.tail=" + usualRepository()));
        Path log = dir.resolve("build.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process build = builder.start();
        try {
            if (!build.waitFor(BUILD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("the new project's build did not finish within " + BUILD_TIMEOUT + "\n" + tail(Files.readString(log)));
            }
        } finally {
            stop(build.toHandle());
        }
        buildExitCode = build.exitValue();
        buildLog = Files.readString(log, StandardCharsets.UTF_8);
    }

    @Test
    void theNewProjectBuildsOfflineAndPassesItsOwnTest() throws IOException {
        assertThat(buildExitCode).as("mvn verify in the new project:\n%s", tail(buildLog)).isZero();

        Path report = project.resolve("target/surefire-reports/TEST-com.example.myapp.MainTest.xml");
        assertThat(report).as("the test's report").exists();
        String testsuite = Files.readString(report, StandardCharsets.UTF_8);
        assertThat(attribute(testsuite, "tests")).isEqualTo("2");
        assertThat(attribute(testsuite, "failures")).isEqualTo("0");
        assertThat(attribute(testsuite, "errors")).isEqualTo("0");
        assertThat(attribute(testsuite, "skipped")).isEqualTo("0");
        assertThat(buildLog).as("Logback is the SLF4J provider").doesNotContain("no SLF4J provider");
    }

    @Test
    void theJarRunsAsTheDockerfileRunsIt() throws Exception {
        assertThat(buildExitCode).as("mvn verify in the new project:\n%s", tail(buildLog)).isZero();
        String dockerfile = Files.readString(project.resolve("Dockerfile"), StandardCharsets.UTF_8);

        // The base image runs the release the project compiles for.
        String release = element(Files.readString(project.resolve("pom.xml")), "maven.compiler.release");
        assertThat(instructions(dockerfile, "FROM")).containsExactly("eclipse-temurin:" + release + "-jre");
        assertThat(instructions(dockerfile, "EXPOSE")).containsExactly("5000");
        assertThat(instructions(dockerfile, "ENV")).containsExactly("PORT=5000");
        assertThat(instructions(dockerfile, "WORKDIR")).containsExactly("/app");

        // The files, where the COPY lines put them (the image's /app is a folder here).
        Path image = Files.createDirectory(dir.resolve("image"));
        List<String> copies = instructions(dockerfile, "COPY");
        assertThat(copies).containsExactly("target/lib/ lib/", "target/my-app.jar app.jar");
        for (String copy : copies) {
            String[] fromTo = copy.split(" ");
            copy(project.resolve(fromTo[0]), image.resolve(fromTo[1]));
        }
        // .dockerignore lets exactly those in.
        assertThat(Files.readString(project.resolve(".dockerignore")).lines().filter(l -> !l.startsWith("#")))
                .containsExactly("*", "!target/*.jar", "!target/lib/");

        // The ENTRYPOINT, with this JVM's java, on a free loopback port.
        List<String> entrypoint = new ArrayList<>(jsonArray(instructions(dockerfile, "ENTRYPOINT").getFirst()));
        assertThat(entrypoint.getFirst()).isEqualTo("java");
        entrypoint.set(0, JAVA.toString());
        if (Runtime.version().feature() >= 24) {
            entrypoint.add(1, "--sun-misc-unsafe-memory-access=allow"); // the image's JDK 21 needs none
        }
        int port = freePort();
        Path output = dir.resolve("app.log");
        ProcessBuilder builder = new ProcessBuilder(entrypoint).directory(image.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("PORT", String.valueOf(port));
        builder.environment().put("HOST", "127.0.0.1");
        Process app = builder.start();
        try {
            awaitListening(app, port, output);

            HttpResponse<String> page = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("/foobar/");
            try (TestClient client = TestClient.connect(URI.create("ws://127.0.0.1:" + port + "/foobar/"))) {
                client.send("from the jar");
                client.expectText("from the jar");
            }

            app.destroy(); // SIGTERM, as docker stop sends
            assertThat(app.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .as("the app ends on SIGTERM").isTrue();
            String log = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(app.exitValue()).as(log).isEqualTo(143); // 128 + SIGTERM: the JVM's clean stop on a signal
            assertThat(log).contains("Echowall serving http://127.0.0.1:" + port).contains("Echowall stopped");
        } finally {
            stop(app.toHandle());
        }
    }

    /** Waits until the app accepts connections on {@code port}; fails with its output if it ends or takes too long. */
    private static void awaitListening(Process app, int port, Path output) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try (var probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                if (!app.isAlive() || System.nanoTime() > deadline) {
                    fail("the app did not listen on port " + port + ":\n" + Files.readString(output));
                }
                Thread.sleep(50);
            }
        }
    }

    /** Lays {@code pom} (and {@code jar}, if any) out in {@code repository} as the install plugin does. */
    private static void install(Path repository, String artifactId, String version, Path pom, Path jar) throws IOException {
        Path folder = Files.createDirectories(repository.resolve("io/echowall").resolve(artifactId).resolve(version));
        Files.copy(pom, folder.resolve(artifactId + "-" + version + ".pom"));
        if (jar != null) {
            assertThat(jar).as("the reactor's %s jar: package it first (./echowall test does)", artifactId).exists();
            Files.copy(jar, folder.resolve(artifactId + "-" + version + ".jar"));
        }
    }

    /** The local repository of the build running this test (the POM passes it), else the default one. */
    private static Path usualRepository() {
        String configured = System.getProperty("echowall.maven.repository");
        return configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /**
     * The {@code mvn} of the Maven running this build (the POM passes its home): the wrapper would
     * look for a {@code .mvn} folder in the new project, which has none.
     */
    private static Path maven() {
        String home = System.getProperty("echowall.maven.home");
        assertThat(home).as("echowall.maven.home, set by echowall-cli's POM; run this test through Maven").isNotNull();
        return Path.of(home, "bin", "mvn");
    }

    private static Properties starterProperties() throws IOException {
        var properties = new Properties();
        try (InputStream in = NewProject.class.getResourceAsStream("starter.properties")) {
            assertThat(in).as("starter.properties").isNotNull();
            properties.load(in);
        }
        return properties;
    }

    /** The arguments of every {@code instruction} line of a Dockerfile. */
    private static List<String> instructions(String dockerfile, String instruction) {
        return dockerfile.lines().filter(line -> line.startsWith(instruction + " "))
                .map(line -> line.substring(instruction.length() + 1).trim()).toList();
    }

    /** The strings of a JSON array of strings without escapes, such as an exec-form ENTRYPOINT. */
    private static List<String> jsonArray(String array) {
        assertThat(array).startsWith("[").endsWith("]").doesNotContain("\\");
        Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(array);
        List<String> items = new ArrayList<>();
        while (m.find()) {
            items.add(m.group(1));
        }
        return items;
    }

    private static String attribute(String xml, String name) {
        Matcher m = Pattern.compile("<testsuite\\b[^>]*\\s" + name + "=\"([^\"]*)\"").matcher(xml);
        assertThat(m.find()).as("%s in the report", name).isTrue();
        return m.group(1);
    }

    private static String element(String xml, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]*)</").matcher(xml);
        assertThat(m.find()).as("<%s>", name).isTrue();
        return m.group(1);
    }

    private static void copy(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            Files.copy(from, to);
            return;
        }
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName().toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    /** Stops {@code process} and what it started, by PID: SIGTERM, then SIGKILL after a few seconds. */
    private static void stop(ProcessHandle process) {
        List<ProcessHandle> family = process.descendants().toList();
        process.destroy();
        family.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : Stream.concat(Stream.of(process), family.stream()).toList()) {
            try {
                p.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String tail(String s) {
        return s.length() <= 6000 ? s : "…" + s.substring(s.length() - 6000);
    }

    /** The checkout's root: the nearest directory up from this module that holds mvnw and docs/. */
    private static Path repositoryRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("mvnw")) && Files.isDirectory(d.resolve("docs"))) {
                return d;
            }
        }
        throw new IllegalStateException("no mvnw and docs/ above " + Path.of("").toAbsolutePath());
    }
}
