package io.echowall.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Who the client is when trusted proxies stand in front of the server. A request that comes straight
 * from a trusted proxy names its client in one forwarding header, {@code X-Forwarded-For} or
 * {@code Forwarded} (RFC 7239): each proxy appends the address it received from, so the client is the
 * rightmost entry that is not a trusted proxy. Entries to its left were written by whoever sent them,
 * and are ignored. Only the configured header is read: a proxy rewrites one header, and a client could
 * forge the other.
 */
public final class ClientAddress {

    /** No trusted proxy: the client is always the TCP peer. */
    public static final ClientAddress DIRECT = new ClientAddress(List.of(), "X-Forwarded-For");

    private final List<AddressRange> proxies;
    private final String header;
    private final boolean rfc7239;

    /**
     * Trusts {@code proxies} (addresses or CIDR blocks) to say who the client is in {@code header},
     * {@code X-Forwarded-For} or {@code Forwarded}.
     *
     * @throws IllegalArgumentException for another header, or a proxy that is not an address or block
     */
    public ClientAddress(List<String> proxies, String header) {
        this.proxies = proxies.stream().map(AddressRange::parse).toList();
        this.rfc7239 = header.equalsIgnoreCase("Forwarded");
        if (!rfc7239 && !header.equalsIgnoreCase("X-Forwarded-For")) {
            throw new IllegalArgumentException("the forwarding header is X-Forwarded-For or Forwarded, not '" + header + "'");
        }
        this.header = header;
    }

    /**
     * The client of a request that arrived from {@code peer} with {@code headers} (all values of a
     * header, by name): {@code peer} itself unless it is a trusted proxy that names another client.
     */
    public InetSocketAddress of(InetSocketAddress peer, Function<String, List<String>> headers) {
        if (proxies.isEmpty() || peer == null || !trusted(peer.getAddress())) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String value : headers.apply(header)) {
            hops.addAll(splitOutsideQuotes(value, ','));
        }
        InetSocketAddress client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetSocketAddress hop = parseHop(rfc7239 ? forParameter(hops.get(i)) : hops.get(i).trim());
            if (hop == null) {
                // Unknown, obfuscated or garbled: who sent it cannot be known, so the last proxy stands for it.
                return client;
            }
            client = hop;
            if (!trusted(hop.getAddress())) {
                return hop;
            }
        }
        return client;
    }

    private boolean trusted(InetAddress address) {
        for (AddressRange range : proxies) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The {@code for} parameter of one RFC 7239 forwarded-element, or null. */
    private static String forParameter(String element) {
        for (String pair : splitOutsideQuotes(element, ';')) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).trim().toLowerCase(Locale.ROOT).equals("for")) {
                return pair.substring(equals + 1).trim();
            }
        }
        return null;
    }

    /** {@code 192.0.2.43}, {@code 192.0.2.43:47011}, {@code [2001:db8::17]:4711} or a bare IPv6 address, maybe quoted. */
    static InetSocketAddress parseHop(String text) {
        if (text == null) {
            return null;
        }
        String hop = text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")
                ? text.substring(1, text.length() - 1) : text;
        String address = hop;
        String port = null;
        if (hop.startsWith("[")) {
            int close = hop.indexOf(']');
            if (close < 0) {
                return null;
            }
            address = hop.substring(1, close);
            if (hop.length() > close + 1) {
                if (hop.charAt(close + 1) != ':') {
                    return null;
                }
                port = hop.substring(close + 2);
            }
        } else if (hop.indexOf(':') >= 0 && hop.indexOf(':') == hop.lastIndexOf(':')) {
            address = hop.substring(0, hop.indexOf(':'));
            port = hop.substring(hop.indexOf(':') + 1);
        }
        InetAddress parsed = AddressRange.parseLiteral(address);
        if (parsed == null) {
            return null;
        }
        int portNumber = 0;
        if (port != null) {
            try {
                portNumber = Integer.parseInt(port);
            } catch (NumberFormatException obfuscated) {
                portNumber = -1; // RFC 7239 allows an obfuscated port such as _a1; the address still counts
            }
            if (portNumber < 0 || portNumber > 65535) {
                portNumber = 0;
            }
        }
        return new InetSocketAddress(parsed, portNumber);
    }

    private static List<String> splitOutsideQuotes(String text, char separator) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == separator && !quoted) {
                parts.add(text.substring(start, i).trim());
                start = i + 1;
            }
        }
        parts.add(text.substring(start).trim());
        return parts;
    }
}
