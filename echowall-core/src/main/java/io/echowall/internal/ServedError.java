package io.echowall.internal;

import java.util.Map;

/**
 * An error response Echowall itself decides on while serving a request (404: nothing here, 405: not
 * this method), thrown on the request's virtual thread so that an app's error handler for that status
 * can build the response instead of the default page.
 */
final class ServedError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Map<String, String> headers;

    /** The error {@code status}, with a one-line explanation for the default page and headers it always carries. */
    ServedError(int status, String explanation, Map<String, String> headers) {
        super(explanation, null, false, false);
        this.status = status;
        this.headers = headers;
    }

    int status() {
        return status;
    }

    /** Headers the response keeps whoever builds it, such as {@code Allow} on a 405. */
    Map<String, String> headers() {
        return headers;
    }
}
