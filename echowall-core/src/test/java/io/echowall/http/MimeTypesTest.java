package io.echowall.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class MimeTypesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "index.html       | text/html; charset=utf-8",
            "INDEX.HTM        | text/html; charset=utf-8",
            "site.css         | text/css; charset=utf-8",
            "app.js           | text/javascript; charset=utf-8",
            "module.mjs       | text/javascript; charset=utf-8",
            "data.json        | application/json",
            "notes.txt        | text/plain; charset=utf-8",
            "logo.svg         | image/svg+xml",
            "photo.JPG        | image/jpeg",
            "icon.png         | image/png",
            "favicon.ico      | image/vnd.microsoft.icon",
            "font.woff2       | font/woff2",
            "code.wasm        | application/wasm",
            "archive.tar.gz   | application/gzip",
            "app.webmanifest  | application/manifest+json"})
    void knownExtensionsHaveTheirType(String name, String type) {
        assertThat(MimeTypes.forFileName(name)).isEqualTo(type);
    }

    @ParameterizedTest
    @CsvSource({"README", "file.", "binary.xyz", ".hidden", "dir.d/file"})
    void unknownOrMissingExtensionsAreOctetStream(String name) {
        assertThat(MimeTypes.forFileName(name)).isEqualTo("application/octet-stream");
    }
}
