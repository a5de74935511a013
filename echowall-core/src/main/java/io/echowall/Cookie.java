package io.echowall;

import java.time.Duration;
import java.util.Objects;

/**
 * A cookie to set on a response with {@link Context#cookie(Cookie)}: start from {@link #of} and change
 * what differs from its defaults, which suit a session cookie ({@code Path=/; HttpOnly; SameSite=Lax},
 * kept until the browser closes).
 *
 * <pre>{@code
 * ctx.cookie(Cookie.of("theme", "dark").withMaxAge(Duration.ofDays(365)).withHttpOnly(false));
 * }</pre>
 *
 * <p>When the server serves TLS, every cookie it sets is {@code Secure}; behind a proxy that ends TLS,
 * say {@link #withSecure withSecure(true)}.
 *
 * @param name     the name: an HTTP token (letters, digits and {@code !#$%&'*+-.^_`|~})
 * @param value    the value: printable ASCII without spaces, quotes, commas, semicolons or backslashes
 *                 (encode anything else, with Base64URL for instance)
 * @param path     the path the browser sends it back to; {@code /} for the whole site
 * @param domain   the domain it is sent to, or null for this host only (the safer choice)
 * @param maxAge   how long the browser keeps it, or null until the browser closes; zero deletes it
 * @param secure   sent over https only
 * @param httpOnly hidden from the page's JavaScript, so a script injected into the page cannot read it
 * @param sameSite when it is sent with requests started by other sites
 */
public record Cookie(String name, String value, String path, String domain, Duration maxAge, boolean secure,
                     boolean httpOnly, SameSite sameSite) {

    /** The {@code SameSite} attribute: when a browser sends the cookie with requests other sites start. */
    public enum SameSite {
        /** Only with requests this site starts. */
        STRICT,
        /** Also when the user follows a link from another site; the browsers' default. */
        LAX,
        /** With every request, which browsers allow only on a {@code Secure} cookie. */
        NONE
    }

    /**
     * Checks every part, so a bad cookie fails where it is made rather than in the response.
     *
     * @throws IllegalArgumentException if the name, value, path or domain has a character a cookie
     *                                  cannot carry, or {@code maxAge} is negative
     */
    public Cookie {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sameSite, "sameSite");
        if (!HttpToken.is(name)) {
            throw new IllegalArgumentException("a cookie name must be an HTTP token (letters, digits and !#$%&'*+-.^_`|~): \""
                    + name + "\"");
        }
        // RFC 6265 section 4.1.1: cookie-octet
        if (!value.chars().allMatch(c -> c == 0x21 || c >= 0x23 && c <= 0x2B || c >= 0x2D && c <= 0x3A
                || c >= 0x3C && c <= 0x5B || c >= 0x5D && c <= 0x7E)) {
            throw new IllegalArgumentException("the value of cookie " + name
                    + " has a character a cookie cannot carry (space, quote, comma, semicolon, backslash or non-ASCII);"
                    + " encode it, with Base64URL for instance");
        }
        if (!path.startsWith("/") || !attributeValue(path)) {
            throw new IllegalArgumentException("a cookie path must start with '/' and have no ';' or control characters: \""
                    + path + "\"");
        }
        if (domain != null && (domain.isEmpty() || !attributeValue(domain))) {
            throw new IllegalArgumentException("a cookie domain must be a host name: \"" + domain + "\"");
        }
        if (maxAge != null && maxAge.isNegative()) {
            throw new IllegalArgumentException("a cookie's maxAge must not be negative (zero deletes it): " + maxAge);
        }
    }

    /** A cookie with the defaults: {@code Path=/}, {@code HttpOnly}, {@code SameSite=Lax}, kept until the browser closes. */
    public static Cookie of(String name, String value) {
        return new Cookie(name, value, "/", null, null, false, true, SameSite.LAX);
    }

    /** This cookie with another path. */
    public Cookie withPath(String path) {
        return new Cookie(name, value, path, domain, maxAge, secure, httpOnly, sameSite);
    }

    /** This cookie sent to {@code domain} and its subdomains too. */
    public Cookie withDomain(String domain) {
        return new Cookie(name, value, path, domain, maxAge, secure, httpOnly, sameSite);
    }

    /** This cookie kept for {@code maxAge}; {@link Duration#ZERO} deletes it. */
    public Cookie withMaxAge(Duration maxAge) {
        return new Cookie(name, value, path, domain, maxAge, secure, httpOnly, sameSite);
    }

    /** This cookie sent over https only, or not. */
    public Cookie withSecure(boolean secure) {
        return new Cookie(name, value, path, domain, maxAge, secure, httpOnly, sameSite);
    }

    /** This cookie hidden from the page's JavaScript, or not. */
    public Cookie withHttpOnly(boolean httpOnly) {
        return new Cookie(name, value, path, domain, maxAge, secure, httpOnly, sameSite);
    }

    /** This cookie with another {@code SameSite} rule. */
    public Cookie withSameSite(SameSite sameSite) {
        return new Cookie(name, value, path, domain, maxAge, secure, httpOnly, sameSite);
    }

    private static boolean attributeValue(String s) {
        return s.chars().allMatch(c -> c >= 0x20 && c < 0x7F && c != ';');
    }
}
