package io.echowall.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;

/** The WebSocket endpoint under test: a {@code ws://} URL, its host resolved once up front. */
record Target(String url, InetSocketAddress address, String hostHeader, String requestTarget) {

    static Target parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new BenchException(BenchException.SETUP, "--url is not a URL: " + e.getMessage());
        }
        if ("wss".equalsIgnoreCase(uri.getScheme())) {
            throw new BenchException(BenchException.SETUP,
                    "wss:// is not supported: the generator measures plain WebSocket servers (ws://), usually on loopback");
        }
        if (!"ws".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new BenchException(BenchException.SETUP, "--url must look like ws://127.0.0.1:5000/foobar/, not " + url);
        }
        int port = uri.getPort() == -1 ? 80 : uri.getPort();
        InetAddress host;
        try {
            host = InetAddress.getByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw new BenchException(BenchException.SETUP, "unknown host in --url: " + uri.getHost());
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String requestTarget = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        String hostHeader = uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + port;
        return new Target(url, new InetSocketAddress(host, port), hostHeader, requestTarget);
    }

    /** This endpoint with {@code name=value} added to its query (both already URL-safe). */
    Target withQueryParameter(String name, String value) {
        String parameter = (requestTarget.contains("?") ? "&" : "?") + name + "=" + value;
        return new Target(url + parameter, address, hostHeader, requestTarget + parameter);
    }
}
