package io.echowall.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PathPatternTest {

    @Test
    void literalPathMatchesItselfWithOrWithoutTrailingSlash() {
        PathPattern pattern = PathPattern.parse("/foobar");

        assertThat(pattern.match("/foobar")).isEmpty();
        assertThat(pattern.match("/foobar/")).isEmpty();
        assertThat(PathPattern.parse("/foobar/").match("/foobar")).isEmpty();
    }

    @Test
    void literalPathRejectsOtherPaths() {
        PathPattern pattern = PathPattern.parse("/chat/lobby");

        assertThat(pattern.match("/chat")).isNull();
        assertThat(pattern.match("/chat/lobby/extra")).isNull();
        assertThat(pattern.match("/chat/Lobby")).isNull();
        assertThat(pattern.match("/chat//lobby")).isNull();
    }

    @Test
    void rootMatchesOnlyTheRoot() {
        PathPattern root = PathPattern.parse("/");

        assertThat(root.match("/")).isEmpty();
        assertThat(root.match("/x")).isNull();
    }

    @Test
    void parametersAreCapturedAndPercentDecoded() {
        PathPattern pattern = PathPattern.parse("/users/{id}/posts/{post}");

        assertThat(pattern.match("/users/42/posts/hello")).containsExactly(
                Map.entry("id", "42"), Map.entry("post", "hello"));
        assertThat(pattern.match("/users/j%C3%BCrgen/posts/a%2Fb%20c/")).containsExactly(
                Map.entry("id", "jürgen"), Map.entry("post", "a/b c"));
    }

    @Test
    void plusInAPathStaysAPlus() {
        assertThat(PathPattern.parse("/tags/{tag}").match("/tags/c++")).containsEntry("tag", "c++");
        assertThat(PathPattern.parse("/tags/{tag}").match("/tags/a+b%21")).containsEntry("tag", "a+b!");
    }

    @Test
    void parameterNeverMatchesAnEmptySegment() {
        PathPattern pattern = PathPattern.parse("/users/{id}/posts");

        assertThat(pattern.match("/users//posts")).isNull();
    }

    @Test
    void literalSegmentsCompareDecoded() {
        assertThat(PathPattern.parse("/café").match("/caf%C3%A9")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"foobar", "", "/a{b}", "/{a}b", "/{}x", "/a}"})
    void malformedPatternsAreRejected(String pattern) {
        assertThatIllegalArgumentException().isThrownBy(() -> PathPattern.parse(pattern));
    }

    @Test
    void literalCountRanksMoreSpecificRoutes() {
        assertThat(PathPattern.parse("/users/me").literalCount()).isEqualTo(2);
        assertThat(PathPattern.parse("/users/{id}").literalCount()).isEqualTo(1);
        assertThat(PathPattern.parse("/{a}/{b}").literalCount()).isZero();
    }

    @Test
    void toStringIsTheSource() {
        assertThat(PathPattern.parse("/chat/{room}/")).hasToString("/chat/{room}/");
    }
}
