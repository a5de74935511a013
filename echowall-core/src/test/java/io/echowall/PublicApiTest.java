package io.echowall;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the public API: the types in {@code io.echowall}, and that no Netty type appears in any of
 * their signatures. A change here is a change users see; make it on purpose.
 */
class PublicApiTest {

    private static final List<String> PUBLIC_TYPES = List.of(
            "CloseCode", "CloseException", "CloseStatus", "ConnectionClosed", "Context", "Echowall",
            "EchowallConfig", "Handler", "Message", "WebSocket", "WebSocketHandler", "WebSocketListener",
            "WebSocketOptions");

    @Test
    void thePublicPackageHoldsExactlyTheseTypes() throws IOException, URISyntaxException {
        Path dir = Path.of(Echowall.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("io/echowall");
        try (Stream<Path> files = Files.list(dir)) {
            List<String> topLevel = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".class") && !n.contains("$"))
                    .map(n -> n.substring(0, n.length() - ".class".length()))
                    .sorted()
                    .toList();
            assertThat(topLevel).containsExactlyElementsOf(PUBLIC_TYPES);
        }
    }

    @Test
    void noNettyTypeLeaksIntoAPublicSignature() throws ClassNotFoundException {
        for (String name : PUBLIC_TYPES) {
            Class<?> type = Class.forName("io.echowall." + name);
            assertThat(Modifier.isPublic(type.getModifiers())).as(name + " is public").isTrue();
            for (Method m : type.getMethods()) {
                Stream.concat(Stream.of(m.getReturnType()), Arrays.stream(m.getParameterTypes()))
                        .forEach(t -> assertThat(t.getName()).as(name + "." + m.getName()).doesNotStartWith("io.netty"));
            }
        }
    }
}
