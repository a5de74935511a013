package io.echowall;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the public API: the types in {@code io.echowall}, the only package the module exports, and that
 * their signatures name nothing but the JDK, the API itself and Micrometer's {@code MeterRegistry} (the
 * one foreign type, so that an app can hand over the registry it already has). A change here is a
 * change users see; make it on purpose.
 */
class PublicApiTest {

    private static final List<String> PUBLIC_TYPES = List.of(
            "Broker", "CloseCode", "CloseException", "CloseStatus", "ConnectionClosed", "Context", "Cookie", "Echowall",
            "EchowallConfig", "ExceptionHandler", "Handler", "Message", "Position", "PresenceEvent", "PublishRefused", "RoomAccess",
            "RoomOptions", "Rooms", "WebSocket",
            "WebSocketHandler", "WebSocketListener", "WebSocketOptions");

    /** Types from outside the JDK and the API that signatures may name, each one on purpose. */
    private static final Set<String> FOREIGN_TYPES = Set.of("io.micrometer.core.instrument.MeterRegistry");

    @Test
    void thePublicPackageMakesExactlyTheseTypesPublic() throws IOException, URISyntaxException {
        Path dir = Path.of(Echowall.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("io/echowall");
        try (Stream<Path> files = Files.list(dir)) {
            List<String> topLevel = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".class") && !n.contains("$"))
                    .map(n -> n.substring(0, n.length() - ".class".length()))
                    .filter(PublicApiTest::isPublic)
                    .sorted()
                    .toList();
            assertThat(topLevel).containsExactlyElementsOf(PUBLIC_TYPES);
        }
    }

    @Test
    void theModuleExportsTheApiPackageAloneAndToEveryone() throws IOException, URISyntaxException {
        Path classes = Path.of(Echowall.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor module = ModuleFinder.of(classes).find("io.echowall").orElseThrow().descriptor();
        assertThat(module.exports()).extracting(ModuleDescriptor.Exports::source).containsExactly("io.echowall");
        assertThat(module.exports()).allMatch(e -> !e.isQualified());
        assertThat(module.opens()).isEmpty();
        assertThat(module.packages()).contains("io.echowall.internal", "io.echowall.websocket", "io.echowall.http",
                "io.echowall.metrics");
    }

    @Test
    void micrometerIsRequiredTransitivelyAndThePrometheusRegistryOnlyWhenPresent() throws URISyntaxException {
        Path classes = Path.of(Echowall.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor module = ModuleFinder.of(classes).find("io.echowall").orElseThrow().descriptor();
        assertThat(module.requires()).filteredOn(r -> r.name().startsWith("micrometer"))
                .extracting(r -> r.name() + " " + r.modifiers())
                .containsExactlyInAnyOrder("micrometer.core [TRANSITIVE]", "micrometer.registry.prometheus [STATIC]");
    }

    @Test
    void publicSignaturesNameOnlyTheJdkTheApiAndMicrometersRegistry() throws ClassNotFoundException {
        for (String name : PUBLIC_TYPES) {
            Class<?> type = Class.forName("io.echowall." + name);
            assertThat(Modifier.isPublic(type.getModifiers())).as(name + " is public").isTrue();
            List<Type> named = new ArrayList<>();
            for (Method m : type.getMethods()) {
                named.add(m.getGenericReturnType());
                named.addAll(Arrays.asList(m.getGenericParameterTypes()));
                named.addAll(Arrays.asList(m.getGenericExceptionTypes()));
            }
            for (Constructor<?> c : type.getConstructors()) {
                named.addAll(Arrays.asList(c.getGenericParameterTypes()));
            }
            for (Field f : type.getFields()) {
                named.add(f.getGenericType());
            }
            for (Type t : named) {
                for (Class<?> c : classesIn(t)) {
                    String pkg = c.getPackageName();
                    assertThat(pkg.equals("io.echowall") || pkg.startsWith("java.") || c.isPrimitive()
                            || FOREIGN_TYPES.contains(c.getName()))
                            .as(name + " names " + c.getName()).isTrue();
                }
            }
        }
    }

    /** Whether {@code io.echowall.name} is public; package-private helpers of the API may sit beside it. */
    private static boolean isPublic(String name) {
        try {
            return Modifier.isPublic(Class.forName("io.echowall." + name).getModifiers());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    /** The classes a (possibly generic) type names. */
    private static List<Class<?>> classesIn(Type type) {
        List<Class<?>> found = new ArrayList<>();
        if (type instanceof Class<?> c) {
            found.add(c.isArray() ? c.componentType() : c);
        } else if (type instanceof ParameterizedType p) {
            found.addAll(classesIn(p.getRawType()));
            for (Type argument : p.getActualTypeArguments()) {
                found.addAll(classesIn(argument));
            }
        } else if (type instanceof GenericArrayType a) {
            found.addAll(classesIn(a.getGenericComponentType()));
        } else if (type instanceof WildcardType w) {
            for (Type bound : w.getUpperBounds()) {
                found.addAll(classesIn(bound));
            }
            for (Type bound : w.getLowerBounds()) {
                found.addAll(classesIn(bound));
            }
        }
        return found;
    }
}
