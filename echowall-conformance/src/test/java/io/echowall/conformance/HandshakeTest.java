package io.echowall.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class HandshakeTest {

    private final HandshakeRequest request = HandshakeRequest.standard(URI.create("ws://127.0.0.1:5000/foobar/?x=1"));

    @Test
    void computesTheAcceptOfRfc6455Section1_3() {
        assertThat(Handshake.acceptFor("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @Test
    void buildsAConformingRequest() {
        String text = new String(request.toBytes(), StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("GET /foobar/?x=1 HTTP/1.1\r\nHost: 127.0.0.1:5000\r\n").endsWith("\r\n\r\n")
                .contains("Upgrade: websocket\r\n", "Connection: Upgrade\r\n", "Sec-WebSocket-Version: 13\r\n");
        assertThat(Base64.getDecoder().decode(request.header("Sec-WebSocket-Key"))).hasSize(16);
        assertThat(request.without("host").header("Host")).isNull();
        assertThat(request.adding("Host", "b").headers()).filteredOn(h -> h.name().equals("Host")).hasSize(2);
    }

    @Test
    void parsesAResponseArrivingInPiecesAndKeepsTheBytesAfterIt() throws Exception {
        var parser = new HttpResponseParser();
        byte[] wire = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\u0081\u0000"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(parser.feed(wire, 0, 20)).isNull();
        HttpResponse response = parser.feed(wire, 20, wire.length - 20);
        assertThat(response).isNotNull();
        assertThat(response.status()).isEqualTo(101);
        assertThat(response.hasToken("connection", "upgrade")).isTrue();
        assertThat(response.leftover()).isEqualTo(Bytes.hex("81 00"));
    }

    @Test
    void validatesA101AsAClientMust() throws Exception {
        String accept = Handshake.acceptFor(request.header("Sec-WebSocket-Key"));
        assertThat(Handshake.validate(response("Sec-WebSocket-Accept: " + accept), request)).isNull();
        assertThatThrownBy(() -> Handshake.validate(response("Sec-WebSocket-Accept: wrong"), request))
                .isInstanceOf(ServerViolation.class).hasMessageContaining("Sec-WebSocket-Accept");
        assertThatThrownBy(() -> Handshake.validate(response("Sec-WebSocket-Accept: " + accept
                + "\r\nSec-WebSocket-Protocol: chat"), request)).hasMessageContaining("not offered");
        assertThatThrownBy(() -> Handshake.validate(response("Sec-WebSocket-Accept: " + accept
                + "\r\nSec-WebSocket-Extensions: permessage-deflate"), request)).hasMessageContaining("not offered");
        var offering = request.with("Sec-WebSocket-Extensions", "permessage-deflate");
        String offeringAccept = Handshake.acceptFor(offering.header("Sec-WebSocket-Key"));
        assertThat(Handshake.validate(response("Sec-WebSocket-Accept: " + offeringAccept
                + "\r\nSec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover"), offering))
                .isEqualTo(new DeflateAgreement(true, false, 15, 15));
    }

    private static HttpResponse response(String extraHeaders) throws ServerViolation {
        byte[] head = ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" + extraHeaders + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        return new HttpResponseParser().feed(head, 0, head.length);
    }
}
