package dev.vigil.fact;

import java.util.Locale;

/** Short human renderings of numbers for evidence details ("2m 15s", "12%", "3.2 GiB"). Stateless. */
public final class Describe {
    private Describe() {
    }

    /** A duration in seconds as "45s", "2m 15s", "3h 10m", "5d 2h"; "never" for infinity. */
    public static String seconds(double s) {
        if (Double.isInfinite(s) || Double.isNaN(s)) {
            return "never";
        }
        long t = Math.round(Math.abs(s));
        if (t < 60) {
            return t + "s";
        }
        if (t < 3600) {
            return (t / 60) + "m" + (t % 60 == 0 ? "" : " " + (t % 60) + "s");
        }
        if (t < 86_400) {
            return (t / 3600) + "h" + ((t % 3600) / 60 == 0 ? "" : " " + (t % 3600) / 60 + "m");
        }
        return (t / 86_400) + "d" + ((t % 86_400) / 3600 == 0 ? "" : " " + (t % 86_400) / 3600 + "h");
    }

    public static String percent(double ratio) {
        return String.format(Locale.ROOT, ratio < 0.1 && ratio > 0 ? "%.1f%%" : "%.0f%%", ratio * 100);
    }

    /** A value without a needless ".0". */
    public static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    public static String bytes(double b) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        while (Math.abs(b) >= 1024 && u < units.length - 1) {
            b /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.1f %s", b, units[u]);
    }
}
