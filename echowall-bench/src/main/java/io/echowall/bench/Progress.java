package io.echowall.bench;

import java.io.PrintWriter;

/** Where a run reports how it is going, about once a second. */
interface Progress {
    /** Reports nothing: for tests and scripts. */
    Progress SILENT = new Progress() {
        @Override
        public void show(String line) {
        }

        @Override
        public void done() {
        }
    };

    /** Replaces the current progress line. */
    void show(String line);

    /** The run is over: leaves the last line in place. */
    void done();

    /** A line on {@code err} rewritten in place with a carriage return, as terminals show it. */
    static Progress overwriting(PrintWriter err) {
        return new Progress() {
            private int lastLength;
            private boolean shown;

            @Override
            public void show(String line) {
                // Pad with spaces so a shorter line fully covers the previous one.
                err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
                err.flush();
                lastLength = line.length();
                shown = true;
            }

            @Override
            public void done() {
                if (shown) {
                    err.println();
                    err.flush();
                }
            }
        };
    }
}
