package io.echowall.bench;

import org.HdrHistogram.Histogram;

/** The percentiles a run reports, in microseconds, from a histogram of nanoseconds; NaN when nothing was recorded. */
record LatencySummary(long count, double p50, double p99, double p999, double max, double mean) {

    static LatencySummary of(Histogram nanos) {
        if (nanos.getTotalCount() == 0) {
            return new LatencySummary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new LatencySummary(nanos.getTotalCount(),
                micros(nanos.getValueAtPercentile(50)),
                micros(nanos.getValueAtPercentile(99)),
                micros(nanos.getValueAtPercentile(99.9)),
                micros(nanos.getMaxValue()),
                nanos.getMean() / 1000);
    }

    Json toJson() {
        return new Json().put("count", count).put("p50", p50).put("p99", p99).put("p999", p999)
                .put("max", max).put("mean", mean);
    }

    /** One line for the table: {@code p50 212.3  p99 640.1  p99.9 1,203.0  max 5,120.4}. */
    String describe() {
        if (count == 0) {
            return "none recorded";
        }
        return "p50 " + Table.micros(p50) + "   p99 " + Table.micros(p99) + "   p99.9 " + Table.micros(p999)
                + "   max " + Table.micros(max);
    }

    private static double micros(long nanos) {
        return nanos / 1000.0;
    }
}
