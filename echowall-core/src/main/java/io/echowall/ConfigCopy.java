package io.echowall;

import io.micrometer.core.instrument.MeterRegistry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The components of an {@link EchowallConfig}, mutable, so that each {@code with…} names only what it
 * changes; {@link #build()} validates the result like any other config.
 */
final class ConfigCopy {

    String host;
    int ioThreads;
    int maxRequestBodySize;
    int maxMessageSize;
    int receiveQueueSize;
    int receiveBufferSize;
    int sendBufferSize;
    Duration sendTimeout;
    Duration pingInterval;
    Duration pingTimeout;
    Duration closeTimeout;
    Duration idleTimeout;
    Duration shutdownTimeout;
    List<String> allowedOrigins;
    List<String> allowedHosts;
    boolean permessageDeflate;
    int deflateLevel;
    int deflateServerMaxWindowBits;
    int deflateClientMaxWindowBits;
    boolean deflateClientNoContextTakeover;
    Broker broker;
    Duration presenceGrace;
    Path templateDirectory;
    Path tlsCertificateChain;
    Path tlsPrivateKey;
    boolean accessLog;
    boolean stopOnShutdown;
    int maxConnections;
    int maxWebSocketsPerAddress;
    int handshakeRateLimit;
    List<String> trustedProxies;
    String forwardedHeader;
    MeterRegistry meterRegistry;

    ConfigCopy(EchowallConfig c) {
        host = c.host();
        ioThreads = c.ioThreads();
        maxRequestBodySize = c.maxRequestBodySize();
        maxMessageSize = c.maxMessageSize();
        receiveQueueSize = c.receiveQueueSize();
        receiveBufferSize = c.receiveBufferSize();
        sendBufferSize = c.sendBufferSize();
        sendTimeout = c.sendTimeout();
        pingInterval = c.pingInterval();
        pingTimeout = c.pingTimeout();
        closeTimeout = c.closeTimeout();
        idleTimeout = c.idleTimeout();
        shutdownTimeout = c.shutdownTimeout();
        allowedOrigins = c.allowedOrigins();
        allowedHosts = c.allowedHosts();
        permessageDeflate = c.permessageDeflate();
        deflateLevel = c.deflateLevel();
        deflateServerMaxWindowBits = c.deflateServerMaxWindowBits();
        deflateClientMaxWindowBits = c.deflateClientMaxWindowBits();
        deflateClientNoContextTakeover = c.deflateClientNoContextTakeover();
        broker = c.broker();
        presenceGrace = c.presenceGrace();
        templateDirectory = c.templateDirectory();
        tlsCertificateChain = c.tlsCertificateChain();
        tlsPrivateKey = c.tlsPrivateKey();
        accessLog = c.accessLog();
        stopOnShutdown = c.stopOnShutdown();
        maxConnections = c.maxConnections();
        maxWebSocketsPerAddress = c.maxWebSocketsPerAddress();
        handshakeRateLimit = c.handshakeRateLimit();
        trustedProxies = c.trustedProxies();
        forwardedHeader = c.forwardedHeader();
        meterRegistry = c.meterRegistry();
    }

    EchowallConfig build() {
        return new EchowallConfig(host, ioThreads, maxRequestBodySize, maxMessageSize, receiveQueueSize,
                receiveBufferSize,
                sendBufferSize, sendTimeout, pingInterval, pingTimeout, closeTimeout, idleTimeout,
                shutdownTimeout, allowedOrigins, allowedHosts, permessageDeflate, deflateLevel, deflateServerMaxWindowBits,
                deflateClientMaxWindowBits, deflateClientNoContextTakeover, broker, presenceGrace, templateDirectory,
                tlsCertificateChain, tlsPrivateKey, accessLog, stopOnShutdown, maxConnections, maxWebSocketsPerAddress,
                handshakeRateLimit, trustedProxies, forwardedHeader, meterRegistry);
    }
}
