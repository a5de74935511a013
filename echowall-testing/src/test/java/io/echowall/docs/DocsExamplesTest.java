package io.echowall.docs;

import io.echowall.Echowall;
import io.echowall.testing.RawWebSocket;
import io.echowall.testing.TestClient;
import io.echowall.testing.TestServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apiguardian.api.API;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.opentest4j.AssertionFailedError;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The Java examples of README.md and docs/, read from the Markdown itself, compiled for Java 21 and
 * run here, so that the docs cannot drift from the API. Every {@code ```java} block of every page
 * compiles (a page whose examples need more than core, the test kit and JUnit says why in
 * {@link #NOT_HERE}); the examples below are also run and checked against what their page says they do.
 * The test on the testing how-to is run as JUnit runs it.
 *
 * <p>A block that declares a top-level class is compiled as it stands. Any other block is a run of statements,
 * compiled inside {@link #FRAGMENT}, which gives it an {@code app} to add to (unless it creates its
 * own) and the other names the docs leave to the reader. Two adaptations are made, both within their
 * line so that a compiler message points at the page's own line: a fixed port in
 * {@code app.start(5000)} becomes a free one, and the started app is handed to {@link #started}, so
 * that the test can reach it and stop it.
 *
 * <p>This class is public because the compiled examples, in a class loader of their own, call it.
 */
@Timeout(60)
public class DocsExamplesTest {

    /** A block of statements, compiled inside {@link #FRAGMENT}. */
    public interface Fragment {

        /** Runs the statements with {@code app} (the test's, not yet started) and {@code uploads} (a directory). */
        void run(Echowall app, Path uploads) throws Exception;
    }

    /** Pages whose examples are compiled elsewhere, and why. */
    private static final Map<String, String> NOT_HERE = Map.of(
            "docs/reference/conformance.md", "echowall-conformance's ManualExampleTest compiles it against the suite",
            "docs/howto/run-several-servers.md", "its example needs echowall-redis, whose DocsExampleTest compiles it");

    /**
     * The class a block of statements is compiled in: {@code %1$s} is the class name, {@code %2$s} the
     * statements. The names the docs leave to the reader: {@code app}, {@code handler} (an echo),
     * {@code listener}, {@code users} (finds {@code {"id": id}}), {@code sessions} (knows the session
     * {@code s3cret}, of the user {@code ada}), {@code User}, and {@code uploads}.
     */
    private static final String FRAGMENT = """
            import io.echowall.*;
            import java.nio.file.Path;
            import java.time.Duration;
            import java.util.Map;

            public final class %1$s implements io.echowall.docs.DocsExamplesTest.Fragment {
                record User(String name) {
                }

                interface Lookup<T> {
                    T find(String key);
                }

                private final WebSocketHandler handler = ws -> {
                    for (var message : ws) {
                        ws.send(message);
                    }
                };
                private final WebSocketListener listener = new WebSocketListener() {
                };
                private final Lookup<Map<String, String>> users = id -> Map.of("id", id);
                private final Lookup<User> sessions = cookie -> "s3cret".equals(cookie) ? new User("ada") : null;
                private Echowall app;
                private Path uploads;

                @Override
                public void run(Echowall testApp, Path uploadsDirectory) throws Exception {
                    app = testApp;
                    uploads = uploadsDirectory;
                    statements();
                }

                private void statements() throws Exception {
            %2$s
                }
            }
            """;

    /** Lines of {@link #FRAGMENT} before the statements. */
    private static final int FRAGMENT_LINES_BEFORE = (int) FRAGMENT.substring(0, FRAGMENT.indexOf("%2$s")).lines().count();

    private static final Pattern FIXED_PORT_START = Pattern.compile("\\b(\\w+)\\.start\\(\\d+\\)");
    private static final Pattern TOP_LEVEL_CLASS = Pattern.compile("(?m)^(?:public\\s+)?(?:final\\s+)?class\\s+(\\w+)");

    private static final Path ROOT = repositoryRoot();
    private static final JavaCompiler JAVAC = ToolProvider.getSystemJavaCompiler();
    /** One for every example: it keeps what it has read, so each example after the first compiles quickly. */
    private static final StandardJavaFileManager FILES = JAVAC.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
    /**
     * All an example may use besides the JDK, and quick to search: Echowall's classes, the test kit's,
     * this test's, JUnit's API (with the jars its annotations and failures come from), and Micrometer's
     * core and Prometheus registry (with the Prometheus model its constructors name).
     */
    private static final String EXAMPLE_CLASS_PATH = Stream.of(Echowall.class, TestServer.class, DocsExamplesTest.class,
                    Test.class, API.class, AssertionFailedError.class, MeterRegistry.class, PrometheusMeterRegistry.class,
                    PrometheusRegistry.class)
            .map(DocsExamplesTest::classesOf)
            .collect(Collectors.joining(File.pathSeparator));
    private static final List<Echowall> STARTED = new CopyOnWriteArrayList<>();
    private static final Map<Example, Class<?>> COMPILED = new ConcurrentHashMap<>();
    private static final List<URLClassLoader> LOADERS = new CopyOnWriteArrayList<>();

    @TempDir
    static Path classes;

    /**
     * One {@code ```java} block.
     *
     * @param page      the Markdown file, relative to the repository root
     * @param firstLine the page's line number of the block's first line of code
     * @param code      the block, without its fences
     */
    record Example(String page, int firstLine, String code) {

        boolean declaresAClass() {
            return TOP_LEVEL_CLASS.matcher(code).find();
        }

        @Override
        public String toString() {
            return page + ":" + firstLine;
        }
    }

    /** Called by the examples, instead of their {@code app.start(5000)}: keeps the app for the test. */
    public static Echowall started(Echowall app) {
        STARTED.add(app);
        return app;
    }

    @AfterEach
    void stopTheStartedApps() {
        STARTED.forEach(Echowall::stop);
        STARTED.clear();
    }

    @AfterAll
    static void closeTheCompilerAndTheClassLoaders() throws IOException {
        FILES.close();
        for (URLClassLoader loader : LOADERS) {
            loader.close();
        }
    }

    // ---------------------------------------------------------------- every example compiles

    @TestFactory
    Stream<DynamicTest> everyJavaExampleCompiles() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String page : pages()) {
            if (NOT_HERE.containsKey(page)) {
                continue; // compiled by the module that can see what it calls
            }
            for (Example example : examples(page)) {
                tests.add(DynamicTest.dynamicTest(example.toString(), () -> compiled(example)));
            }
        }
        assertThat(tests).as("examples found in the docs").hasSizeGreaterThanOrEqualTo(8);
        return tests.stream();
    }

    // ---------------------------------------------------------------- examples that run

    @Test
    void theReadmeEchoWallEchoes() throws Exception {
        compiled(example("README.md", 1)).getMethod("main", String[].class).invoke(null, (Object) new String[0]);

        assertEchoes(theOneStartedApp().port());
    }

    @Test
    void theTutorialEchoWallEchoes() throws Exception {
        fragment(example("docs/tutorial/echo-wall.md", 1)).run(null, null);

        assertEchoes(theOneStartedApp().port());
    }

    @Test
    void theListenerExamplesEcho() throws Exception {
        for (Example listener : List.of(example("README.md", 2), example("docs/tutorial/echo-wall.md", 2))) {
            try (var server = serve(listener)) {
                assertEchoes(server.port());
            }
        }
    }

    @Test
    void theConfigurationExamplesBehaveAsDocumented(@TempDir Path uploads) throws Exception {
        fragment(example("docs/reference/configuration.md", 1)).run(null, uploads); // builds an app, no more
        Files.writeString(uploads.resolve("notes.txt"), "uploaded");

        try (var server = serve(uploads, example("docs/reference/configuration.md", 3),
                example("docs/reference/configuration.md", 4))) {
            HttpResponse<String> admin = server.get("/admin/panel");
            assertThat(admin.statusCode()).isEqualTo(401);
            assertThat(admin.body()).isEqualTo("log in first");
            assertThat(admin.headers().firstValue("X-Frame-Options")).contains("DENY");
            assertThat(server.get("/users/7").body()).isEqualTo("{\"id\":\"7\"}");
            assertThat(server.get("/static/hello.txt").statusCode()).isEqualTo(200);
            assertThat(server.get("/files/notes.txt").body()).isEqualTo("uploaded");
            try (TestClient client = server.connect("/chat", Map.of(), "chat.v1")) {
                assertThat(client.subprotocol()).isEqualTo("chat.v1");
            }
        }
    }

    @Test
    void theAuthenticationHowToRefusesStrangersAndNamesUsers() throws Exception {
        try (var server = serve(example("docs/howto/authenticate-websockets.md", 1))) {
            try (var refused = RawWebSocket.send(server.port(), RawWebSocket.request(server.port(), "/chat/lobby"))) {
                assertThat(refused.response().status()).isEqualTo(401);
                assertThat(refused.response().body()).isEqualTo("log in first");
            }
            try (TestClient ws = server.connect("/chat/lobby", Map.of("Cookie", "session=s3cret"))) {
                ws.send("hi");
                ws.expectText("ada: hi");
            }
        }
    }

    @Test
    void theApiExampleAnswersRefusesAndCloses() throws Exception {
        try (var server = serve(example("docs/reference/api.md", 1))) {
            try (var refused = RawWebSocket.send(server.port(), RawWebSocket.request(server.port(), "/rooms/lobby"))) {
                assertThat(refused.response().status()).isEqualTo(400);
            }
            try (TestClient ws = server.connect("/rooms/lobby?name=ada")) {
                ws.send("hi");
                ws.expectText("ada in lobby: hi");
                ws.send(new byte[] {1, 2, 3});
                assertThat(ws.expectClose(1003)).isEqualTo("text only");
            }
        }
    }

    @Test
    void theMetricsPagesServeAndTheFilterProtectsThem() throws Exception {
        String page = "docs/reference/metrics.md";
        try (var server = serve(example(page, 1), example(page, 3))) {
            assertThat(server.get("/metrics").statusCode()).isEqualTo(401);
            HttpResponse<String> scraped = server.send(HttpRequest.newBuilder(server.uri("/metrics"))
                    .header("Authorization", "Bearer s3cret"));
            assertThat(scraped.statusCode()).isEqualTo(200);
            assertThat(scraped.body()).contains("echowall_connections ", "echowall_broker_up 1.0");
            assertThat(server.get("/health/live").body()).isEqualTo("{\"status\":\"UP\"}");
            assertThat(server.get("/health/ready").body()).isEqualTo("{\"status\":\"UP\",\"server\":\"UP\",\"broker\":\"UP\"}");
        }

        compiled(example(page, 2)).getMethod("main", String[].class).invoke(null, (Object) new String[0]);
        try (HttpClient http = HttpClient.newHttpClient()) {
            URI metrics = URI.create("http://127.0.0.1:" + theOneStartedApp().port() + "/metrics");
            HttpResponse<String> scraped = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(scraped.statusCode()).isEqualTo(200);
            assertThat(scraped.body()).as("the app's meters beside Echowall's").contains("notes_saved_total 0.0",
                    "echowall_connections ");
        }
    }

    @Test
    void theChatTutorialsFirstRoomReachesEveryMember() throws Exception {
        var app = Echowall.create(c -> c.withHost("127.0.0.1"));
        fragment(example("docs/tutorial/chat.md", 1)).run(app, null);
        try (var server = TestServer.start(app);
             var ada = server.connect("/chat/lobby");
             var bob = server.connect("/chat/lobby")) {
            // The handlers join as they start, after the upgrade: a message sent before bob's joined would not reach him.
            await().until(() -> app.rooms().users("lobby") == 2);
            ada.send("hi");
            ada.expectText("hi");
            bob.expectText("hi");
        }
    }

    @Test
    void theChatTutorialsChatNamesItsUsersAndItsFeedPushes() throws Exception {
        var app = Echowall.create(c -> c.withHost("127.0.0.1").withPresenceGrace(Duration.ofMillis(200)));
        fragment(example("docs/tutorial/chat.md", 2)).run(app, null);
        fragment(example("docs/tutorial/chat.md", 3)).run(app, null); // starts the app, then the feed
        String base = "ws://127.0.0.1:" + theOneStartedApp().port();
        // Presence takes a path of its own: an arrival may come before or after the list that shows it.
        Set<String> arrivals = Set.of("ada joined", "bob joined");

        try (var ada = TestClient.connect(URI.create(base + "/chat/lobby?nick=ada"))) {
            assertThat(nextTextBut(ada, arrivals)).isEqualTo("online: ada");
            try (var bob = TestClient.connect(URI.create(base + "/chat/lobby?nick=bob"))) {
                assertThat(nextTextBut(bob, arrivals)).isEqualTo("online: ada, bob");
                assertThat(nextTextBut(ada, Set.of("ada joined"))).isEqualTo("bob joined");
                bob.send("hi");
                assertThat(nextTextBut(bob, arrivals)).isEqualTo("bob: hi");
                assertThat(nextTextBut(ada, arrivals)).isEqualTo("bob: hi");
            }
            assertThat(nextTextBut(ada, arrivals)).isEqualTo("bob left");
        }
        try (var nameless = TestClient.connect(URI.create(base + "/chat/lobby?nick=Ada%20L"))) {
            assertThat(nameless.expectClose(1008)).isEqualTo("a nickname is 1 to 24 letters a-z or digits");
        }
        try (var page = TestClient.connect(URI.create(base + "/live"))) {
            // The page is a member of the room "live", so it may hear its own arrival, as the tutorial says.
            String first = nextUpdate(page);
            String second = nextUpdate(page);
            assertThat(List.of(first, second)).allSatisfy(update -> assertThat(update).startsWith("{\"time\":\""));
            assertThat(second).isNotEqualTo(first);
        }
    }

    /** The next message of the live page that is not a presence line. */
    private static String nextUpdate(TestClient page) {
        while (true) {
            String text = page.nextMessage().text();
            if (!text.endsWith(" joined") && !text.endsWith(" left")) {
                return text;
            }
        }
    }

    /** The next text message {@code client} receives, passing over those in {@code but}. */
    private static String nextTextBut(TestClient client, Set<String> but) {
        while (true) {
            String text = client.nextMessage().text();
            if (!but.contains(text)) {
                return text;
            }
        }
    }

    @Test
    void theTestOnTheTestingHowToPasses() throws Exception {
        Class<?> test = compiled(example("docs/howto/test-your-app.md", 1));
        var listener = new SummaryGeneratingListener();

        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(test)).build(), listener);

        TestExecutionSummary summary = listener.getSummary();
        assertThat(summary.getFailures()).as("failures of %s", test.getName())
                .extracting(f -> f.getTestIdentifier().getDisplayName() + ": " + f.getException()).isEmpty();
        assertThat(summary.getTestsFoundCount()).as("tests in %s", test.getName()).isGreaterThanOrEqualTo(3);
        assertThat(summary.getTestsSucceededCount()).isEqualTo(summary.getTestsFoundCount());
    }

    // ---------------------------------------------------------------- running examples

    /** Runs {@code fragments} in order on one app on loopback, then starts it on a free port. */
    private static TestServer serve(Example... fragments) throws Exception {
        return serve(null, fragments);
    }

    private static TestServer serve(Path uploads, Example... fragments) throws Exception {
        var app = Echowall.create(c -> c.withHost("127.0.0.1"));
        for (Example example : fragments) {
            fragment(example).run(app, uploads);
        }
        return TestServer.start(app);
    }

    private static Fragment fragment(Example example) throws ReflectiveOperationException {
        return (Fragment) compiled(example).getConstructor().newInstance();
    }

    private static Echowall theOneStartedApp() {
        assertThat(STARTED).as("apps the example started").hasSize(1);
        return STARTED.getFirst();
    }

    /** The app on {@code port} (which the example may have started itself) echoes at {@code /foobar/}. */
    private static void assertEchoes(int port) throws Exception {
        try (var ws = RawWebSocket.open(port, "/foobar/")) {
            ws.sendText("hello");
            assertThat(ws.read().text()).isEqualTo("hello");
        }
    }

    // ---------------------------------------------------------------- reading and compiling examples

    /** README.md and every page under docs/, relative to the repository root. */
    private static List<String> pages() throws IOException {
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            return Stream.concat(Stream.of(ROOT.resolve("README.md")), docs.filter(p -> p.toString().endsWith(".md")).sorted())
                    .map(p -> ROOT.relativize(p).toString().replace('\\', '/'))
                    .toList();
        }
    }

    /** The {@code ```java} blocks of {@code page}, in order. */
    private static List<Example> examples(String page) throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve(page), StandardCharsets.UTF_8);
        List<Example> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals("```java")) {
                int first = i + 1;
                int end = first;
                while (end < lines.size() && !lines.get(end).strip().equals("```")) {
                    end++;
                }
                found.add(new Example(page, first + 1, String.join("\n", lines.subList(first, end))));
                i = end;
            }
        }
        return found;
    }

    /** The {@code n}th (from 1) Java example of {@code page}. */
    private static Example example(String page, int n) throws IOException {
        List<Example> all = examples(page);
        assertThat(all).as("Java examples in " + page).hasSizeGreaterThanOrEqualTo(n);
        return all.get(n - 1);
    }

    /** The example's class, compiled once; a compiler error fails the test at the page's line. */
    private static Class<?> compiled(Example example) {
        return COMPILED.computeIfAbsent(example, DocsExamplesTest::compile);
    }

    private static Class<?> compile(Example example) {
        String code = adapted(example.code());
        String className;
        String source;
        int linesBefore;
        if (example.declaresAClass()) {
            Matcher declared = TOP_LEVEL_CLASS.matcher(code);
            declared.find();
            className = declared.group(1);
            source = code;
            linesBefore = 0;
        } else {
            className = example.page().replaceAll("\\W", "_") + "_" + example.firstLine();
            source = FRAGMENT.formatted(className, code);
            linesBefore = FRAGMENT_LINES_BEFORE;
        }
        try {
            Path dir = Files.createDirectories(classes.resolve(className + "-" + example.firstLine()));
            Path file = Files.writeString(dir.resolve(className + ".java"), source);
            var diagnostics = new DiagnosticCollector<JavaFileObject>();
            List<String> options = List.of("--release", "21", "-proc:none", "-implicit:none",
                    "--class-path", EXAMPLE_CLASS_PATH, "-d", dir.toString());
            boolean compiled = JAVAC.getTask(null, FILES, diagnostics, options, null, FILES.getJavaFileObjects(file)).call();
            if (!compiled) {
                fail(errors(example, linesBefore, diagnostics.getDiagnostics()));
            }
            var loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, DocsExamplesTest.class.getClassLoader());
            LOADERS.add(loader);
            return loader.loadClass(className);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(example + " compiled, but its class " + className + " is missing", e);
        }
    }

    /** The two adaptations described in the class comment, each within its line. */
    private static String adapted(String code) {
        return FIXED_PORT_START.matcher(code).replaceAll("io.echowall.docs.DocsExamplesTest.started($1.start(0))");
    }

    /** The compiler's errors, each at its line of the page. */
    private static String errors(Example example, int linesBefore, List<Diagnostic<? extends JavaFileObject>> diagnostics) {
        var text = new StringBuilder("the example at " + example + " does not compile:");
        long codeLines = example.code().lines().count();
        for (var d : diagnostics) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            long line = d.getLineNumber() - linesBefore;
            String where = line >= 1 && line <= codeLines
                    ? example.page() + ":" + (example.firstLine() + line - 1)
                    : "the test's wrapper, line " + d.getLineNumber();
            text.append("\n  ").append(where).append(": ").append(d.getMessage(Locale.ROOT));
        }
        return text.toString();
    }

    /** The directory (or jar) {@code type} was loaded from. */
    private static String classesOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The checkout's root: the nearest directory up from this module that holds README.md and docs/. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("docs"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no README.md and docs/ above " + Path.of("").toAbsolutePath());
    }
}
