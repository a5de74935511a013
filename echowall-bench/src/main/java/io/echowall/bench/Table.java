package io.echowall.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The human-readable result: a title line, then labelled rows with aligned values. */
final class Table {
    private final String title;
    private final List<String[]> rows = new ArrayList<>();

    Table(String title) {
        this.title = title;
    }

    Table row(String label, String value) {
        rows.add(new String[] {label, value});
        return this;
    }

    void print(PrintWriter out) {
        int width = rows.stream().mapToInt(row -> row[0].length()).max().orElse(0);
        out.println(title);
        for (String[] row : rows) {
            out.printf(Locale.ROOT, "  %-" + width + "s  %s%n", row[0], row[1]);
        }
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    static String micros(double micros) {
        return String.format(Locale.ROOT, "%,.1f", micros);
    }

    static String seconds(double seconds) {
        return String.format(Locale.ROOT, "%.1f s", seconds);
    }
}
