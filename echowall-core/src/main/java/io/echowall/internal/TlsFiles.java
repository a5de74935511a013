package io.echowall.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Checks the TLS certificate chain and key files before TLS reads them, so that a wrong file is
 * reported as what it is (missing, not PEM, a key in another format) in one line that says what to
 * do, rather than as a key that "does not contain a valid private key".
 */
final class TlsFiles {

    private TlsFiles() {
    }

    /** Throws {@link IllegalArgumentException} with a one-line reason if either file cannot be used. */
    static void check(Path chain, Path key) {
        if (!read(chain, "certificate chain").contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException("the TLS certificate chain " + chain
                    + " holds no PEM certificate (a -----BEGIN CERTIFICATE----- block)");
        }
        String pem = read(key, "private key");
        if (pem.contains("-----BEGIN PRIVATE KEY-----")) {
            return;
        }
        String convert = "; convert it with: openssl pkcs8 -topk8 -nocrypt -in " + key + " -out key.pkcs8.pem";
        if (pem.contains("-----BEGIN RSA PRIVATE KEY-----")) {
            throw new IllegalArgumentException("the TLS private key " + key
                    + " is in PKCS#1 form (BEGIN RSA PRIVATE KEY) but Echowall reads PKCS#8" + convert);
        }
        if (pem.contains("-----BEGIN EC PRIVATE KEY-----")) {
            throw new IllegalArgumentException("the TLS private key " + key
                    + " is in SEC1 form (BEGIN EC PRIVATE KEY) but Echowall reads PKCS#8" + convert);
        }
        if (pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            throw new IllegalArgumentException("the TLS private key " + key
                    + " is encrypted but Echowall reads it unencrypted (readable by the server's user only)" + convert);
        }
        throw new IllegalArgumentException("the TLS private key " + key
                + " holds no PEM private key (a -----BEGIN PRIVATE KEY----- block)");
    }

    private static String read(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1); // PEM is ASCII; any byte reads
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("the TLS " + what + " file " + file + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the TLS " + what + " file " + file + ": " + e);
        }
    }
}
