package io.echowall.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.echowall.conformance.FixtureServer.Config;
import io.echowall.conformance.FixtureServer.Flaw;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proves the cases judge correctly: every case passes against the strict fixture, and each flaw switched on in
 * the fixture turns exactly the cases that check its rule into FAIL or NON_STRICT, leaving the rest passing.
 */
@Timeout(300)
class SuiteAgainstFixtureTest {

    /** Short waits: the fixture answers in milliseconds, and flawed runs spend most time waiting for silence. */
    private static final Options FLAWED_RUN = Options.defaults()
            .withCaseTimeout(Duration.ofMillis(1000))
            .withFailFastWindow(Duration.ofMillis(300));

    @Test
    void everyCasePassesAgainstTheStrictFixture() throws Exception {
        try (var server = FixtureServer.start(Config.strict())) {
            Report report = ConformanceSuite.run(server.uri(), Options.defaults());

            assertThat(report.results()).hasSize(ConformanceSuite.cases(Options.defaults()).size());
            assertThat(report.withOutcome(Outcome.PASS)).as(report.summary() + "\n" + notPassing(report))
                    .hasSize(report.counts().total());
        }
    }

    @Test
    void compressionCasesAreUnsupportedWhenTheServerDoesNotOfferDeflate() throws Exception {
        try (var server = FixtureServer.start(Config.strict().withoutDeflate())) {
            Report report = ConformanceSuite.run(server.uri(), FLAWED_RUN.withCases("12.*", "13.*", "1.1.1"));

            assertOutcomes(report, Map.of("12.*", Outcome.UNSUPPORTED, "13.*", Outcome.UNSUPPORTED));
        }
    }

    @Test
    void aServerThatStopsAcceptingFailsTheCaseThatBrokeIt() throws Exception {
        try (var server = FixtureServer.start(Config.strict().with(Flaw.DIE_AFTER_PROTOCOL_ERROR))) {
            Report report = ConformanceSuite.run(server.uri(), FLAWED_RUN.withCases("4.1.1"));

            assertThat(report.result("4.1.1")).hasValueSatisfying(result -> {
                assertThat(result.outcome()).isEqualTo(Outcome.FAIL);
                assertThat(result.reason()).contains("no longer accepts a connection");
            });
        }
    }

    @Test
    void aServerThatKeepsTcpOpenAfterClosingFails() throws Exception {
        try (var server = FixtureServer.start(Config.strict().with(Flaw.KEEP_TCP_OPEN))) {
            Report report = ConformanceSuite.run(server.uri(), FLAWED_RUN.withCases("7.1.1", "3.1.1"));

            assertThat(report.results()).hasSize(2).allSatisfy(result -> {
                assertThat(result.outcome()).isEqualTo(Outcome.FAIL);
                assertThat(result.reason()).contains("did not close the TCP connection");
            });
        }
    }

