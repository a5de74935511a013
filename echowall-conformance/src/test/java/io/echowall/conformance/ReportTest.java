package io.echowall.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ReportTest {

    private final Report report = new Report(URI.create("ws://127.0.0.1:5000/foobar/"), Instant.parse("2025-01-01T00:00:00Z"),
            Duration.ofMillis(1234), List.of(
                    new CaseResult("1.1.1", Family.FRAMING, "text | 0 bytes", Outcome.PASS, "", Duration.ofMillis(3)),
                    new CaseResult("6.3.1.3", Family.UTF8, "fail-fast", Outcome.NON_STRICT, "closed \"late\"\n", Duration.ofMillis(500)),
                    new CaseResult("7.9.1", Family.CLOSE, "close 0", Outcome.FAIL, "expected close 1002", Duration.ofMillis(4)),
                    new CaseResult("12.1.1", Family.DEFLATE_MESSAGES, "compressed", Outcome.UNSUPPORTED, "no deflate", Duration.ZERO)));

    @Test
    void countsAndSummarises() {
        assertThat(report.counts()).isEqualTo(new Counts(4, 1, 1, 1, 1));
        assertThat(report.summary())
                .isEqualTo("conformance ws://127.0.0.1:5000/foobar/: 4 cases, 1 PASS, 1 NON-STRICT, 1 FAIL, 1 UNSUPPORTED");
        assertThat(report.result("7.9.1")).hasValueSatisfying(r -> assertThat(r.outcome()).isEqualTo(Outcome.FAIL));
    }

    @Test
    void rendersOneMarkdownTablePerFamilyWithCellsEscaped() {
        String markdown = report.toMarkdown();
        assertThat(markdown).contains("## 1 Framing", "## 6 UTF-8 handling", "## 7 Close handling", "## 12 permessage-deflate messages")
                .doesNotContain("## 0 Opening handshake")
                .contains("| 1.1.1 | text \\| 0 bytes | PASS |  |")
                .contains("| 6.3.1.3 | fail-fast | NON-STRICT | closed \"late\"  |");
    }

    @Test
    void rendersJsonWithStringsEscaped(@TempDir Path directory) throws Exception {
        String json = report.toJson();
        assertThat(json).contains("\"counts\": {\"total\": 4, \"pass\": 1, \"nonStrict\": 1, \"fail\": 1, \"unsupported\": 1}")
                .contains("\"reason\": \"closed \\\"late\\\"\\n\"")
                .contains("\"outcome\": \"NON-STRICT\"");

        report.writeTo(directory.resolve("nested"));
        assertThat(Files.readString(directory.resolve("nested").resolve(Report.JSON_FILE))).isEqualTo(json);
        assertThat(directory.resolve("nested").resolve(Report.MARKDOWN_FILE)).exists();
    }
}
