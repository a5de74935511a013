package io.echowall.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestTargetTest {

    @Test
    void theOriginFormSplitsPathAndQueryAndDecodesThePath() {
        RequestTarget target = RequestTarget.parse("/caf%C3%A9/a+b?x=1&y=%20", false);
        assertThat(target.rawPath()).isEqualTo("/caf%C3%A9/a+b");
        assertThat(target.rawQuery()).isEqualTo("x=1&y=%20");
        assertThat(target.path()).isEqualTo("/café/a+b");
    }

    @Test
    void theAbsoluteFormKeepsOnlyPathAndQuery() {
        RequestTarget target = RequestTarget.parse("http://example.com:8080/a%2Fb?q", false);
        assertThat(target).isEqualTo(new RequestTarget("/a%2Fb", "q", "/a/b"));
        assertThat(RequestTarget.parse("https://example.com", false).rawPath()).isEqualTo("/");
    }

    @Test
    void theAsteriskIsForOptionsOnly() {
        assertThat(RequestTarget.parse("*", true)).isSameAs(RequestTarget.ASTERISK);
        assertThatThrownBy(() -> RequestTarget.parse("*", false)).hasMessage("The request target is not a path.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%zz", "/%C3%28", "/%4", "/%"})
    void badEscapesOrBytesThatAreNotUtf8AreMalformed(String target) {
        assertThatThrownBy(() -> RequestTarget.parse(target, false)).hasMessage("The request path is malformed.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nopath", "ftp://example.com/", ""})
    void aTargetThatIsNotAPathIsRefused(String target) {
        assertThatThrownBy(() -> RequestTarget.parse(target, false)).hasMessage("The request target is not a path.");
    }

    @Test
    void anUnparsableAbsoluteFormIsMalformed() {
        assertThatThrownBy(() -> RequestTarget.parse("http://exa mple.com/", false))
                .hasMessage("The request target is malformed.");
    }
}
