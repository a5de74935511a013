package io.echowall.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Conditional GET (RFC 9110 section 13.1): whether the client's copy of a resource is still good. */
public final class ConditionalGet {

    /** IMF-fixdate (RFC 9110 section 5.6.7): unlike RFC 1123 in general, the day always has two digits. */
    public static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private ConditionalGet() {
    }

    /**
     * Whether a request with these headers (either may be null) may get 304 Not Modified for a resource
     * with {@code etag} last modified at {@code lastModified}. If-None-Match wins over If-Modified-Since
     * (section 13.2.2); an unreadable date is ignored (section 13.1.3).
     */
    public static boolean notModified(String ifNoneMatch, String ifModifiedSince, String etag, Instant lastModified) {
        if (ifNoneMatch != null) {
            String ours = weak(etag);
            for (String tag : ifNoneMatch.split(",")) {
                String t = tag.trim();
                if (t.equals("*") || weak(t).equals(ours)) {
                    return true;
                }
            }
            return false;
        }
        if (ifModifiedSince != null) {
            try {
                ZonedDateTime since = ZonedDateTime.parse(ifModifiedSince, DateTimeFormatter.RFC_1123_DATE_TIME);
                return !lastModified.isAfter(since.toInstant());
            } catch (DateTimeParseException ignored) {
                return false;
            }
        }
        return false;
    }

    /** Weak comparison (section 8.8.3.2): the W/ prefix does not count. */
    private static String weak(String etag) {
        return etag.startsWith("W/") ? etag.substring(2) : etag;
    }
}
