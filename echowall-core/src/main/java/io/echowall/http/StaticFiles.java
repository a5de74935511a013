package io.echowall.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;

/**
 * Files served under a URL prefix, from a classpath folder or from a directory, with content types and
 * validators ({@code ETag}, {@code Last-Modified}) so browsers can revalidate with 304s.
 *
 * <p>Nothing outside the root is reachable: a request path with {@code ..}, {@code .}, empty or
 * backslash segments, or a NUL, is simply not found, and in a directory a symbolic link leading out of
 * the root is not followed. A request for a folder serves its {@code index.html}. Files in a directory
 * larger than 1 MiB are streamed from disk as the client takes them, never read whole into memory.
 */
public final class StaticFiles {

    /**
     * A file to serve: its bytes in {@code content}, or, for a large file in a directory, {@code content}
     * null and the file to stream in {@code path}.
     */
    public record StaticFile(String name, byte[] content, Path path, long length, String contentType, String etag,
                             Instant lastModified) {
    }

    /** Files in a directory larger than this are streamed from disk rather than read into memory. */
    private static final int STREAM_ABOVE = 1 << 20;

    /** Classpath files at most this large are kept in memory after the first request. */
    private static final int CACHE_LIMIT = 1 << 20;

    private final String prefix;
    private final String classpathFolder;
    private final Path directory;
    private final Map<String, Optional<StaticFile>> classpathCache = new ConcurrentHashMap<>();

    private StaticFiles(String prefix, String classpathFolder, Path directory) {
        this.prefix = normalizePrefix(prefix);
        this.classpathFolder = classpathFolder;
        this.directory = directory;
    }

    /**
     * Files under the classpath folder {@code folder}, served under the URL prefix {@code prefix}.
     *
     * @throws IllegalArgumentException if no such folder is on the class path: a misspelt folder would
     *                                  otherwise only show as 404s
     */
    public static StaticFiles fromClasspath(String prefix, String folder) {
        String clean = folder.replaceAll("^/+|/+$", "");
        if (!clean.isEmpty() && classLoader().getResource(clean) == null && classLoader().getResource(clean + "/") == null) {
            throw new IllegalArgumentException("no folder \"" + clean + "\" on the class path for the static files under "
                    + prefix + " (in a Maven project it is src/main/resources/" + clean + ")");
        }
        return new StaticFiles(prefix, clean, null);
    }

    /** Files under {@code directory}, served under the URL prefix {@code prefix}. */
    public static StaticFiles fromDirectory(String prefix, Path directory) {
        try {
            return new StaticFiles(prefix, null, directory.toRealPath());
        } catch (IOException e) {
            throw new IllegalArgumentException("no directory " + directory.toAbsolutePath()
                    + " for the static files under " + prefix, e);
        }
    }

    /**
     * The file for a decoded request path, if this source has one.
     *
     * @throws UncheckedIOException if the file exists but cannot be read
     */
    public Optional<StaticFile> find(String path) {
        String relative = relativePath(path);
        if (relative == null) {
            return Optional.empty();
        }
        return directory != null ? fromDirectory(relative) : fromClasspath(relative);
    }

    /** The part of {@code path} after the prefix, or null if it is outside the prefix or unsafe. */
    private String relativePath(String path) {
        String rest;
        if (prefix.isEmpty()) {
            rest = path;
        } else if (path.equals(prefix) || path.startsWith(prefix + "/")) {
            rest = path.substring(prefix.length());
        } else {
            return null;
        }
        if (rest.startsWith("/")) {
            rest = rest.substring(1);
        }
        if (rest.isEmpty() || rest.endsWith("/")) {
            rest = rest + "index.html";
        }
        if (rest.indexOf('\0') >= 0 || rest.indexOf('\\') >= 0) {
            return null;
        }
        for (String segment : rest.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return null;
            }
        }
        return rest;
    }

    private Optional<StaticFile> fromDirectory(String relative) {
        Path file = directory.resolve(relative).normalize();
        try {
            if (!file.startsWith(directory) || !file.toRealPath().startsWith(directory)) {
                return Optional.empty();
            }
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (attributes.isDirectory()) {
                return fromDirectory(relative + "/index.html");
            }
            if (!attributes.isRegularFile()) {
                return Optional.empty();
            }
            Instant modified = attributes.lastModifiedTime().toInstant().truncatedTo(ChronoUnit.SECONDS);
            String etag = "W/\"" + Long.toHexString(attributes.size()) + "-"
                    + Long.toHexString(modified.getEpochSecond()) + "\"";
            long length = attributes.size();
            byte[] content = length > STREAM_ABOVE ? null : Files.readAllBytes(file);
            return Optional.of(new StaticFile(file.getFileName().toString(), content, file, length,
                    MimeTypes.forFileName(relative), etag, modified));
        } catch (FileSystemException e) {
            return Optional.empty(); // missing, under a file rather than a folder, or not ours to read
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read static file " + file, e);
        }
    }

    private Optional<StaticFile> fromClasspath(String relative) {
        Optional<StaticFile> cached = classpathCache.get(relative);
        if (cached != null) {
            return cached;
        }
        Optional<StaticFile> found = loadFromClasspath(relative);
        if (found.map(f -> f.content().length <= CACHE_LIMIT).orElse(true) && classpathCache.size() < 10_000) {
            classpathCache.put(relative, found);
        }
        return found;
    }

    private static ClassLoader classLoader() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return loader != null ? loader : StaticFiles.class.getClassLoader();
    }

    private Optional<StaticFile> loadFromClasspath(String relative) {
        String resource = classpathFolder.isEmpty() ? relative : classpathFolder + "/" + relative;
        URL url = classLoader().getResource(resource);
        if (url == null) {
            return Optional.empty();
        }
        try {
            URLConnection connection = url.openConnection();
            connection.setUseCaches(false);
            boolean folder;
            byte[] content;
            long modifiedMillis;
            try (InputStream in = connection.getInputStream()) { // closing it also closes a jar opened for it
                folder = isFolder(url, connection);
                content = folder ? null : in.readAllBytes();
                modifiedMillis = connection.getLastModified();
            }
            if (folder) {
                return loadFromClasspath(relative + "/index.html"); // as in a directory
            }
            CRC32 crc = new CRC32();
            crc.update(content);
            String etag = "\"" + HexFormat.of().toHexDigits(crc.getValue()).substring(8) + "-"
                    + Integer.toHexString(content.length) + "\"";
            Instant modified = Instant.ofEpochMilli(modifiedMillis > 0 ? modifiedMillis : 0)
                    .truncatedTo(ChronoUnit.SECONDS);
            return Optional.of(new StaticFile(relative, content, null, content.length, MimeTypes.forFileName(relative),
                    etag, modified));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath resource " + resource, e);
        }
    }

    /**
     * Whether a classpath resource is a folder: a directory on disk, or a directory entry in a jar
     * (which the class loader finds without the trailing slash, and which reads as empty).
     */
    private static boolean isFolder(URL url, URLConnection connection) throws IOException {
        if (connection instanceof JarURLConnection jar) {
            return jar.getJarEntry().isDirectory();
        }
        if (!"file".equals(url.getProtocol())) {
            return false;
        }
        try {
            return Files.isDirectory(Path.of(url.toURI()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String normalizePrefix(String prefix) {
        String p = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        if (!p.isEmpty() && !p.startsWith("/")) {
            throw new IllegalArgumentException("a static files prefix must start with '/': " + prefix);
        }
        return p;
    }
}
