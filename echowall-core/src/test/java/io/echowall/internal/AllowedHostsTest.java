package io.echowall.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AllowedHostsTest {

    private final AllowedHosts loopbackDefault = AllowedHosts.of(List.of(), true);

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "localhost:5000", "LOCALHOST.", "app.localhost:80", "127.0.0.1:5000",
            "10.1.2.3", "[::1]:5000", "[::1]", "[fe80::1%25eth0]:80"})
    void aLoopbackServerAnswersToAddressesAndLocalhost(String host) {
        assertThat(loopbackDefault.allows(host)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example:5000", "evil.example", "localhost.evil.example", "127.0.0.1.evil.example",
            "", "[::1]x"})
    void aLoopbackServerRefusesOtherNamesAsDnsRebinding(String host) {
        assertThat(loopbackDefault.allows(host)).isFalse();
    }

    @Test
    void aServerBoundElsewhereAnswersToAnyNameUnlessNamesAreListed() {
        assertThat(AllowedHosts.of(List.of(), false).allows("anything.example")).isTrue();
        AllowedHosts listed = AllowedHosts.of(List.of("example.com"), false);
        assertThat(listed.allows("example.com:443")).isTrue();
        assertThat(listed.allows("www.example.com")).isFalse();
        assertThat(listed.allows("localhost")).isTrue();
    }

    @Test
    void aLeadingDotAllowsSubdomainsAndAStarAllowsAll() {
        AllowedHosts subdomains = AllowedHosts.of(List.of(".Example.com"), true);
        assertThat(subdomains.allows("example.com")).isTrue();
        assertThat(subdomains.allows("a.b.example.com")).isTrue();
        assertThat(subdomains.allows("badexample.com")).isFalse();
        assertThat(AllowedHosts.of(List.of("*"), true).allows("evil.example")).isTrue();
    }

    @Test
    void aHostOnceAllowedDoesNotLetTheNextOtherHostThrough() {
        AllowedHosts listed = AllowedHosts.of(List.of("example.com"), true);
        assertThat(listed.allows("example.com")).isTrue();
        assertThat(listed.allows("evil.example")).isFalse();
        assertThat(listed.allows("example.com")).isTrue();
        assertThat(listed.allows("evil.example")).isFalse();
        assertThat(listed.allows("127.0.0.1")).isTrue();
        assertThat(listed.allows("example.com.evil.example")).isFalse();
    }
}
