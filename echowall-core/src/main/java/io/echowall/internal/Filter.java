package io.echowall.internal;

import io.echowall.Handler;
import io.echowall.http.PathPattern;

/** A before or after filter, for every path ({@code pattern} null) or for the paths of a pattern. */
record Filter(PathPattern pattern, Handler handler) {

    boolean applies(String rawPath) {
        return pattern == null || pattern.match(rawPath) != null;
    }
}
