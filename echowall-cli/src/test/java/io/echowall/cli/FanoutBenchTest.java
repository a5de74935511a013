package io.echowall.cli;

import io.echowall.Echowall;
import io.echowall.demo.EchoWall;
import io.echowall.demo.FanoutRoom;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fan-out pipeline end to end in one JVM: {@code echowall bench fanout} against Echowall's own
 * fan-out endpoint, in each handler style, as {@code run-benchmarks} measures it (as fast as the
 * server delivers, then at a fixed rate). Proves every delivery arrived, in order and intact; says
 * nothing about speed. That the checks catch a server that loses or reorders is proved against a
 * server broken on purpose in echowall-bench's {@code FanoutRunTest}.
 */
@Timeout(60)
class FanoutBenchTest {

    @ParameterizedTest
    @EnumSource(EchoWall.Style.class)
    void everyDeliveryArrivesInOrderInEveryStyle(EchoWall.Style style) {
        Echowall app = EchoWall.create(style, c -> c.withHost("127.0.0.1"));
        FanoutRoom.install(app, style);
        app.start(0);
        try {
            String url = "ws://127.0.0.1:" + app.port() + FanoutRoom.PATH;
            String pid = String.valueOf(ProcessHandle.current().pid());
            for (String[] pacing : new String[][] {{"--in-flight", "8", "--server-pid", pid}, {"--rate", "200"}}) {
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                String[] common = {"bench", "fanout", "--url", url, "--subscribers", "50", "--publishers", "2", "--size", "64",
                        "--text", "--warmup", "200ms", "--duration", "500ms", "--no-progress"};
                String[] args = new String[common.length + pacing.length];
                System.arraycopy(common, 0, args, 0, common.length);
                System.arraycopy(pacing, 0, args, common.length, pacing.length);
                int exitCode = new CommandLine(Main.class)
                        .setOut(new PrintWriter(out, true))
                        .setErr(new PrintWriter(err, true))
                        .execute(args);

                assertThat(exitCode).as("%s %s%n%s%s", style, String.join(" ", pacing), out, err).isZero();
                String result = out.toString().lines().filter(line -> line.startsWith("RESULT ")).findFirst().orElseThrow();
                assertThat(result).contains("\"subscribers\":50", "\"passed\":true", "\"total\":0");
                assertThat(result).doesNotContain("\"published\":0,");
            }
        } finally {
            app.stop();
        }
    }
}
