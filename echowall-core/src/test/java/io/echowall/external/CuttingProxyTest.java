package io.echowall.external;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The proxy the reconnect tests cut: it forwards both ways, a cut resets both sides, a cut that loses
 * replies still passes on what the client sends, and a target that is down gets the client reset.
 */
@Timeout(30)
class CuttingProxyTest {

    /** An echo server on loopback that also keeps every line it received. */
    private ServerSocket echo;
    private final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();

    @BeforeEach
    void startEcho() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket socket = echo.accept();
                    Thread.ofVirtual().start(() -> echoLines(socket));
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    private void echoLines(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b >= 0; b = in.read()) {
                socket.getOutputStream().write(b);
                if (b == '\n') {
                    received.add(line.toString());
                    line.setLength(0);
                } else {
                    line.append((char) b);
                }
            }
        } catch (IOException e) {
            // The connection was cut: what the test is about.
        }
    }

    @AfterEach
    void stopEcho() throws IOException {
        echo.close();
    }

    private static Socket connect(CuttingProxy proxy) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void send(Socket socket, String line) throws IOException {
        socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static String readLine(Socket socket, int length) throws IOException {
        return new String(socket.getInputStream().readNBytes(length + 1), StandardCharsets.US_ASCII).strip();
    }

    @Test
    void forwardsBothWaysUntilACutResetsBothSides() throws Exception {
        try (CuttingProxy proxy = CuttingProxy.start(echo.getLocalPort()); Socket client = connect(proxy)) {
            send(client, "hello");
            assertThat(readLine(client, 5)).isEqualTo("hello");
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("hello");
            assertThat(proxy.open()).isEqualTo(1);

            assertThat(proxy.cut()).isEqualTo(1);
            assertThatThrownBy(() -> client.getInputStream().read()).as("a reset, not an end of stream")
                    .isInstanceOf(SocketException.class);
            assertThat(proxy.open()).isZero();
            assertThat(proxy.accepted()).isEqualTo(1);
        }
    }

    @Test
    void aCutThatLosesRepliesStillPassesOnWhatTheClientSends() throws Exception {
        try (CuttingProxy proxy = CuttingProxy.start(echo.getLocalPort()); Socket client = connect(proxy)) {
            send(client, "first");
            assertThat(readLine(client, 5)).isEqualTo("first");
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("first");

            assertThat(proxy.loseReplies()).isEqualTo(1);
            send(client, "second");
            assertThat(received.poll(10, TimeUnit.SECONDS)).as("what the client sent, at the server").isEqualTo("second");
            client.setSoTimeout(300);
            assertThatThrownBy(() -> client.getInputStream().read()).as("the echo, lost")
                    .isInstanceOf(SocketTimeoutException.class);
            assertThat(proxy.cut()).isEqualTo(1);
            client.setSoTimeout(10_000);
            assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketException.class);
        }
    }

    @Test
    void aClientOfATargetThatIsDownIsReset() throws Exception {
        int down;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            down = closed.getLocalPort();
        }
        try (CuttingProxy proxy = CuttingProxy.start(down); Socket client = connect(proxy)) {
            assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketException.class);
            assertThat(proxy.open()).isZero();
        }
    }
}
