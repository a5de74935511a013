package io.echowall.internal;

import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * An IP address or a CIDR block ({@code 10.0.0.0/8}, {@code fd00::/8}, {@code 127.0.0.1}), matched
 * against addresses; IPv4-mapped IPv6 addresses match their IPv4 block. Only literals are accepted:
 * a host name would make every check a DNS lookup, and DNS can lie.
 */
public final class AddressRange {

    private final byte[] network;
    private final int prefixBits;

    private AddressRange(byte[] network, int prefixBits) {
        this.network = network;
        this.prefixBits = prefixBits;
    }

    /** Parses {@code text}; throws {@link IllegalArgumentException} naming what is wrong. */
    public static AddressRange parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text.trim() : text.substring(0, slash).trim();
        byte[] bytes = literal(address);
        if (bytes == null) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block (such as 10.0.0.0/8)");
        }
        int bits = bytes.length * 8;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(text.substring(slash + 1).trim());
            } catch (NumberFormatException e) {
                bits = -1;
            }
            if (bits < 0 || bits > bytes.length * 8) {
                throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0-" + bytes.length * 8);
            }
        }
        return new AddressRange(bytes, bits);
    }

    /** The address in {@code text}, a literal IPv4 or IPv6 address, or null if it is not one. */
    static InetAddress parseLiteral(String text) {
        byte[] bytes = literal(text);
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException impossible) {
            return null; // getByAddress only refuses a wrong length, which literal() never returns
        }
    }

    /** Whether {@code address} is in this range. */
    public boolean contains(InetAddress address) {
        byte[] bytes = unmapped(address.getAddress());
        if (bytes.length != network.length) {
            return false;
        }
        int whole = prefixBits / 8;
        if (!Arrays.equals(bytes, 0, whole, network, 0, whole)) {
            return false;
        }
        int rest = prefixBits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (bytes[whole] & mask) == (network[whole] & mask);
    }

    private static byte[] literal(String text) {
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text);
        return bytes == null ? null : unmapped(bytes);
    }

    /** {@code ::ffff:a.b.c.d} as the four bytes of a.b.c.d; any other address as it is. */
    private static byte[] unmapped(byte[] bytes) {
        if (bytes.length == 16) {
            for (int i = 0; i < 10; i++) {
                if (bytes[i] != 0) {
                    return bytes;
                }
            }
            if (bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff) {
                return Arrays.copyOfRange(bytes, 12, 16);
            }
        }
        return bytes;
    }
}
