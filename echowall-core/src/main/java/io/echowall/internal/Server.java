package io.echowall.internal;

import io.echowall.EchowallConfig;
import io.echowall.metrics.Meters;
import io.echowall.websocket.Session;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The running server: event loops, the listening socket, and what is open, so that {@link #stop()}
 * can shut down gracefully (stop accepting, send 1001 to every WebSocket, let requests finish, then cut).
 */
public final class Server {

    private static final Logger log = LoggerFactory.getLogger(Server.class);

    private final Application app;
    private final EventLoopGroup group;
    private final Class<? extends ServerChannel> channelType;
    private final ChannelGroup channels = new DefaultChannelGroup("echowall", GlobalEventExecutor.INSTANCE);
    private final Set<Session> liveSessions = ConcurrentHashMap.newKeySet();
    private final Set<HttpConnection> httpConnections = ConcurrentHashMap.newKeySet();
    private Meters meters;
    private Channel listener;

    private Server(Application app, EventLoopGroup group, Class<? extends ServerChannel> channelType) {
        this.app = app;
        this.group = group;
        this.channelType = channelType;
    }

    /** Starts listening on {@code port} (0 for any free port). */
    public static Server start(Application app, int port) throws InterruptedException {
        EchowallConfig config = app.config();
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        int threads = config.ioThreads() > 0 ? config.ioThreads() : Runtime.getRuntime().availableProcessors();
        EventLoopGroup group = new EventLoops(threads, io);
        Server server = new Server(app, group, epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class);
        server.meters = app.serverStarted(group);
        server.meters.watch(server.channels, server.liveSessions, app.rooms());
        app.rooms().open();
        try {
            server.bind(config.host(), port);
        } catch (Exception | Error e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            app.rooms().close();
            server.meters.close();
            if (e instanceof IOException cannotBind) {
                throw StartFailure.cannotBind(config.host(), port, cannotBind);
            }
            throw e;
        }
        log.info("Echowall serving {} ({} {} event loop(s))", server.url(), threads, epoll ? "epoll" : "NIO");
        return server;
    }

    private void bind(String host, int port) throws InterruptedException {
        EchowallConfig config = app.config();
        InetSocketAddress address = new InetSocketAddress(host, port);
        PipelineInitializer pipelines = new PipelineInitializer(app, liveSessions, httpConnections, tlsContext(config),
                address.getAddress() != null && address.getAddress().isLoopbackAddress());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .handler(pipelines.limits().acceptCounter())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true) // small messages must not wait for Nagle
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, ReadSizes.WHILE_KEPT)
                // The channel turns unwritable (the peer is behind: reading it pauses, it counts in the
                // server's backlog) at half the send buffer, so before a sender has to wait for room.
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.sendBufferSize() / 4, config.sendBufferSize() / 2))
                .childHandler(new io.netty.channel.ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        meters.connectionAccepted();
                        channels.add(channel);
                        channel.pipeline().addLast(pipelines);
                    }
                });
        listener = bootstrap.bind(address).sync().channel();
    }

    /** The TLS context for the configured certificate, or null for plain TCP. */
    private static SslContext tlsContext(EchowallConfig config) {
        if (config.tlsCertificateChain() == null) {
            return null;
        }
        TlsFiles.check(config.tlsCertificateChain(), config.tlsPrivateKey());
        try {
            // OpenSSL through netty-tcnative when it is on the class path, the JDK's TLS otherwise.
            return SslContextBuilder.forServer(config.tlsCertificateChain().toFile(), config.tlsPrivateKey().toFile())
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot use the TLS certificate " + config.tlsCertificateChain()
                    + " and key " + config.tlsPrivateKey() + ": " + e.getMessage(), e);
        }
    }

    /** The address the server listens on. */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Where clients reach the server, as a URL: {@code http://127.0.0.1:5000/}, or https with TLS. */
    String url() {
        InetSocketAddress address = address();
        String host = address.getAddress().isAnyLocalAddress() ? "0.0.0.0"
                : address.getAddress() instanceof java.net.Inet6Address ? "[" + address.getHostString() + "]"
                : address.getHostString();
        String scheme = app.config().tlsCertificateChain() == null ? "http" : "https";
        return scheme + "://" + host + ":" + address.getPort() + "/"
                + (address.getAddress().isAnyLocalAddress() ? " (every interface)" : "");
    }

    /**
     * Stops gracefully: no new connections; WebSocket handlers handle the messages they had received
     * (for half the shutdown timeout at most, and at most the close timeout), then their clients get
     * 1001; idle HTTP connections close. After the shutdown timeout, what is left is cut and blocking
     * handlers are interrupted.
     */
    public void stop() {
        long started = System.nanoTime();
        long deadline = started + app.config().shutdownTimeout().toNanos();
        int open = channels.size(); // the accepted connections; the listener is not in the group
        app.serverStopping();
        listener.close().awaitUninterruptibly();
        // Handlers get half the time to handle what they had received; clients the rest to answer the 1001.
        Duration patience = app.config().shutdownTimeout().dividedBy(2);
        for (Session session : liveSessions) {
            session.goingAway(patience.compareTo(app.config().closeTimeout()) < 0 ? patience : app.config().closeTimeout());
        }
        for (HttpConnection connection : httpConnections) {
            connection.closeWhenIdle();
        }
        long left = deadline - System.nanoTime();
        if (left > 0 && !channels.newCloseFuture().awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
            log.info("{} connection(s) still open after the shutdown timeout; closing them", channels.size());
        }
        for (Session session : liveSessions) {
            session.interruptHandler();
        }
        channels.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        app.rooms().close();
        meters.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        log.info("Echowall stopped in {} ms; {} connection(s) were open", (System.nanoTime() - started) / 1_000_000, open);
    }
}
