package io.echowall.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The list of cases itself, and how options select from it. */
@Timeout(60)
class CatalogueTest {

    private final List<ConformanceCase> cases = ConformanceSuite.cases(Options.defaults());

    @Test
    void holdsRoughlyFourHundredCasesInEveryFamily() {
        assertThat(cases).hasSizeBetween(250, 410);
        assertThat(cases).extracting(ConformanceCase::family).containsAll(Arrays.asList(Family.values()));
    }

    @Test
    void idsAreNumericDottedUniqueAndInOrder() {
        assertThat(cases).allSatisfy(c -> {
            assertThat(c.id()).matches("\\d+(\\.\\d+)+").startsWith(c.family().number() + ".");
            assertThat(c.description()).isNotBlank();
        });
        assertThat(cases).extracting(ConformanceCase::id).doesNotHaveDuplicates()
                .isSortedAccordingTo(ConformanceSuite::compareIds);
        assertThat(ConformanceSuite.compareIds("6.3.2.1", "6.3.10.1")).isNegative();
    }

    @Test
    void selectsCasesByGlob() {
        Options options = Options.defaults().withCases("6.*", "7.1.1");
        assertThat(options.selects("6.3.1.4")).isTrue();
        assertThat(options.selects("7.1.1")).isTrue();
        assertThat(options.selects("7.1.10")).isFalse();
        assertThat(options.selects("16.1")).isFalse();
        assertThat(Options.defaults().selects("anything")).isTrue();
    }

    @Test
    void theLargeMessageSizesShapeTheLimitsFamily() {
        var sized = ConformanceSuite.cases(Options.defaults().withMessageSizes(List.of(1 << 10, 1 << 20, 8 << 20)));
        assertThat(sized).filteredOn(c -> c.id().startsWith("9.1.")).hasSize(3);
        assertThat(sized).filteredOn(c -> c.id().equals("9.1.3")).singleElement()
                .satisfies(c -> assertThat(c.description()).contains("8 MiB", "close 1009"));
    }

    @Test
    void rejectsNonsenseOptions() {
        assertThatThrownBy(() -> Options.defaults().withCaseTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Options.defaults().withConcurrency(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Options.defaults().withMessageSizes(List.of(0))).isInstanceOf(IllegalArgumentException.class);
    }
}
