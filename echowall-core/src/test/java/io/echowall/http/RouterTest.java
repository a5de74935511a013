package io.echowall.http;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RouterTest {

    private final Router<String> router = new Router<>();

    @Test
    void findsTheRouteForMethodAndPath() {
        router.add("GET", "/users/{id}", "show");
        router.add("DELETE", "/users/{id}", "remove");

        assertThat(router.route("GET", "/users/7"))
                .isEqualTo(new Router.Found<>("show", Map.of("id", "7"), "/users/{id}"));
        assertThat(router.route("DELETE", "/users/7/"))
                .isEqualTo(new Router.Found<>("remove", Map.of("id", "7"), "/users/{id}"));
    }

    @Test
    void trailingSlashDoesNotMatterEitherWay() {
        router.add("GET", "/foobar", "plain");
        router.add("GET", "/baz/", "slashed");

        assertThat(target(router.route("GET", "/foobar/"))).isEqualTo("plain");
        assertThat(target(router.route("GET", "/baz"))).isEqualTo("slashed");
    }

    @Test
    void literalRouteWinsOverParameterWhateverTheOrder() {
        router.add("GET", "/users/{id}", "byId");
        router.add("GET", "/users/me", "me");

        assertThat(target(router.route("GET", "/users/me"))).isEqualTo("me");
        assertThat(target(router.route("GET", "/users/you"))).isEqualTo("byId");
    }

    @Test
    void amongEquallySpecificRoutesTheFirstAddedWins() {
        router.add("GET", "/{a}/x", "first");
        router.add("GET", "/y/{b}", "second");

        assertThat(target(router.route("GET", "/y/x"))).isEqualTo("first");
    }

    @Test
    void headFallsBackToGetUnlessItHasItsOwnRoute() {
        router.add("GET", "/page", "get");
        router.add("GET", "/other", "get-other");
        router.add("HEAD", "/other", "head-other");

        assertThat(target(router.route("HEAD", "/page"))).isEqualTo("get");
        assertThat(target(router.route("HEAD", "/other"))).isEqualTo("head-other");
    }

    @Test
    void knownPathWithOtherMethodIsNotAllowedAndListsTheMethods() {
        router.add("GET", "/thing", "get");
        router.add("POST", "/thing", "post");

        assertThat(router.route("DELETE", "/thing"))
                .isEqualTo(new Router.MethodNotAllowed<>(Set.of("GET", "HEAD", "OPTIONS", "POST")));
    }

    @Test
    void webSocketEndpointCountsAsGetInTheAllowedMethods() {
        router.add(Router.WEBSOCKET, "/foobar", "ws");

        assertThat(router.route("POST", "/foobar/"))
                .isEqualTo(new Router.MethodNotAllowed<>(Set.of("GET", "HEAD", "OPTIONS")));
        assertThat(target(router.route(Router.WEBSOCKET, "/foobar/"))).isEqualTo("ws");
    }

    @Test
    void unknownPathIsNotFound() {
        router.add("GET", "/thing", "get");

        assertThat(router.route("GET", "/nothing")).isInstanceOf(Router.NotFound.class);
        assertThat(router.route("GET", "/thing/more")).isInstanceOf(Router.NotFound.class);
    }

    @Test
    void sameMethodAndPatternCannotBeAddedTwice() {
        router.add("GET", "/thing", "one");

        assertThatIllegalArgumentException().isThrownBy(() -> router.add("GET", "/thing/", "two"))
                .withMessage("the GET route /thing/ could never be reached: /thing already matches the same paths");
        router.add("POST", "/thing", "other method is fine");
    }

    @Test
    void routesThatDifferOnlyInParameterNamesAreRefused() {
        router.add("GET", "/users/{id}", "byId");
        router.add(Router.WEBSOCKET, "/users/{id}/feed", "feed");

        assertThatIllegalArgumentException().isThrownBy(() -> router.add("GET", "/users/{name}", "byName"))
                .withMessage("the GET route /users/{name} could never be reached: /users/{id} already matches the same paths");
        assertThatIllegalArgumentException().isThrownBy(() -> router.add(Router.WEBSOCKET, "/users/{who}/feed", "x"))
                .withMessage("the WebSocket endpoint /users/{who}/feed could never be reached:"
                        + " /users/{id}/feed already matches the same paths");
        router.add("GET", "/users/{id}/posts", "a longer path is another route");
        router.add("GET", "/users/me", "a literal is more specific, so it is reached first");
    }

    private static String target(Router.Match<String> match) {
        assertThat(match).isInstanceOf(Router.Found.class);
        return ((Router.Found<String>) match).target();
    }
}
