package io.echowall;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Only {@code io.echowall.internal} talks to Netty: the API, the sans-I/O protocol core
 * ({@code websocket}, {@code rooms}), the HTTP rules ({@code http}) and the meters stay plain Java, so
 * they can be read and tested without it (docs/reference/api.md).
 */
class PackageBoundariesTest {

    private static final Path SOURCES = Path.of("src/main/java/io/echowall");

    @Test
    void noSourceOutsideTheInternalPackageImportsNetty() throws IOException {
        assertThat(SOURCES).as("run from echowall-core's directory, as Maven does").isDirectory();
        List<String> offenders;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            offenders = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !SOURCES.relativize(f).startsWith("internal"))
                    .filter(PackageBoundariesTest::importsNetty)
                    .map(f -> SOURCES.relativize(f).toString())
                    .sorted()
                    .toList();
        }
        assertThat(offenders).as("sources outside internal/ that import io.netty").isEmpty();
    }

    private static boolean importsNetty(Path source) {
        try (Stream<String> lines = Files.lines(source)) {
            return lines.anyMatch(line -> line.startsWith("import io.netty.") || line.startsWith("import static io.netty."));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