    static Stream<Arguments> flaws() {
        return Stream.of(
                flaw(Flaw.LENIENT_HANDSHAKE, "0.*", "0.2.*", Outcome.FAIL, "0.3.*", Outcome.FAIL, "0.4.*", Outcome.FAIL,
                        "0.5.*", Outcome.FAIL, "0.6.*", Outcome.FAIL),
                flaw(Flaw.VERSION_WITHOUT_426, "0.3.*", "0.3.2", Outcome.FAIL, "0.3.3", Outcome.FAIL, "0.3.4", Outcome.FAIL,
                        "0.3.5", Outcome.FAIL),
                flaw(Flaw.ACCEPT_UNMASKED, "0.7.*", "0.7.1", Outcome.FAIL, "0.7.2", Outcome.FAIL, "0.7.3", Outcome.FAIL,
                        "0.7.4", Outcome.FAIL),
                flaw(Flaw.ACCEPT_RESERVED_BITS, "3.*,12.7.*", "3.*", Outcome.FAIL, "12.7.1", Outcome.FAIL,
                        "12.7.2", Outcome.FAIL, "12.7.3", Outcome.FAIL),
                flaw(Flaw.IGNORE_RESERVED_OPCODES, "4.*", "4.*", Outcome.FAIL),
                flaw(Flaw.LENIENT_CONTROL_FRAMES, "2.*,5.2*,7.3.*", "2.5", Outcome.FAIL, "2.9", Outcome.FAIL,
                        "5.21", Outcome.FAIL, "5.22", Outcome.FAIL, "5.23", Outcome.FAIL, "5.24", Outcome.FAIL,
                        "5.25", Outcome.FAIL, "7.3.2", Outcome.FAIL),
                flaw(Flaw.LENIENT_FRAGMENTATION, "5.*", "5.15", Outcome.FAIL, "5.16", Outcome.FAIL, "5.17", Outcome.FAIL,
                        "5.18", Outcome.FAIL, "5.19", Outcome.FAIL, "5.20", Outcome.FAIL),
                flaw(Flaw.SKIP_UTF8_VALIDATION, "6.*,12.7.5", "6.3.*", Outcome.FAIL, "6.4.*", Outcome.FAIL,
                        "12.7.5", Outcome.FAIL),
                flaw(Flaw.UTF8_AT_FRAME_END, "6.3.*,6.4.*", "6.3.*.3", Outcome.NON_STRICT),
                flaw(Flaw.UTF8_AT_MESSAGE_END, "6.3.*,6.4.*", "6.3.*.3", Outcome.NON_STRICT, "6.3.*.4", Outcome.NON_STRICT),
                flaw(Flaw.ACCEPT_ANY_CLOSE_CODE, "7.*", "7.5.*", Outcome.FAIL, "7.9.*", Outcome.FAIL),
                flaw(Flaw.NO_CLOSE_ECHO, "7.1.*,7.7.*,2.11", "*", Outcome.FAIL),
                flaw(Flaw.CLOSE_ECHO_ALWAYS_1000, "7.1.*,7.7.*", everyValidCodeBut1000()),
                flaw(Flaw.DROP_ON_ERROR, "3.*,4.*", "*", Outcome.NON_STRICT),
                flaw(Flaw.WRONG_ERROR_CODE, "3.*,12.7.4", "3.*", Outcome.FAIL, "12.7.4", Outcome.NON_STRICT),
                flaw(Flaw.NO_PONG, "2.*,5.1*", "2.1", Outcome.FAIL, "2.2", Outcome.FAIL, "2.3", Outcome.FAIL,
                        "2.4", Outcome.FAIL, "2.6", Outcome.FAIL, "2.10", Outcome.FAIL, "2.11", Outcome.FAIL,
                        "5.10", Outcome.FAIL, "5.11", Outcome.FAIL, "5.13", Outcome.FAIL, "5.14", Outcome.FAIL),
                flaw(Flaw.NO_SIZE_LIMIT, "9.*,12.7.6", "9.1.2", Outcome.FAIL, "9.2.2", Outcome.FAIL, "9.3.2", Outcome.FAIL,
                        "9.4.2", Outcome.FAIL, "9.4.3", Outcome.FAIL, "12.7.6", Outcome.FAIL),
                flaw(Flaw.ACCEPT_BAD_DEFLATE_OFFERS, "13.2.*", "*", Outcome.FAIL),
                // With a window below 15 the fixture's compressor full-flushes, so 13.1.14 keeps no context anyway.
                flaw(Flaw.IGNORE_SERVER_NO_CONTEXT_TAKEOVER, "13.1.*,12.5.*", "13.1.2", Outcome.FAIL, "13.1.4", Outcome.FAIL,
                        "12.5.*", Outcome.FAIL));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flaws")
    void eachFlawTurnsExactlyItsCasesRed(Flaw flaw, String cases, Map<String, Outcome> expected) throws Exception {
        try (var server = FixtureServer.start(Config.strict().with(flaw))) {
            Report report = ConformanceSuite.run(server.uri(), FLAWED_RUN.withCases(cases.split(",")));

            assertOutcomes(report, expected);
        }
    }

    private static Arguments flaw(Flaw flaw, String cases, Object... patternsAndOutcomes) {
        var expected = new LinkedHashMap<String, Outcome>();
        for (int i = 0; i < patternsAndOutcomes.length; i += 2) {
            expected.put((String) patternsAndOutcomes[i], (Outcome) patternsAndOutcomes[i + 1]);
        }
        return Arguments.of(flaw, cases, expected);
    }

    private static Object[] everyValidCodeBut1000() {
        return IntStream.rangeClosed(2, 16).boxed()
                .flatMap(i -> Stream.of("7.7." + i, Outcome.NON_STRICT)).toArray();
    }

    /** Each case must have the outcome of the first pattern matching its id, or PASS when none does. */
    private static void assertOutcomes(Report report, Map<String, Outcome> expected) {
        assertThat(report.results()).isNotEmpty();
        var wrong = new ArrayList<String>();
        for (CaseResult result : report.results()) {
            Outcome wanted = expected.entrySet().stream()
                    .filter(e -> Options.defaults().withCases(e.getKey()).selects(result.id()))
                    .map(Map.Entry::getValue).findFirst().orElse(Outcome.PASS);
            if (result.outcome() != wanted) {
                wrong.add(result.id() + " expected " + wanted + " but was " + result.outcome() + ": " + result.reason());
            }
        }
        for (String pattern : expected.keySet()) {
            assertThat(report.results()).as("cases matching " + pattern)
                    .anyMatch(r -> Options.defaults().withCases(pattern).selects(r.id()));
        }
        assertThat(wrong).as(report.summary()).isEmpty();
    }

    private static String notPassing(Report report) {
        List<String> lines = report.results().stream().filter(r -> r.outcome() != Outcome.PASS)
                .map(r -> r.id() + " " + r.outcome() + ": " + r.reason()).toList();
        return String.join("\n", lines);
    }
}
