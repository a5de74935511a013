package io.echowall;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EchowallConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        EchowallConfig c = EchowallConfig.defaults();
        assertThat(c.maxMessageSize()).isEqualTo(1 << 20);
        assertThat(c.maxRequestBodySize()).isEqualTo(1 << 20);
        assertThat(c.permessageDeflate()).isFalse();
        assertThat(c.allowedOrigins()).isEmpty();
        assertThat(c.pingInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.templateDirectory()).isNull();
    }

    @Test
    void withCopiesChangeOneSettingAndLeaveTheOriginal() {
        EchowallConfig base = EchowallConfig.defaults();
        EchowallConfig changed = base.withMaxMessageSize(4 << 20).withPermessageDeflate(true);
        assertThat(changed.maxMessageSize()).isEqualTo(4 << 20);
        assertThat(changed.permessageDeflate()).isTrue();
        assertThat(changed.pingTimeout()).isEqualTo(base.pingTimeout());
        assertThat(base.maxMessageSize()).isEqualTo(1 << 20);
    }

    @Test
    void badSettingsFailAtConstruction() {
        EchowallConfig c = EchowallConfig.defaults();
        assertThatThrownBy(() -> c.withMaxMessageSize(0)).hasMessageContaining("maxMessageSize");
        assertThatThrownBy(() -> c.withPing(Duration.ZERO, Duration.ofSeconds(1))).hasMessageContaining("pingInterval");
        assertThatThrownBy(() -> c.withDeflateParameters(10, 15, 15, false)).hasMessageContaining("deflateLevel");
        assertThatThrownBy(() -> c.withDeflateParameters(6, 16, 15, false)).hasMessageContaining("RFC 7692");
        assertThatThrownBy(() -> c.withSendBufferSize(10)).hasMessageContaining("sendBufferSize");
    }

    @Test
    void closeStatusRejectsReasonsThatDoNotFitAFrame() {
        assertThat(new CloseStatus(1000, "é".repeat(61)).reason()).hasSize(61); // 122 bytes
        assertThatThrownBy(() -> new CloseStatus(1000, "é".repeat(62))).hasMessageContaining("123");
        assertThatThrownBy(() -> new CloseException(1005, "reserved")).isInstanceOf(IllegalArgumentException.class);
        assertThat(CloseCode.isSendable(4999)).isTrue();
        assertThat(CloseCode.isSendable(5000)).isFalse();
    }

    @Test
    void theEchoWallFitsInADozenLines() {
        try (var app = Echowall.create(c -> c.withHost("127.0.0.1"))) {
            app.get("/", ctx -> ctx.text("echo wall"));
            app.ws("/foobar", ws -> {
                for (var message : ws) {
                    ws.send(message);
                }
            });
            app.start(0);
            assertThat(app.port()).isPositive();
            assertThatThrownBy(() -> app.get("/late", ctx -> ctx.text("too late")))
                    .isInstanceOf(IllegalStateException.class);
        }
    }
}
