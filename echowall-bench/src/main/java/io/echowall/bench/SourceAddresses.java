package io.echowall.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Loopback source addresses (127.0.0.2, 127.0.0.3, …) that connections are spread over, each bound
 * with an ephemeral port: every address has its own ~28,000 ports, so many connections to one
 * server port do not run out of them. Empty means the kernel picks the source.
 */
record SourceAddresses(List<InetSocketAddress> addresses) {
    /** 127.0.0.2 to 127.0.0.254: .1 is left to the server and unbound clients. */
    static final int MAX = 253;

    SourceAddresses {
        addresses = List.copyOf(addresses);
    }

    static SourceAddresses kernelChosen() {
        return new SourceAddresses(List.of());
    }

    static SourceAddresses loopback(int count, Target target) {
        if (count == 0) {
            return kernelChosen();
        }
        if (count < 0 || count > MAX) {
            throw new BenchException(BenchException.SETUP, "--source-addresses must be between 0 and " + MAX + ": " + count);
        }
        InetAddress server = target.address().getAddress();
        if (!server.isLoopbackAddress() || server.getAddress().length != 4) {
            throw new BenchException(BenchException.SETUP,
                    "--source-addresses binds 127.0.0.x, so --url must name an IPv4 loopback address, not " + server.getHostAddress());
        }
        List<InetSocketAddress> addresses = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            try {
                addresses.add(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (2 + i)}), 0));
            } catch (UnknownHostException e) {
                throw new IllegalStateException("a four-byte address is always valid", e);
            }
        }
        return new SourceAddresses(addresses);
    }

    /** The local address for the {@code index}-th connection (round robin), or null to let the kernel choose. */
    InetSocketAddress forConnection(long index) {
        return addresses.isEmpty() ? null : addresses.get((int) (index % addresses.size()));
    }

    int count() {
        return addresses.size();
    }
}
