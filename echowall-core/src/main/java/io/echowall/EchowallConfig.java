package io.echowall;

import io.echowall.internal.ClientAddress;
import io.micrometer.core.instrument.MeterRegistry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Server settings: immutable, validated when built, changed through {@code with…} copies.
 *
 * <pre>{@code
 * var app = Echowall.create(config -> config.withMaxMessageSize(4 << 20).withPermessageDeflate(true));
 * }</pre>
 *
 * Each default below protects a server that nobody tuned; the reason is given with it.
 *
 * @param host                           address to listen on. Default {@code 0.0.0.0}, every interface,
 *                                       as servers are usually reached from elsewhere
 * @param ioThreads                      event-loop threads; 0 means one per available processor,
 *                                       since event loops only do I/O and never block
 * @param maxRequestBodySize             largest HTTP request body; larger gets 413. Default 1 MiB,
 *                                       enough for forms and JSON, small enough to buffer
 * @param maxMessageSize                 largest WebSocket message, counted after decompression;
 *                                       larger closes with 1009. Default 1 MiB
 * @param receiveQueueSize               messages a session may have waiting for its handler before the
 *                                       connection stops reading. Default 64: enough to ride out
 *                                       bursts, bounded so a slow handler pushes back on TCP
 * @param receiveBufferSize              bytes of messages a session may have waiting for its handler
 *                                       before the connection stops reading; one larger message still
 *                                       gets in on its own. Default 64 KiB: what a slow or stuck
 *                                       handler holds per connection stays small
 * @param sendBufferSize                 bytes a connection may have queued for the network before
 *                                       {@code send} waits. Default 256 KiB
 * @param sendTimeout                    longest {@code send} waits for room before the connection is
 *                                       closed as too slow (1008). Default 30 s
 * @param pingInterval                   quiet time after which the server pings a WebSocket peer.
 *                                       Default 30 s, under the usual 60 s proxy idle timeouts
 * @param pingTimeout                    time a pinged peer has to send anything back before it is
 *                                       deemed dead and dropped. Default 30 s; a quiet but healthy
 *                                       peer answers pings and is never dropped
 * @param closeTimeout                   time the peer has to answer a close frame before the TCP
 *                                       connection is closed anyway. Default 5 s
 * @param idleTimeout                    the time a client has to send a whole HTTP request, counted
 *                                       from connecting or from the last response: a request trickled
 *                                       past it gets 408, a connection that sent nothing is closed.
 *                                       Default 60 s: keep-alive is cheap but not free, and a slow
 *                                       sender must not hold a connection forever
 * @param shutdownTimeout                time {@code stop()} gives open connections to finish before
 *                                       they are cut. Default 10 s
 * @param allowedOrigins                 origins (such as {@code https://example.com}) whose pages may
 *                                       open WebSockets besides the server's own; {@code *} allows
 *                                       any. Default none: only same-origin pages, against cross-site
 *                                       WebSocket hijacking. Requests without an Origin (non-browser
 *                                       clients) are always allowed
 * @param allowedHosts                   host names, besides IP addresses and {@code localhost}, that
 *                                       requests may name in their Host header; a name starting with
 *                                       a dot allows its subdomains too, {@code *} allows any. Default
 *                                       none: a server bound to a loopback address then answers only to
 *                                       IP addresses and {@code localhost} (403 otherwise), against DNS
 *                                       rebinding attacks on development servers; a server bound
 *                                       elsewhere answers to any name
 * @param permessageDeflate              negotiate permessage-deflate (RFC 7692) when a client offers
 *                                       it. Default off: it costs memory per connection and CPU, and
 *                                       compressed data can hide large messages
 * @param deflateLevel                   compression level 0-9 for outgoing messages. Default 6
 * @param deflateServerMaxWindowBits     the largest LZ77 window (8-15) the server compresses with; a
 *                                       client may ask for less. Default 15
 * @param deflateClientMaxWindowBits     the window (8-15) asked of clients that can limit theirs;
 *                                       smaller saves server memory when decompressing. Default 15
 * @param deflateClientNoContextTakeover ask clients that allow it to compress each message
 *                                       independently. Default false
 * @param broker                         carries room messages and presence between the servers of the
 *                                       app; null, the default, keeps them in memory, for one server
 * @param presenceGrace                  how long a user the app named may be gone from a room before it
 *                                       leaves, so that a page reload is not a leave (an unnamed
 *                                       connection leaves at once). Default 5 s
 * @param templateDirectory              read templates from this directory and reload them when they
 *                                       change (for development); null, the default, reads them from
 *                                       {@code templates/} on the classpath and caches them
 * @param tlsCertificateChain            PEM file of the server's certificate chain; with
 *                                       {@code tlsPrivateKey}, the server speaks only TLS (https,
 *                                       wss). Default null: plain TCP, for servers behind a proxy
 *                                       that terminates TLS
 * @param tlsPrivateKey                  PEM file of the certificate's private key (PKCS#8)
 * @param accessLog                      log each HTTP response and each WebSocket close at INFO, to the
 *                                       logger {@code io.echowall.access}. Default off: a busy server
 *                                       would log mostly noise
 * @param stopOnShutdown                 stop gracefully when the JVM is asked to end (SIGTERM, Ctrl-C):
 *                                       {@code start} registers a shutdown hook. Default on, so that a
 *                                       deploy sends every client 1001 rather than cutting it
 * @param maxConnections                 open TCP connections, of every kind; the first request on one past
 *                                       it gets 503 with {@code Retry-After} and the connection closes.
 *                                       Default 20,000: about 200 MiB at the 10 KiB an idle connection
 *                                       costs, which a 1 GiB heap holds with room for traffic
 * @param maxWebSocketsPerAddress        open WebSockets per client address; an upgrade past it gets 429
 *                                       with {@code Retry-After}. Default 0, no limit: behind NAT or an
 *                                       untrusted proxy one address is many users
 * @param handshakeRateLimit             WebSocket upgrades per second, server-wide, with a burst of one
 *                                       second's worth; one past it gets 503 with {@code Retry-After}.
 *                                       Default 0, no limit: a rate right for one machine starves another
 * @param trustedProxies                 addresses and CIDR blocks of the proxies in front of the server;
 *                                       a request from one of them names its client in
 *                                       {@code forwardedHeader}, and that client is what
 *                                       {@code remoteAddress()}, the per-address limit and the access log
 *                                       see. Default none: the TCP peer is the client
 * @param forwardedHeader                the header trusted proxies name the client in:
 *                                       {@code X-Forwarded-For} (the default) or {@code Forwarded} (RFC 7239).
 *                                       Only one is read, since a client could forge the other
 * @param meterRegistry                  where the server's meters go (connections, handshakes, messages
 *                                       and bytes, closes, rooms, broker; docs/reference/metrics.md lists
 *                                       them). Default null: no meters, and counting costs nothing;
 *                                       {@link Echowall#metrics(String)} makes a Prometheus registry when
 *                                       none is given
 */
public record EchowallConfig(
        String host,
        int ioThreads,
        int maxRequestBodySize,
        int maxMessageSize,
        int receiveQueueSize,
        int receiveBufferSize,
        int sendBufferSize,
        Duration sendTimeout,
        Duration pingInterval,
        Duration pingTimeout,
        Duration closeTimeout,
        Duration idleTimeout,
        Duration shutdownTimeout,
        List<String> allowedOrigins,
        List<String> allowedHosts,
        boolean permessageDeflate,
        int deflateLevel,
        int deflateServerMaxWindowBits,
        int deflateClientMaxWindowBits,
        boolean deflateClientNoContextTakeover,
        Broker broker,
        Duration presenceGrace,
        Path templateDirectory,
        Path tlsCertificateChain,
        Path tlsPrivateKey,
        boolean accessLog,
        boolean stopOnShutdown,
        int maxConnections,
        int maxWebSocketsPerAddress,
        int handshakeRateLimit,
        List<String> trustedProxies,
        String forwardedHeader,
        MeterRegistry meterRegistry) {

    private static final EchowallConfig DEFAULTS = new EchowallConfig(
            "0.0.0.0", 0, 1 << 20, 1 << 20, 64, 64 << 10, 256 << 10,
            Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(5),
            Duration.ofSeconds(60), Duration.ofSeconds(10),
            List.of(), List.of(), false, 6, 15, 15, false, null, Duration.ofSeconds(5), null, null, null, false, true,
            20_000, 0, 0, List.of(), "X-Forwarded-For", null);

    /** Validates every setting; a bad one fails here, at start-up, rather than at the first request. */
    public EchowallConfig {
        Objects.requireNonNull(host, "host");
        ConfigRules.requireAtLeast("ioThreads", ioThreads, 0);
        ConfigRules.requireAtLeast("maxRequestBodySize", maxRequestBodySize, 0);
        ConfigRules.requireAtLeast("maxMessageSize", maxMessageSize, 1);
        ConfigRules.requireAtLeast("receiveQueueSize", receiveQueueSize, 1);
        ConfigRules.requireAtLeast("receiveBufferSize", receiveBufferSize, 1024);
        ConfigRules.requireAtLeast("sendBufferSize", sendBufferSize, 1024);
        ConfigRules.requirePositive("sendTimeout", sendTimeout);
        ConfigRules.requirePositive("pingInterval", pingInterval);
        ConfigRules.requirePositive("pingTimeout", pingTimeout);
        ConfigRules.requirePositive("closeTimeout", closeTimeout);
        ConfigRules.requirePositive("idleTimeout", idleTimeout);
        ConfigRules.requirePositive("shutdownTimeout", shutdownTimeout);
        ConfigRules.requirePositive("presenceGrace", presenceGrace);
        allowedOrigins = List.copyOf(allowedOrigins);
        allowedHosts = List.copyOf(allowedHosts);
        ConfigRules.requireAtLeast("maxConnections", maxConnections, 1);
        ConfigRules.requireAtLeast("maxWebSocketsPerAddress", maxWebSocketsPerAddress, 0);
        ConfigRules.requireAtLeast("handshakeRateLimit", handshakeRateLimit, 0);
        trustedProxies = List.copyOf(trustedProxies);
        new ClientAddress(trustedProxies, Objects.requireNonNull(forwardedHeader, "forwardedHeader")); // throws if either is wrong
        if (deflateLevel < 0 || deflateLevel > 9) {
            throw new IllegalArgumentException("deflateLevel must be 0-9, was " + deflateLevel);
        }
        ConfigRules.requireWindowBits("deflateServerMaxWindowBits", deflateServerMaxWindowBits);
        ConfigRules.requireWindowBits("deflateClientMaxWindowBits", deflateClientMaxWindowBits);
        if ((tlsCertificateChain == null) != (tlsPrivateKey == null)) {
            throw new IllegalArgumentException("TLS needs both a certificate chain and its private key");
        }
    }

    /** The defaults, as documented on each component. */
    public static EchowallConfig defaults() {
        return DEFAULTS;
    }

    /** With {@code host} as the address to listen on. */
    public EchowallConfig withHost(String host) {
        return copy(c -> c.host = host);
    }

    /** With {@code ioThreads} event loops (0: one per processor). */
    public EchowallConfig withIoThreads(int ioThreads) {
        return copy(c -> c.ioThreads = ioThreads);
    }

    /** With the largest HTTP request body. */
    public EchowallConfig withMaxRequestBodySize(int bytes) {
        return copy(c -> c.maxRequestBodySize = bytes);
    }

    /** With the largest WebSocket message. */
    public EchowallConfig withMaxMessageSize(int bytes) {
        return copy(c -> c.maxMessageSize = bytes);
    }

    /** With the number of messages that may wait for a handler. */
    public EchowallConfig withReceiveQueueSize(int messages) {
        return copy(c -> c.receiveQueueSize = messages);
    }

    /** With the bytes of messages that may wait for a handler. */
    public EchowallConfig withReceiveBufferSize(int bytes) {
        return copy(c -> c.receiveBufferSize = bytes);
    }

    /** With the bytes a connection may queue before {@code send} waits. */
    public EchowallConfig withSendBufferSize(int bytes) {
        return copy(c -> c.sendBufferSize = bytes);
    }

    /** With the longest a {@code send} waits for room. */
    public EchowallConfig withSendTimeout(Duration timeout) {
        return copy(c -> c.sendTimeout = timeout);
    }

    /** With the keepalive ping interval and the time a pinged peer has to answer. */
    public EchowallConfig withPing(Duration interval, Duration timeout) {
        return copy(c -> {
            c.pingInterval = interval;
            c.pingTimeout = timeout;
        });
    }

    /** With the time a peer has to answer a close frame. */
    public EchowallConfig withCloseTimeout(Duration timeout) {
        return copy(c -> c.closeTimeout = timeout);
    }

    /** With the time a client has to send a whole HTTP request (the keep-alive idle timeout too). */
    public EchowallConfig withIdleTimeout(Duration timeout) {
        return copy(c -> c.idleTimeout = timeout);
    }

    /** With the time {@code stop()} waits for connections to finish. */
    public EchowallConfig withShutdownTimeout(Duration timeout) {
        return copy(c -> c.shutdownTimeout = timeout);
    }

    /** With the origins allowed to open WebSockets besides the server's own ({@code *} for any). */
    public EchowallConfig withAllowedOrigins(String... origins) {
        return copy(c -> c.allowedOrigins = List.of(origins));
    }

    /** With the host names requests may name besides IP addresses and {@code localhost} ({@code *} for any). */
    public EchowallConfig withAllowedHosts(String... hosts) {
        return copy(c -> c.allowedHosts = List.of(hosts));
    }

    /** With permessage-deflate negotiated ({@code true}) or not. */
    public EchowallConfig withPermessageDeflate(boolean enabled) {
        return copy(c -> c.permessageDeflate = enabled);
    }

    /**
     * With permessage-deflate's parameters: compression level, the server's and the client's largest
     * window, and whether clients are asked to compress each message independently.
     */
    public EchowallConfig withDeflateParameters(int level, int serverMaxWindowBits, int clientMaxWindowBits,
                                                boolean clientNoContextTakeover) {
        return copy(c -> {
            c.deflateLevel = level;
            c.deflateServerMaxWindowBits = serverMaxWindowBits;
            c.deflateClientMaxWindowBits = clientMaxWindowBits;
            c.deflateClientNoContextTakeover = clientNoContextTakeover;
        });
    }

    /** With {@code broker} carrying room messages and presence between servers (null: in memory, one server). */
    public EchowallConfig withBroker(Broker broker) {
        return copy(c -> c.broker = broker);
    }

    /** With how long a user the app named may be gone from a room before it leaves. */
    public EchowallConfig withPresenceGrace(Duration grace) {
        return copy(c -> c.presenceGrace = grace);
    }

    /** With templates read, and reloaded when changed, from {@code directory} (null: the classpath). */
    public EchowallConfig withTemplateDirectory(Path directory) {
        return copy(c -> c.templateDirectory = directory);
    }

    /** With TLS: the server's certificate chain and private key, both PEM files. */
    public EchowallConfig withTls(Path certificateChain, Path privateKey) {
        return copy(c -> {
            c.tlsCertificateChain = certificateChain; // the constructor refuses one without the other
            c.tlsPrivateKey = privateKey;
        });
    }

    /** With each HTTP response and WebSocket close logged at INFO ({@code true}) or not. */
    public EchowallConfig withAccessLog(boolean enabled) {
        return copy(c -> c.accessLog = enabled);
    }

    /** With {@code start} registering a shutdown hook that stops the app gracefully ({@code true}), or not. */
    public EchowallConfig withStopOnShutdown(boolean enabled) {
        return copy(c -> c.stopOnShutdown = enabled);
    }

    /** With at most {@code connections} open TCP connections. */
    public EchowallConfig withMaxConnections(int connections) {
        return copy(c -> c.maxConnections = connections);
    }

    /** With at most {@code webSockets} open WebSockets per client address (0: no limit). */
    public EchowallConfig withMaxWebSocketsPerAddress(int webSockets) {
        return copy(c -> c.maxWebSocketsPerAddress = webSockets);
    }

    /** With at most {@code upgradesPerSecond} WebSocket upgrades a second, server-wide (0: no limit). */
    public EchowallConfig withHandshakeRateLimit(int upgradesPerSecond) {
        return copy(c -> c.handshakeRateLimit = upgradesPerSecond);
    }

    /**
     * With {@code proxies} (addresses or CIDR blocks such as {@code 10.0.0.0/8}) trusted to name the
     * client in {@code forwardedHeader}, {@code X-Forwarded-For} or {@code Forwarded}.
     */
    public EchowallConfig withTrustedProxies(String forwardedHeader, String... proxies) {
        return copy(c -> {
            c.forwardedHeader = forwardedHeader;
            c.trustedProxies = List.of(proxies);
        });
    }

    /** With the server's meters registered in {@code registry} (null: no meters). */
    public EchowallConfig withMeterRegistry(MeterRegistry registry) {
        return copy(c -> c.meterRegistry = registry);
    }

    /** A copy with {@code change} applied, validated like any other. */
    private EchowallConfig copy(Consumer<ConfigCopy> change) {
        ConfigCopy settings = new ConfigCopy(this);
        change.accept(settings);
        return settings.build();
    }
}
