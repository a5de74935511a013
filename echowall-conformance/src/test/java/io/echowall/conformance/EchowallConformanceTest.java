package io.echowall.conformance;

import io.echowall.Echowall;
import io.echowall.demo.EchoWall;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole conformance suite against the echo wall demo, in each handler style, with
 * permessage-deflate on and off. Every case must PASS; without deflate the deflate families can only
 * be UNSUPPORTED. Reports land in {@code target/conformance/<style>-deflate-<on|off>/}.
 */
@Timeout(300)
class EchowallConformanceTest {

    static Stream<Arguments> configurations() {
        List<Arguments> all = new ArrayList<>();
        for (EchoWall.Style style : EchoWall.Style.values()) {
            all.add(Arguments.of(style, true));
            all.add(Arguments.of(style, false));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}, permessage-deflate {1}")
    @MethodSource("configurations")
    void everyCasePassesStrictly(EchoWall.Style style, boolean deflate) throws Exception {
        try (Echowall app = EchoWall.create(style, c -> c.withHost("127.0.0.1").withPermessageDeflate(deflate))) {
            app.start(0);
            URI target = URI.create("ws://127.0.0.1:" + app.port() + "/foobar/");
            Report report = ConformanceSuite.run(target, Options.defaults());
            Path dir = Path.of("target", "conformance",
                    style.name().toLowerCase().replace('_', '-') + "-deflate-" + (deflate ? "on" : "off"));
            report.writeTo(dir);
            System.out.println(report.summary());

            List<String> notPassed = report.results().stream()
                    .filter(r -> r.outcome() != Outcome.PASS)
                    .filter(r -> deflate || !(r.outcome() == Outcome.UNSUPPORTED && isDeflateCase(r.id())))
                    .map(r -> r.id() + " " + r.outcome() + ": " + r.reason())
                    .toList();
            assertThat(notPassed).as(report.summary()).isEmpty();
            assertThat(report.counts().total()).isGreaterThanOrEqualTo(400);
        }
    }

    private static boolean isDeflateCase(String id) {
        return id.startsWith("12.") || id.startsWith("13.");
    }
}
