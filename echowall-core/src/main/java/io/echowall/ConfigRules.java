package io.echowall;

import java.time.Duration;
import java.util.Objects;

/** The checks {@link EchowallConfig} makes of its settings, each failing with the setting's name. */
final class ConfigRules {

    private ConfigRules() {
    }

    static void requireAtLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
        }
    }

    static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    static void requireWindowBits(String name, int bits) {
        if (bits < 8 || bits > 15) {
            throw new IllegalArgumentException(name + " must be 8-15 (RFC 7692 section 7.1.2), was " + bits);
        }
    }
}
