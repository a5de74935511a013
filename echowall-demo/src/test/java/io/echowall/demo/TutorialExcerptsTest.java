package io.echowall.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat tutorial, {@code docs/tutorial/chat.md}, quotes the demo's pages, so each of its {@code ```js}
 * blocks must be found, line for line and with its indentation, in the chat or the live page: the
 * tutorial cannot drift from the pages the browser tests drive. (Its {@code ```java} blocks are
 * compiled and run by echowall-testing's {@code DocsExamplesTest}, as every page's are.)
 */
@Timeout(30)
class TutorialExcerptsTest {

    private static final Path ROOT = repositoryRoot();
    private static final Path TUTORIAL = ROOT.resolve("docs/tutorial/chat.md");
    private static final Path DEMO = ROOT.resolve("echowall-demo/src/main");

    @Test
    void everyJavaScriptBlockIsInTheDemosPages() throws IOException {
        assertEachIsIn(blocks("js"), 2, DEMO.resolve("resources/templates/chat.html"),
                DEMO.resolve("resources/templates/live.html"));
    }

    private static void assertEachIsIn(List<String> blocks, int atLeast, Path... sources) throws IOException {
        assertThat(blocks).as("excerpts in " + TUTORIAL).hasSizeGreaterThanOrEqualTo(atLeast);
        List<String> texts = new ArrayList<>();
        for (Path source : sources) {
            texts.add("\n" + Files.readString(source, StandardCharsets.UTF_8));
        }
        for (String block : blocks) {
            assertThat(texts).as("the excerpt\n%s\nin %s", block, List.of(sources))
                    .anyMatch(text -> text.contains("\n" + block + "\n"));
        }
    }

    /** The blocks of the tutorial fenced as {@code ```language}, without their fences. */
    private static List<String> blocks(String language) throws IOException {
        List<String> lines = Files.readAllLines(TUTORIAL, StandardCharsets.UTF_8);
        List<String> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals("```" + language)) {
                int end = i + 1;
                while (!lines.get(end).strip().equals("```")) {
                    end++;
                }
                blocks.add(String.join("\n", lines.subList(i + 1, end)));
                i = end;
            }
        }
        return blocks;
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
