package io.echowall.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import javax.lang.model.SourceVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code echowall new DIR}: creates a project that builds and passes its test as it is: the echo wall
 * app, its page, a test written with Echowall's test kit, a Maven build that imports the Echowall BOM,
 * and a Dockerfile.
 *
 * <p>The files are made from the templates under {@code starter/} beside this class, where
 * {@code {{name}}} stands for the project's {@code groupId}, {@code artifactId}, {@code package} (and
 * {@code packagePath}, its folders), or a version this build of Echowall was made with
 * ({@code starter.properties}). The page is the demo's, copied as it is: it is a Pebble template.
 */
@Command(name = "new", mixinStandardHelpOptions = true,
        description = "Create a project: the echo wall app, its test, a Dockerfile.")
final class NewProject implements Callable<Integer> {

    /** Each file of a new project, by its path ({@code {{packagePath}}} in it), and the resource it is made from. */
    private static final Map<String, String> FILES = files(
            "pom.xml", "starter/pom.xml",
            "README.md", "starter/README.md",
            ".gitignore", "starter/gitignore",     // dot files would be left out of this jar by Maven
            "Dockerfile", "starter/Dockerfile",
            ".dockerignore", "starter/dockerignore",
            "src/main/java/{{packagePath}}/Main.java", "starter/Main.java",
            "src/main/resources/logback.xml", "starter/logback.xml",
            "src/test/java/{{packagePath}}/MainTest.java", "starter/MainTest.java");

    /** The echo wall's page, from echowall-demo: the same page as {@code echowall serve}'s. */
    private static final String PAGE = "src/main/resources/templates/index.html";
    private static final String DEMO_PAGE = "/templates/index.html";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([\\w.-]+)}}");
    /** What Maven accepts in an artifact id. */
    private static final Pattern ARTIFACT_ID = Pattern.compile("[A-Za-z0-9_.-]+");

    @Parameters(paramLabel = "DIR", description = "The directory to create; if it exists, it must be empty.")
    Path directory;

    @Option(names = "--group-id", paramLabel = "ID", defaultValue = "com.example",
            description = "The project's Maven group id (default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(names = "--artifact-id", paramLabel = "ID", description = "The project's Maven artifact id (default: the directory's name).")
    String artifactId;

    @Option(names = "--package", paramLabel = "NAME",
            description = "The app's Java package (default: the group id, a dot, and the artifact id without "
                    + "punctuation, in lower case).")
    String packageName;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Path dir = directory.toAbsolutePath().normalize();
        String artifact = artifactId != null ? artifactId : String.valueOf(dir.getFileName());
        if (!ARTIFACT_ID.matcher(artifact).matches()) {
            err.println("echowall new: '" + artifact + "' cannot be an artifact id (letters, digits, '.', '_' "
                    + "and '-' only); give one with --artifact-id");
            return 2;
        }
        String pkg = packageName != null ? packageName
                : groupId + "." + artifact.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (!SourceVersion.isName(pkg, SourceVersion.RELEASE_21)) {
            err.println("echowall new: '" + pkg + "' cannot be a Java package; give one with --package");
            return 2;
        }
        if (Files.exists(dir) && (!Files.isDirectory(dir) || !isEmpty(dir))) {
            err.println("echowall new: " + directory + " already exists and is not an empty directory");
            return 2;
        }

        Map<String, String> values = new HashMap<>(versions());
        values.put("groupId", groupId);
        values.put("artifactId", artifact);
        values.put("package", pkg);
        values.put("packagePath", pkg.replace('.', '/'));
        for (var file : FILES.entrySet()) {
            write(dir.resolve(substituted(file.getKey(), values, file.getKey())),
                    substituted(read(file.getValue()), values, file.getValue()));
        }
        write(dir.resolve(PAGE), read(DEMO_PAGE));

        PrintWriter out = spec.commandLine().getOut();
        out.println("Created " + directory + ": the echo wall (" + pkg + ".Main), its page, a test, a Maven build "
                + "and a Dockerfile. Next:");
        out.println("  cd " + directory);
        out.println("  mvn verify                     # builds target/" + artifact + ".jar and runs the test");
        out.println("  java -jar target/" + artifact + ".jar   # serves http://127.0.0.1:5000/");
        out.println("Until Echowall is published, `./echowall install` in Echowall's checkout puts it in your "
                + "local Maven repository.");
        return 0;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /** The versions this build was made with, for the new project's build. */
    private static Map<String, String> versions() throws IOException {
        var properties = new Properties();
        try (InputStream in = resource("starter.properties")) {
            properties.load(in);
        }
        Map<String, String> versions = new HashMap<>();
        properties.forEach((name, value) -> versions.put((String) name, (String) value));
        return versions;
    }

    /** {@code text} with each {@code {{name}}} replaced by its value; a name without one is a bug in the templates. */
    static String substituted(String text, Map<String, String> values, String source) {
        Matcher m = PLACEHOLDER.matcher(text);
        var result = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException(source + " names {{" + m.group(1) + "}}, which has no value");
            }
            m.appendReplacement(result, Matcher.quoteReplacement(value));
        }
        return m.appendTail(result).toString();
    }

    private static String read(String name) {
        try (InputStream in = resource(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + " from the command line's jar", e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = NewProject.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is missing from the command line's jar");
        }
        return in;
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static Map<String, String> files(String... pathsAndResources) {
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndResources.length; i += 2) {
            files.put(pathsAndResources[i], pathsAndResources[i + 1]);
        }
        return files;
    }
}
