package dev.vigil.bench.nab;

import java.util.List;

/**
 * One NAB data file: its rows in file order and its labelled anomaly windows as row ranges. Immutable (the arrays
 * are not copied: treat them as read-only).
 *
 * @param name       the path under {@code data/}, e.g. {@code realKnownCause/nyc_taxi.csv}
 * @param timestamps the timestamp column as written in the file
 * @param values     the value column as written in the file
 * @param millis     the timestamps as epoch milliseconds (UTC)
 * @param numbers    the values as numbers
 * @param windows    the anomaly windows, in time order
 */
public record NabSeries(String name, String[] timestamps, String[] values, long[] millis, double[] numbers,
                        List<Window> windows) {
    /** An anomaly window as the rows of its first and last timestamp (inclusive), matched as NAB matches them. */
    public record Window(int first, int last) {
        public Window {
            if (first < 0 || last < first) {
                throw new IllegalArgumentException("window rows must be 0 <= first <= last, were " + first + ", " + last);
            }
        }

        public int rows() {
            return last - first + 1;
        }
    }

    public NabSeries {
        windows = List.copyOf(windows);
        if (timestamps.length != values.length || values.length != millis.length || millis.length != numbers.length) {
            throw new IllegalArgumentException(name + ": columns of different lengths");
        }
    }

    /** The category: the folder the file is in ({@code realKnownCause}). */
    public String category() {
        int slash = name.indexOf('/');
        return slash < 0 ? "" : name.substring(0, slash);
    }

    public int rows() {
        return millis.length;
    }
}
