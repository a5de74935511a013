package io.echowall.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One element of a {@code Sec-WebSocket-Extensions} header, e.g. {@code permessage-deflate; server_max_window_bits=10}.
 *
 * @param name   the extension token, lower-cased
 * @param params its parameters in order, duplicates kept so negotiation can reject them
 */
record Extension(String name, List<Param> params) {

    /** A parameter; {@code value} is null when the parameter has none, and is unquoted when it was quoted. */
    record Param(String name, String value) {
    }

    /**
     * Parses a header value per the grammar of RFC 6455 section 9.1:
     * {@code 1#( token *( ";" token [ "=" ( token | quoted-string ) ] ) )}.
     *
     * @throws IllegalArgumentException when the value does not follow that grammar
     */
    static List<Extension> parseAll(String header) {
        var cursor = new Cursor(header);
        var extensions = new ArrayList<Extension>();
        do {
            cursor.skipSpace();
            if (cursor.peek() == ',') {
                continue; // RFC 7230 section 7: empty list elements are allowed and ignored
            }
            String name = cursor.token().toLowerCase(Locale.ROOT);
            var params = new ArrayList<Param>();
            cursor.skipSpace();
            while (cursor.peek() == ';') {
                cursor.advance();
                cursor.skipSpace();
                String paramName = cursor.token().toLowerCase(Locale.ROOT);
                cursor.skipSpace();
                String value = null;
                if (cursor.peek() == '=') {
                    cursor.advance();
                    cursor.skipSpace();
                    value = cursor.peek() == '"' ? cursor.quoted() : cursor.token();
                    cursor.skipSpace();
                }
                params.add(new Param(paramName, value));
            }
            extensions.add(new Extension(name, List.copyOf(params)));
            cursor.skipSpace();
        } while (cursor.consume(','));
        if (!cursor.atEnd()) {
            throw new IllegalArgumentException("unexpected '" + cursor.peek() + "' in \"" + header + "\"");
        }
        return List.copyOf(extensions);
    }

    /** This element written back as a header value. */
    String toHeader() {
        var out = new StringBuilder(name);
        for (Param param : params) {
            out.append("; ").append(param.name());
            if (param.value() != null) {
                out.append('=').append(param.value());
            }
        }
        return out.toString();
    }

    private static final class Cursor {
        private static final String SEPARATORS = "()<>@,;:\\\"/[]?={} \t";
        private final String text;
        private int at;

        Cursor(String text) {
            this.text = text;
        }

        char peek() {
            return at < text.length() ? text.charAt(at) : '\0';
        }

        void advance() {
            at++;
        }

        boolean atEnd() {
            return at >= text.length();
        }

        boolean consume(char c) {
            if (peek() == c && !atEnd()) {
                at++;
                return true;
            }
            return false;
        }

        void skipSpace() {
            while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
                at++;
            }
        }

        String token() {
            int begin = at;
            while (!atEnd() && peek() > 0x20 && peek() < 0x7F && SEPARATORS.indexOf(peek()) < 0) {
                at++;
            }
            if (begin == at) {
                throw new IllegalArgumentException("expected a token at position " + at + " of \"" + text + "\"");
            }
            return text.substring(begin, at);
        }

        String quoted() {
            var value = new StringBuilder();
            at++; // opening quote
            while (!atEnd() && peek() != '"') {
                if (peek() == '\\') {
                    at++;
                }
                if (!atEnd()) {
                    value.append(peek());
                    at++;
                }
            }
            if (!consume('"')) {
                throw new IllegalArgumentException("unterminated quoted string in \"" + text + "\"");
            }
            return value.toString();
        }
    }
}
