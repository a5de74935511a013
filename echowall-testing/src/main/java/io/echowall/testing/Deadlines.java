package io.echowall.testing;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** The kit's waits: each bounded by a deadline, each failure an {@link AssertionError} that says what was awaited. */
final class Deadlines {

    /**
     * How long a step may take unless a test says otherwise: far more than anything takes on loopback,
     * short enough that a test waiting for something that never comes fails soon.
     */
    static final Duration DEFAULT = Duration.ofSeconds(5);

    private Deadlines() {
    }

    /** {@code deadline} checked: positive, as a wait of zero or less could never succeed. */
    static Duration checked(Duration deadline) {
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("a deadline must be positive, not " + deadline);
        }
        return deadline;
    }

    /**
     * The value of {@code future}, waiting up to {@code deadline}.
     *
     * @param what what the future does, for a failure message ("sending text …"); made only on failure
     * @throws AssertionError if it fails, does not complete in time, or the thread is interrupted (whose
     *                        flag stays set)
     */
    static <T> T await(CompletableFuture<T> future, Duration deadline, Supplier<String> what) {
        try {
            return future.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(what.get() + ": not done within " + describe(deadline));
        } catch (ExecutionException e) {
            throw new AssertionError(what.get() + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            throw interrupted(what.get(), e);
        }
    }

    /** Keeps the thread's interrupt flag set and says what the interrupt cut short. */
    static AssertionError interrupted(String what, InterruptedException e) {
        Thread.currentThread().interrupt();
        return new AssertionError("interrupted while " + what, e);
    }

    /** {@code d} as a person writes it: "5 s", "200 ms". */
    static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
