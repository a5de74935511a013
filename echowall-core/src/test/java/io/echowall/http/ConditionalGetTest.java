package io.echowall.http;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ConditionalGetTest {

    private static final Instant MODIFIED = Instant.parse("2026-01-02T03:04:05Z");
    private static final String ETAG = "\"abc\"";

    @Test
    void aMatchingEtagIsNotModifiedWeaklyCompared() {
        assertThat(ConditionalGet.notModified("\"abc\"", null, ETAG, MODIFIED)).isTrue();
        assertThat(ConditionalGet.notModified("W/\"abc\"", null, ETAG, MODIFIED)).isTrue();
        assertThat(ConditionalGet.notModified("\"x\", \"abc\"", null, ETAG, MODIFIED)).isTrue();
        assertThat(ConditionalGet.notModified("*", null, ETAG, MODIFIED)).isTrue();
        assertThat(ConditionalGet.notModified("\"other\"", null, ETAG, MODIFIED)).isFalse();
    }

    @Test
    void ifNoneMatchWinsOverIfModifiedSince() {
        assertThat(ConditionalGet.notModified("\"other\"", "Fri, 02 Jan 2026 03:04:05 GMT", ETAG, MODIFIED)).isFalse();
    }

    @Test
    void aDateAtOrAfterTheModificationIsNotModified() {
        assertThat(ConditionalGet.notModified(null, "Fri, 02 Jan 2026 03:04:05 GMT", ETAG, MODIFIED)).isTrue();
        assertThat(ConditionalGet.notModified(null, "Fri, 02 Jan 2026 03:04:04 GMT", ETAG, MODIFIED)).isFalse();
    }

    @Test
    void anUnreadableDateIsIgnored() {
        assertThat(ConditionalGet.notModified(null, "yesterday", ETAG, MODIFIED)).isFalse();
        assertThat(ConditionalGet.notModified(null, null, ETAG, MODIFIED)).isFalse();
    }

    @Test
    void datesAreWrittenAsImfFixdateWithTwoDigitDays() {
        assertThat(ConditionalGet.HTTP_DATE.format(MODIFIED)).isEqualTo("Fri, 02 Jan 2026 03:04:05 GMT");
    }
}
