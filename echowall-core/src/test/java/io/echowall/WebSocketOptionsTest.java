package io.echowall;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebSocketOptionsTest {

    @Test
    void subprotocolsAreTokensOrTheOptionsAreRefusedWhereTheyAreMade() {
        assertThat(WebSocketOptions.defaults().withSubprotocols("graphql-transport-ws", "v1.chat").subprotocols())
                .containsExactly("graphql-transport-ws", "v1.chat");
        for (String bad : new String[] {"", "chat v2", "chat,v2", "chat\r\nSet-Cookie: a=b", "chät"}) {
            assertThatThrownBy(() -> WebSocketOptions.defaults().withSubprotocols(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("HTTP token");
        }
    }

    @Test
    void negativeRatesAreRefused() {
        assertThatThrownBy(() -> WebSocketOptions.defaults().withRateLimit(-1, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
