package io.echowall.websocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HandshakeTest {

    private final Map<String, List<String>> headers = new HashMap<>();

    HandshakeTest() {
        set("Host", "127.0.0.1:5000");
        set("Upgrade", "websocket");
        set("Connection", "keep-alive, Upgrade");
        set("Sec-WebSocket-Version", "13");
        set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
    }

    private void set(String name, String... values) {
        headers.put(name.toLowerCase(Locale.ROOT), new ArrayList<>(List.of(values)));
    }

    private Handshake.Refusal check(List<String> allowedOrigins) {
        return Handshake.check(true, name -> headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of()),
                allowedOrigins);
    }

    private Handshake.Refusal check() {
        return check(List.of());
    }

    @Test
    void aStandardRequestGoesOn() {
        assertThat(check()).isNull();
    }

    @Test
    void http10IsRefused() {
        assertThat(Handshake.check(false, name -> List.of(), List.of()).status()).isEqualTo(400);
    }

    @Test
    void withoutConnectionUpgradeItIsRefused() {
        set("Connection", "keep-alive");
        assertThat(check().status()).isEqualTo(400);
    }

    @Test
    void anotherVersionGets426NamingOurs() {
        set("Sec-WebSocket-Version", "8");
        Handshake.Refusal refusal = check();
        assertThat(refusal.status()).isEqualTo(426);
        assertThat(refusal.namesVersion()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "short", "dGhlIHNhbXBsZSBub25jZQ", "dGhlIHNhbXBsZSBub25jZQ=!", "AAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void aKeyThatIsNotSixteenBytesOfBase64IsRefused(String key) {
        set("Sec-WebSocket-Key", key);
        assertThat(check().status()).isEqualTo(400);
    }

    @Test
    void twoKeysAreRefused() {
        set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==", "dGhlIHNhbXBsZSBub25jZQ==");
        assertThat(check().status()).isEqualTo(400);
    }

    @Test
    void theServersOwnOriginAndAllowedOnesMayConnect() {
        set("Origin", "http://127.0.0.1:5000");
        assertThat(check()).isNull();
        set("Origin", "https://app.example");
        assertThat(check().status()).isEqualTo(403);
        assertThat(check(List.of("https://app.example/"))).isNull();
        assertThat(check(List.of("*"))).isNull();
    }

    @Test
    void aHostWithoutAPortMatchesTheDefaultPortOfTheOriginsScheme() {
        set("Host", "example.com"); // behind a proxy that ends TLS, the Host names no port
        set("Origin", "https://example.com");
        assertThat(check()).isNull();
        set("Host", "example.com:8080");
        assertThat(check().status()).isEqualTo(403);
    }

    @Test
    void twoOriginsAreRefusedEvenWhenTheyAgree() {
        set("Origin", "http://127.0.0.1:5000", "http://127.0.0.1:5000");
        assertThat(check().status()).isEqualTo(400);
    }

    @Test
    void theNullOriginIsRefused() {
        set("Origin", "null");
        assertThat(check().status()).isEqualTo(403);
    }

    @Test
    void theEndpointsFirstSubprotocolThatTheClientOfferedIsAgreed() {
        assertThat(Handshake.selectSubprotocol(List.of("b, a", "c"), List.of("a", "b"))).isEqualTo("a");
        assertThat(Handshake.selectSubprotocol(List.of("x"), List.of("a"))).isNull();
        assertThat(Handshake.selectSubprotocol(List.of(), List.of("a"))).isNull();
    }
}
