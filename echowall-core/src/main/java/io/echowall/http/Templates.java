package io.echowall.http;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.LoaderException;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.loader.FileLoader;
import io.pebbletemplates.pebble.loader.Loader;
import io.pebbletemplates.pebble.template.PebbleTemplate;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Pebble templates, with HTML autoescaping on.
 *
 * <p>In production they come from {@code templates/} on the classpath, parsed once and cached. In
 * development ({@link #fromDirectory(Path)}) they are read from a directory and parsed on every render,
 * so an edit shows on the next page load without a restart.
 */
public final class Templates {

    private final PebbleEngine engine;
    private final String source;

    private Templates(PebbleEngine engine, String source) {
        this.engine = engine;
        this.source = source;
    }

    /** Cached templates from {@code templates/} on the classpath. */
    public static Templates fromClasspath() {
        Loader<String> loader = new ClasspathLoader(Templates.class.getClassLoader());
        loader.setPrefix("templates");
        return new Templates(new PebbleEngine.Builder().loader(loader).build(), "classpath:templates/");
    }

    /** Templates read afresh from {@code directory} on every render. */
    public static Templates fromDirectory(Path directory) {
        FileLoader loader = new FileLoader();
        loader.setPrefix(directory.toAbsolutePath().toString());
        return new Templates(new PebbleEngine.Builder().loader(loader).cacheActive(false).build(),
                directory.toAbsolutePath() + "/");
    }

    /**
     * Renders the template {@code name} with {@code model}.
     *
     * @throws NoSuchElementException if there is no such template
     */
    public String render(String name, Map<String, ?> model) {
        PebbleTemplate template;
        try {
            template = engine.getTemplate(name);
        } catch (LoaderException e) {
            throw new NoSuchElementException("no template " + name + " in " + source);
        }
        StringWriter out = new StringWriter();
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> context = (Map<String, Object>) model;
            template.evaluate(out, context);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
