package io.echowall.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Extension header parsing and the permessage-deflate rules of RFC 7692 sections 5 and 7.1. */
@Timeout(60)
class NegotiationTest {

    @Test
    void parsesListsParametersAndQuotedValues() {
        var parsed = Extension.parseAll("permessage-deflate ; client_max_window_bits ,x-foo; a=\"1\\\"0\";B=2");
        assertThat(parsed).containsExactly(
                new Extension("permessage-deflate", List.of(new Extension.Param("client_max_window_bits", null))),
                new Extension("x-foo", List.of(new Extension.Param("a", "1\"0"), new Extension.Param("b", "2"))));
        assertThatThrownBy(() -> Extension.parseAll("permessage-deflate; =1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Extension.parseAll("a; b=\"open")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsValidOffers() {
        assertThat(offer("permessage-deflate; server_no_context_takeover; client_max_window_bits; server_max_window_bits=10"))
                .isEqualTo(new DeflateOffer(true, false, 10, true, null));
        assertThat(offer("permessage-deflate; client_max_window_bits=\"9\"; client_no_context_takeover"))
                .isEqualTo(new DeflateOffer(false, true, null, true, 9));
    }

    @ParameterizedTest
    @ValueSource(strings = {"permessage-deflate; foo", "permessage-deflate; server_max_window_bits=7",
        "permessage-deflate; server_max_window_bits=16", "permessage-deflate; server_max_window_bits",
        "permessage-deflate; server_max_window_bits=010", "permessage-deflate; client_max_window_bits=abc",
        "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
        "permessage-deflate; client_no_context_takeover=1"})
    void declinesInvalidOffers(String header) {
        assertThatThrownBy(() -> offer(header)).isInstanceOf(IllegalArgumentException.class);
    }

    private static DeflateOffer offer(String header) {
        return DeflateOffer.parse(Extension.parseAll(header).get(0));
    }

    private static DeflateAgreement agree(String response, String offers) throws ServerViolation {
        return DeflateAgreement.fromResponse(Extension.parseAll(response).get(0), Extension.parseAll(offers));
    }

    @Test
    void acceptsConformingAnswers() throws Exception {
        assertThat(agree("permessage-deflate", "permessage-deflate")).isEqualTo(new DeflateAgreement(false, false, 15, 15));
        assertThat(agree("permessage-deflate; server_no_context_takeover; server_max_window_bits=9",
                "permessage-deflate; server_no_context_takeover; server_max_window_bits=10"))
                .isEqualTo(new DeflateAgreement(true, false, 9, 15));
        assertThat(agree("permessage-deflate", "permessage-deflate; client_max_window_bits=10; client_no_context_takeover"))
                .as("the client's own hints bind it").isEqualTo(new DeflateAgreement(false, true, 15, 10));
        assertThat(agree("permessage-deflate; client_max_window_bits=12", "permessage-deflate; client_max_window_bits"))
                .isEqualTo(new DeflateAgreement(false, false, 15, 12));
        assertThat(agree("permessage-deflate", "permessage-deflate; foo, permessage-deflate"))
                .as("the valid second offer").isEqualTo(new DeflateAgreement(false, false, 15, 15));
    }

    @Test
    void rejectsAnswersAClientMustFail() {
        assertThatThrownBy(() -> agree("permessage-deflate", "permessage-deflate; server_no_context_takeover"))
                .isInstanceOf(ServerViolation.class).hasMessageContaining("7.1.1.1");
        assertThatThrownBy(() -> agree("permessage-deflate; server_max_window_bits=11", "permessage-deflate; server_max_window_bits=10"))
                .isInstanceOf(ServerViolation.class).hasMessageContaining("7.1.2.1");
        assertThatThrownBy(() -> agree("permessage-deflate; client_max_window_bits=10", "permessage-deflate"))
                .isInstanceOf(ServerViolation.class).hasMessageContaining("MUST NOT include");
        assertThatThrownBy(() -> agree("permessage-deflate; client_max_window_bits", "permessage-deflate; client_max_window_bits"))
                .isInstanceOf(ServerViolation.class).hasMessageContaining("invalid");
        assertThatThrownBy(() -> agree("permessage-deflate", "permessage-deflate; server_max_window_bits=16"))
                .isInstanceOf(ServerViolation.class).hasMessageContaining("accepts no valid offer");
    }
}
