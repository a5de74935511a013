package io.echowall.internal;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The host names a server answers to, judged from a request's Host header: the guard against DNS
 * rebinding, where a page from {@code evil.example} gets its name pointed at the server's address and
 * then talks to the server as if it were its own origin.
 *
 * <p>IP literals, {@code localhost} and names under {@code .localhost} (RFC 6761 section 6.3) are
 * always allowed: no attacker can rebind them. Listed names are allowed besides; a listed name that
 * starts with a dot also allows its subdomains, and {@code *} allows any name. With nothing listed,
 * a server bound to a loopback address answers to the always-allowed names only (a development
 * server is the usual target), and a server bound elsewhere answers to any name.
 */
public final class AllowedHosts {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6_LITERAL = Pattern.compile("\\[[0-9a-f:.]+(%[0-9a-z._~-]+)?]");

    private final boolean any;
    private final List<String> listed;
    /**
     * The Host header last allowed, as it came: nearly every request names the same host, and judging
     * it again costs a substring, a lower-casing and a regular expression's matcher per request.
     */
    private volatile String lastAllowed;

    private AllowedHosts(boolean any, List<String> listed) {
        this.any = any;
        this.listed = listed;
    }

    /** The rule for a server with {@code listed} names, bound to a loopback address or not. */
    public static AllowedHosts of(List<String> listed, boolean boundToLoopback) {
        List<String> names = listed.stream().map(AllowedHosts::normalize).toList();
        return new AllowedHosts(names.contains("*") || names.isEmpty() && !boundToLoopback, names);
    }

    /** Whether a request whose Host header is {@code host} (a name or address, maybe with a port) may be served. */
    public boolean allows(String host) {
        if (any || host.equals(lastAllowed)) {
            return true;
        }
        if (judge(host)) {
            lastAllowed = host;
            return true;
        }
        return false;
    }

    private boolean judge(String host) {
        String name = normalize(withoutPort(host));
        if (name.equals("localhost") || name.endsWith(".localhost") || IPV4.matcher(name).matches()
                || IPV6_LITERAL.matcher(name).matches()) {
            return true;
        }
        for (String allowed : listed) {
            if (allowed.startsWith(".")
                    ? name.endsWith(allowed) || name.equals(allowed.substring(1))
                    : name.equals(allowed)) {
                return true;
            }
        }
        return false;
    }

    private static String withoutPort(String host) {
        String h = host.trim();
        int colon = h.lastIndexOf(':');
        if (colon < 0 || colon < h.lastIndexOf(']')) {
            return h;
        }
        return h.substring(0, colon);
    }

    /** Lower case, without the trailing dot of a fully qualified name. */
    private static String normalize(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return n.endsWith(".") && n.length() > 1 ? n.substring(0, n.length() - 1) : n;
    }
}
