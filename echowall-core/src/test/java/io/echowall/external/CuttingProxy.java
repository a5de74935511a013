package io.echowall.external;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback that the test can cut: every connection accepted on {@link #port()} is
 * forwarded, byte for byte, to the target port, until {@link #cut()} drops every connection at once on
 * both sides with a reset (no close frame, no FIN), as a network failure would. A connection the target
 * refuses (a server that is down) is reset at once. {@link #loseReplies()} before a cut makes the target
 * handle requests whose answers never arrive. For tests of reconnecting clients; other modules' tests get
 * this class from echowall-core's test jar.
 */
public final class CuttingProxy implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MILLIS = 2000;

    private final ServerSocket listener;
    private final int targetPort;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean closed;

    private CuttingProxy(ServerSocket listener, int targetPort) {
        this.listener = listener;
        this.targetPort = targetPort;
    }

    /** Starts a proxy on a free loopback port to {@code targetPort} on loopback. */
    public static CuttingProxy start(int targetPort) {
        try {
            var proxy = new CuttingProxy(new ServerSocket(0, 200, InetAddress.getLoopbackAddress()), targetPort);
            Thread.ofVirtual().name("cutting-proxy-accept").start(proxy::accept);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    /** How many connections the proxy has accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    /** How many connections are forwarded now. */
    public int open() {
        return links.size();
    }

    /**
     * From now on, loses every byte the target sends on the connections open now, while still passing on
     * what the clients send; returns how many there are. A {@link #cut()} a while later makes a link that
     * failed after the target had handled requests whose answers never arrived.
     */
    public int loseReplies() {
        List<Link> now = List.copyOf(links);
        now.forEach(link -> link.losingReplies = true);
        return now.size();
    }

    /** Resets every connection now, on both sides; returns how many there were. */
    public int cut() {
        int cut = 0;
        for (Link link : links) {
            link.reset();
            cut++;
        }
        return cut;
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.incrementAndGet();
            Thread.ofVirtual().name("cutting-proxy-link").start(() -> forward(client));
        }
    }

    private void forward(Socket client) {
        Socket server = new Socket();
        try {
            server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), CONNECT_TIMEOUT_MILLIS);
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
        } catch (IOException refused) {
            new Link(client, server).reset();
            return;
        }
        Link link = new Link(client, server);
        links.add(link);
        if (closed) {
            link.reset();
            return;
        }
        Thread.ofVirtual().name("cutting-proxy-up").start(() -> link.pump(client, server));
        link.pump(server, client);
    }

    /** One forwarded connection: the client's socket and the target's. */
    private final class Link {
        private final Socket client;
        private final Socket server;
        private final AtomicInteger directionsDone = new AtomicInteger();
        private volatile boolean losingReplies;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        /** Copies {@code from} to {@code to} until end of stream (passed on as a FIN) or a failure (a reset of both). */
        void pump(Socket from, Socket to) {
            byte[] buffer = new byte[16 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (!(losingReplies && from == server)) {
                        out.write(buffer, 0, n);
                    }
                }
                to.shutdownOutput();
                if (directionsDone.incrementAndGet() == 2) {
                    closeQuietly(client);
                    closeQuietly(server);
                    links.remove(this);
                }
            } catch (IOException e) {
                reset();
            }
        }

        /** Closes both sockets with SO_LINGER 0, which sends a RST instead of a FIN. */
        void reset() {
            links.remove(this);
            for (Socket socket : new Socket[] {client, server}) {
                try {
                    socket.setSoLinger(true, 0);
                } catch (SocketException alreadyClosed) {
                    // Nothing left to reset.
                }
                closeQuietly(socket);
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is all that was asked; a socket that fails to close is gone anyway.
        }
    }

    /** Stops accepting and resets every connection. */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // Closing is all that was asked.
        }
        cut();
    }
}
