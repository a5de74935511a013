package io.echowall.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TargetTest {
    @Test
    void parsesHostPortPathAndQuery() {
        Target target = Target.parse("ws://127.0.0.1:5000/foobar/?room=a");
        assertThat(target.address().getPort()).isEqualTo(5000);
        assertThat(target.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(target.hostHeader()).isEqualTo("127.0.0.1:5000");
        assertThat(target.requestTarget()).isEqualTo("/foobar/?room=a");
        assertThat(Target.parse("ws://127.0.0.1").requestTarget()).isEqualTo("/");
        assertThat(Target.parse("ws://127.0.0.1").address().getPort()).isEqualTo(80);
    }

    @Test
    void addsAQueryParameter() {
        Target plain = Target.parse("ws://127.0.0.1:5000/fanout").withQueryParameter("role", "publisher");
        assertThat(plain.requestTarget()).isEqualTo("/fanout?role=publisher");
        assertThat(plain.url()).isEqualTo("ws://127.0.0.1:5000/fanout?role=publisher");
        Target socketIo = Target.parse("ws://127.0.0.1:5000/socket.io/?EIO=4&transport=websocket").withQueryParameter("role", "publisher");
        assertThat(socketIo.requestTarget()).isEqualTo("/socket.io/?EIO=4&transport=websocket&role=publisher");
    }

    @Test
    void refusesWhatItCannotLoad() {
        assertThatThrownBy(() -> Target.parse("wss://127.0.0.1/")).hasMessageContaining("wss:// is not supported");
        assertThatThrownBy(() -> Target.parse("http://127.0.0.1/")).hasMessageContaining("ws://");
        assertThatThrownBy(() -> SourceAddresses.loopback(2, Target.parse("ws://[::1]:80/")))
                .hasMessageContaining("IPv4 loopback");
    }
}
