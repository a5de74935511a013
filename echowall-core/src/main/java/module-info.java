/**
 * Echowall: HTTP routes, templates, static files and WebSocket endpoints in one small app, on Netty.
 *
 * <p>Only {@code io.echowall} is the API. The other packages are the implementation: the sans-I/O
 * WebSocket core ({@code io.echowall.websocket}), the HTTP rules ({@code io.echowall.http}) and the
 * Netty adapters ({@code io.echowall.internal}); they are not exported and may change at any time.
 *
 * <p>Micrometer's {@code MeterRegistry} is part of the API ({@code EchowallConfig.withMeterRegistry}), so
 * its module is required transitively. The Prometheus registry is needed only by an app that serves the
 * built-in {@code /metrics} page, so it is optional: such an app adds it, and on the module path also
 * resolves it ({@code --add-modules micrometer.registry.prometheus}).
 */
@SuppressWarnings({"requires-transitive-automatic", "requires-automatic"}) // Micrometer ships no module descriptor
module io.echowall {
    exports io.echowall;

    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.codec.compression;
    requires io.netty.codec.http;
    requires io.netty.common;
    requires io.netty.handler;
    requires io.netty.transport;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.unix.common;
    requires io.pebbletemplates;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires transitive micrometer.core;
    requires static micrometer.registry.prometheus;
}
