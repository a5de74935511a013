package io.echowall.internal;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Address ranges, and the client named by trusted proxies in X-Forwarded-For or Forwarded. */
class ClientAddressTest {

    private static final InetSocketAddress PROXY = new InetSocketAddress(address("10.0.0.2"), 40000);

    private static InetAddress address(String literal) {
        return AddressRange.parseLiteral(literal);
    }

    private static String clientOf(ClientAddress addresses, InetSocketAddress peer, String header, String... values) {
        InetSocketAddress client = addresses.of(peer, name -> Map.of(header.toLowerCase(), List.of(values))
                .getOrDefault(name.toLowerCase(), List.of()));
        return client.getAddress().getHostAddress() + ":" + client.getPort();
    }

    @Test
    void rangesMatchTheirBlockAndMappedAddresses() {
        AddressRange tens = AddressRange.parse("10.0.0.0/8");
        assertThat(tens.contains(address("10.200.3.4"))).isTrue();
        assertThat(tens.contains(address("11.0.0.1"))).isFalse();
        assertThat(tens.contains(address("::ffff:10.1.2.3"))).isTrue();
        assertThat(AddressRange.parse("192.168.1.128/25").contains(address("192.168.1.200"))).isTrue();
        assertThat(AddressRange.parse("192.168.1.128/25").contains(address("192.168.1.100"))).isFalse();
        assertThat(AddressRange.parse("fd00::/8").contains(address("fd12::1"))).isTrue();
        assertThat(AddressRange.parse("fd00::/8").contains(address("10.0.0.1"))).isFalse();
        assertThat(AddressRange.parse("::1").contains(address("::1"))).isTrue();
        assertThat(AddressRange.parse("0.0.0.0/0").contains(address("203.0.113.9"))).isTrue();
    }

    @Test
    void onlyLiteralsAndSensiblePrefixesAreRanges() {
        assertThatThrownBy(() -> AddressRange.parse("proxy.internal"))
                .hasMessage("'proxy.internal' is not an IP address or CIDR block (such as 10.0.0.0/8)");
        assertThatThrownBy(() -> AddressRange.parse("10.0.0.0/33")).hasMessage("'10.0.0.0/33' has a prefix length outside 0-32");
        assertThatThrownBy(() -> new ClientAddress(List.of(), "X-Real-IP"))
                .hasMessage("the forwarding header is X-Forwarded-For or Forwarded, not 'X-Real-IP'");
    }

    @Test
    void theClientIsTheRightmostEntryThatIsNotATrustedProxy() {
        ClientAddress behindTwo = new ClientAddress(List.of("10.0.0.0/8"), "X-Forwarded-For");
        // A client forged the first entry; the outer proxy (10.0.0.7) appended the real client, the inner one the outer.
        assertThat(clientOf(behindTwo, PROXY, "X-Forwarded-For", "6.6.6.6, 203.0.113.9", "10.0.0.7"))
                .isEqualTo("203.0.113.9:0");
        assertThat(clientOf(behindTwo, PROXY, "X-Forwarded-For", "[2001:db8::17]:4711")).isEqualTo("2001:db8:0:0:0:0:0:17:4711");
        assertThat(clientOf(behindTwo, PROXY, "X-Forwarded-For", "10.0.0.9, 10.0.0.8"))
                .as("every hop trusted: the farthest one").isEqualTo("10.0.0.9:0");
        assertThat(clientOf(behindTwo, PROXY, "X-Forwarded-For", "203.0.113.9, garbage"))
                .as("a hop that cannot be read stands for itself: the proxy").isEqualTo("10.0.0.2:40000");
        assertThat(clientOf(behindTwo, PROXY, "X-Forwarded-For")).as("no header").isEqualTo("10.0.0.2:40000");
    }

    @Test
    void aPeerThatIsNotTrustedIsTheClientWhateverItSays() {
        ClientAddress trusting = new ClientAddress(List.of("10.0.0.0/8"), "X-Forwarded-For");
        InetSocketAddress stranger = new InetSocketAddress(address("198.51.100.1"), 5555);
        assertThat(clientOf(trusting, stranger, "X-Forwarded-For", "203.0.113.9")).isEqualTo("198.51.100.1:5555");
        assertThat(clientOf(ClientAddress.DIRECT, PROXY, "X-Forwarded-For", "203.0.113.9")).isEqualTo("10.0.0.2:40000");
    }

    @Test
    void forwardedIsReadAsRfc7239SaysAndOnlyWhenConfigured() {
        ClientAddress rfc = new ClientAddress(List.of("10.0.0.0/8"), "Forwarded");
        assertThat(clientOf(rfc, PROXY, "Forwarded", "for=6.6.6.6, for=\"[2001:db8:cafe::17]:4711\";proto=https;by=10.0.0.2"))
                .isEqualTo("2001:db8:cafe:0:0:0:0:17:4711");
        assertThat(clientOf(rfc, PROXY, "Forwarded", "proto=http;For=\"192.0.2.43:_hidden\"")).isEqualTo("192.0.2.43:0");
        assertThat(clientOf(rfc, PROXY, "Forwarded", "for=unknown")).isEqualTo("10.0.0.2:40000");
        // With Forwarded configured, X-Forwarded-For is a header like any other: possibly forged.
        assertThat(clientOf(rfc, PROXY, "X-Forwarded-For", "203.0.113.9")).isEqualTo("10.0.0.2:40000");
    }
}
