package io.echowall.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code ./echowall} launcher: its help lists every command it handles itself (the command line's
 * own are listed by picocli, see {@link MainTest}), and it runs a JDK 21+ when {@code JAVA_HOME}
 * names something else.
 */
@Timeout(120)
class LauncherTest {

    private static final Path ROOT = repositoryRoot();
    private static final Path LAUNCHER = ROOT.resolve("echowall");

    @TempDir
    Path dir;

    @Test
    void theHelpListsEveryCommandTheLauncherHandles() throws IOException {
        String script = Files.readString(LAUNCHER, StandardCharsets.UTF_8);

        List<String> handled = new ArrayList<>();
        Matcher caseLabel = Pattern.compile("(?m)^  ([a-z]+)\\)$").matcher(script);
        while (caseLabel.find()) {
            handled.add(caseLabel.group(1));
        }
        // The help prints the header's block "Launcher commands:", one command a line.
        String header = script.substring(script.indexOf("# Launcher commands:\n"), script.indexOf("\n#\n", script.indexOf("# Launcher commands:")));
        List<String> listed = new ArrayList<>();
        Matcher listedCommand = Pattern.compile("(?m)^#   ([a-z]+) ").matcher(header);
        while (listedCommand.find()) {
            listed.add(listedCommand.group(1));
        }

        handled.remove("help"); // the command line's help, through the launcher
        assertThat(listed).containsExactlyInAnyOrderElementsOf(handled)
                .contains("demo", "test", "install", "release", "java", "mvn");
    }

    @Test
    void javaRunsAJdk21OrNewerWhenJavaHomeIsNotOne() throws IOException, InterruptedException {
        Path notAJdk = Files.createDirectory(dir.resolve("old-jdk"));
        Path output = dir.resolve("output");
        var launcher = new ProcessBuilder(LAUNCHER.toString(), "java", "-XshowSettings:properties", "-version")
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        launcher.environment().put("JAVA_HOME", notAJdk.toString());
        // This JVM's JDK among the places the launcher looks: javac on the PATH.
        launcher.environment().merge("PATH", Path.of(System.getProperty("java.home"), "bin").toString(),
                (path, jdk) -> jdk + File.pathSeparator + path);
        Process process = launcher.start();
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the launcher ends").isTrue();
        } finally {
            process.destroyForcibly();
        }

        String said = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(said).isZero();
        assertThat(said).contains("JAVA_HOME (" + notAJdk + ") is not a JDK 21 or newer");
        Matcher version = Pattern.compile("java\\.specification\\.version = (\\d+)").matcher(said);
        assertThat(version.find()).as(said).isTrue();
        assertThat(Integer.parseInt(version.group(1))).isGreaterThanOrEqualTo(21);
    }

    private static Path repositoryRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("echowall")) && Files.isDirectory(d.resolve("docs"))) {
                return d;
            }
        }
        throw new IllegalStateException("no echowall launcher and docs/ above " + Path.of("").toAbsolutePath());
    }
}
