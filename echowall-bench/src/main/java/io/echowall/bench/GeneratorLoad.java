package io.echowall.bench;

import java.util.Locale;

/**
 * How hard the generator itself worked during the measurement window: CPU time of its event loop
 * threads per unit of work (a message, a connection) and how busy those threads were. A loop near
 * 100% busy means the numbers may describe the generator rather than the server.
 */
record GeneratorLoad(double cpuMicrosPerUnit, double busy, int threads) {
    /** Above this, the result carries a warning. */
    static final double SATURATED = 0.9;

    /** {@code cpuNanos} of loop CPU time (-1 if unknown) spent on {@code units} over {@code seconds} with {@code threads} loops. */
    static GeneratorLoad of(long cpuNanos, long units, double seconds, int threads) {
        if (cpuNanos < 0) {
            return new GeneratorLoad(Double.NaN, Double.NaN, threads);
        }
        double perUnit = units == 0 ? Double.NaN : cpuNanos / 1000.0 / units;
        return new GeneratorLoad(perUnit, cpuNanos / (seconds * 1e9 * threads), threads);
    }

    boolean saturated() {
        return busy >= SATURATED;
    }

    Json toJson() {
        return new Json().put("cpu_us_per_unit", cpuMicrosPerUnit).put("busy", busy).put("threads", threads)
                .put("saturated", saturated());
    }

    String describe(String unit) {
        if (Double.isNaN(busy)) {
            return "unknown (no thread CPU time in this JVM)";
        }
        String line = String.format(Locale.ROOT, "%.2f us CPU per %s, event loop%s %.0f%% busy",
                cpuMicrosPerUnit, unit, threads == 1 ? "" : "s", busy * 100);
        return saturated() ? line + "  << near saturation: the generator may be the bottleneck" : line;
    }
}
