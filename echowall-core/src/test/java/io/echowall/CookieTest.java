package io.echowall;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CookieTest {

    @Test
    void theDefaultsSuitASessionCookie() {
        assertThat(Cookie.of("session", "abc"))
                .isEqualTo(new Cookie("session", "abc", "/", null, null, false, true, Cookie.SameSite.LAX));
    }

    @Test
    void eachWitherChangesOnlyItsPart() {
        Cookie cookie = Cookie.of("theme", "dark").withPath("/app").withDomain("example.test")
                .withMaxAge(Duration.ofDays(1)).withSecure(true).withHttpOnly(false).withSameSite(Cookie.SameSite.STRICT);

        assertThat(cookie).isEqualTo(new Cookie("theme", "dark", "/app", "example.test", Duration.ofDays(1), true, false,
                Cookie.SameSite.STRICT));
    }

    @Test
    void partsACookieCannotCarryAreRefusedWhereTheCookieIsMade() {
        assertThatIllegalArgumentException().isThrownBy(() -> Cookie.of("my cookie", "x"))
                .withMessage("a cookie name must be an HTTP token (letters, digits and !#$%&'*+-.^_`|~): \"my cookie\"");
        assertThatIllegalArgumentException().isThrownBy(() -> Cookie.of("name", "Jörg; admin=1"))
                .withMessage("the value of cookie name has a character a cookie cannot carry (space, quote, comma,"
                        + " semicolon, backslash or non-ASCII); encode it, with Base64URL for instance");
        assertThatIllegalArgumentException().isThrownBy(() -> Cookie.of("a", "b").withPath("app"))
                .withMessage("a cookie path must start with '/' and have no ';' or control characters: \"app\"");
        assertThatIllegalArgumentException().isThrownBy(() -> Cookie.of("a", "b").withDomain("x;y"))
                .withMessage("a cookie domain must be a host name: \"x;y\"");
        assertThatIllegalArgumentException().isThrownBy(() -> Cookie.of("a", "b").withMaxAge(Duration.ofSeconds(-1)))
                .withMessage("a cookie's maxAge must not be negative (zero deletes it): PT-1S");
    }

    @Test
    void anEmptyValueIsAllowedForDeletion() {
        assertThat(Cookie.of("session", "").withMaxAge(Duration.ZERO).maxAge()).isZero();
    }
}
