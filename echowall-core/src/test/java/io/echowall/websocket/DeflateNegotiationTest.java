package io.echowall.websocket;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DeflateNegotiationTest {

    @Test
    void theFirstAcceptableOfferWinsAndBadOnesAreDeclined() {
        Map<String, String> offer = DeflateNegotiation.firstAcceptableOffer(List.of(
                "permessage-deflate; unknown=1, permessage-deflate; client_max_window_bits; server_max_window_bits=\"10\""));
        assertThat(offer).containsEntry("client_max_window_bits", null).containsEntry("server_max_window_bits", "10");
        assertThat(DeflateNegotiation.firstAcceptableOffer(List.of("permessage-deflate; server_max_window_bits=16")))
                .isNull();
        assertThat(DeflateNegotiation.firstAcceptableOffer(List.of("x-webkit-deflate-frame"))).isNull();
    }

    @Test
    void aServerWindowTheClientLimitedIsAlwaysAnswered() {
        Map<String, String> accepted = new LinkedHashMap<>();
        accepted.put("client_max_window_bits", "15");
        assertThat(DeflateNegotiation.response(Map.of("server_max_window_bits", "10"), accepted))
                .isEqualTo("permessage-deflate; client_max_window_bits=15; server_max_window_bits=15");
        assertThat(DeflateNegotiation.response(Map.of("server_max_window_bits", "8"), Map.of()))
                .isEqualTo("permessage-deflate; server_max_window_bits=8");
        assertThat(DeflateNegotiation.response(Map.of(), Map.of("server_no_context_takeover", "x")))
                .isEqualTo("permessage-deflate; server_no_context_takeover=x");
    }

    @Test
    void aTinyServerWindowIsRecognised() {
        assertThat(DeflateNegotiation.wantsTinyWindow(Map.of("server_max_window_bits", "8"))).isTrue();
        assertThat(DeflateNegotiation.wantsTinyWindow(Map.of("server_max_window_bits", "9"))).isFalse();
    }
}
