package io.echowall.testing;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the test kit's public API: its types and every public member, and that no Netty, JUnit or
 * AssertJ type appears in a signature (the kit works with any test framework). A change here is a
 * change users see; make it on purpose.
 */
class PublicApiTest {

    private static final List<String> PUBLIC_TYPES = List.of("RawWebSocket", "TestClient", "TestServer");

    /** Each public type's public members, as {@link #describe} writes them. */
    private static final Map<Class<?>, List<String>> MEMBERS = Map.of(
            TestServer.class, List.of(
                    "static TestServer start(Echowall)",
                    "TestServer within(Duration)",
                    "int port()",
                    "URI uri(String)",
                    "URI wsUri(String)",
                    "HttpResponse get(String)",
                    "HttpResponse post(String, String, String)",
                    "HttpResponse send(Builder)",
                    "HttpResponse send(Builder, BodyHandler)",
                    "TestClient connect(String)",
                    "TestClient connect(String, Map, String[])",
                    "void close()",
                    "String toString()"),
            TestClient.class, List.of(
                    "static TestClient connect(URI)",
                    "TestClient within(Duration)",
                    "String subprotocol()",
                    "WebSocket webSocket()",
                    "void send(String)",
                    "void send(byte[])",
                    "Message nextMessage()",
                    "Message nextMessage(Duration)",
                    "void expectText(String)",
                    "void expectBinary(byte[])",
                    "void expectNoMessage(Duration)",
                    "String expectClose(int)",
                    "void close(int, String)",
                    "void close()",
                    "String toString()"),
            RawWebSocket.class, List.of(
                    "static final int TEXT", "static final int BINARY", "static final int CLOSE",
                    "static final int PING", "static final int PONG",
                    "static String newKey()",
                    "static String request(int, String, String[])",
                    "static RawWebSocket open(int, String, String[])",
                    "static RawWebSocket send(int, String)",
                    "static RawWebSocket send(Socket, byte[])",
                    "static byte[] encode(int, byte[], boolean)",
                    "Response response()",
                    "void sendFrame(int, byte[], boolean)",
                    "void send(int, byte[])",
                    "void sendText(String)",
                    "void sendClose(int, String)",
                    "void sendRaw(byte[])",
                    "Frame read()",
                    "Frame readClose()",
                    "boolean serverClosedConnection()",
                    "void readTimeout(int)",
                    "void close()"),
            RawWebSocket.Frame.class, List.of(
                    "new(boolean, int, int, byte[])",
                    "boolean fin()", "int rsv()", "int opcode()", "byte[] payload()",
                    "String text()", "int closeCode()", "String closeReason()",
                    "boolean equals(Object)", "int hashCode()", "String toString()"),
            RawWebSocket.Response.class, List.of(
                    "new(int, Map, String)",
                    "int status()", "Map headers()", "String body()", "String header(String)",
                    "boolean equals(Object)", "int hashCode()", "String toString()"));

    @Test
    void thePackageHoldsExactlyTheseTopLevelTypes() throws IOException, URISyntaxException {
        Path dir = Path.of(TestServer.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("io/echowall/testing");
        try (Stream<Path> files = Files.list(dir)) {
            List<String> publicTypes = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".class") && !n.contains("$") && !n.equals("package-info.class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()))
                    .filter(n -> Modifier.isPublic(load("io.echowall.testing." + n).getModifiers()))
                    .sorted()
                    .toList();
            assertThat(publicTypes).containsExactlyElementsOf(PUBLIC_TYPES);
        }
    }

    @Test
    void eachPublicTypeHasExactlyTheseMembers() {
        for (var type : MEMBERS.entrySet()) {
            assertThat(publicMembers(type.getKey())).as(type.getKey().getName())
                    .containsExactlyInAnyOrderElementsOf(type.getValue());
        }
        assertThat(Arrays.stream(RawWebSocket.class.getClasses()).map(Class::getSimpleName))
                .containsExactlyInAnyOrder("Frame", "Response");
        assertThat(TestServer.class.getClasses()).isEmpty();
        assertThat(TestClient.class.getClasses()).isEmpty();
    }

    @Test
    void noNettyJUnitOrAssertJTypeAppearsInASignature() {
        for (Class<?> type : MEMBERS.keySet()) {
            for (Method m : type.getMethods()) {
                Stream.concat(Stream.of(m.getReturnType()), Arrays.stream(m.getParameterTypes()))
                        .forEach(t -> assertThat(t.getName()).as(type.getSimpleName() + "." + m.getName())
                                .doesNotStartWith("io.netty").doesNotStartWith("org.junit")
                                .doesNotStartWith("org.opentest4j").doesNotStartWith("org.assertj"));
            }
        }
    }

    private static List<String> publicMembers(Class<?> type) {
        List<String> members = new ArrayList<>();
        for (Field f : type.getDeclaredFields()) {
            if (Modifier.isPublic(f.getModifiers())) {
                members.add((Modifier.isStatic(f.getModifiers()) ? "static " : "")
                        + (Modifier.isFinal(f.getModifiers()) ? "final " : "") + f.getType().getSimpleName() + " " + f.getName());
            }
        }
        for (Executable e : type.getDeclaredConstructors()) {
            if (Modifier.isPublic(e.getModifiers())) {
                members.add("new" + parameters(e));
            }
        }
        for (Method m : type.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic()) {
                members.add((Modifier.isStatic(m.getModifiers()) ? "static " : "") + m.getReturnType().getSimpleName() + " "
                        + m.getName() + parameters(m));
            }
        }
        return members;
    }

    private static String parameters(Executable e) {
        return Arrays.stream(e.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"));
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }
}
