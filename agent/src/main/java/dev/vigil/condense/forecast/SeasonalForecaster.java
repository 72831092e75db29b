package dev.vigil.condense.forecast;

/**
 * An additive Holt–Winters forecaster with a daily and a weekly cycle, indexed by wall-clock time rather than by
 * sample count, so it works at any (even irregular) sampling interval. Not thread-safe: one instance per series.
 *
 * <p>Implementation note: the state is a level, {@link ForecastParams#daySlots()} time-of-day offsets and 7
 * day-of-week offsets (constant memory). The level's and the daily offsets' smoothing factors start as a running mean (1/n) and falls to its
 * configured value, so a new series needs no separate warm-up fit: the first day of data sets the daily profile.
 * The weekly offsets learn at their fixed rate once two days are seen, so that they hold what differs between days
 * of the week and not the settling of the daily profile.
 */
public final class SeasonalForecaster {
    private static final long DAY_MILLIS = 86_400_000L;

    private final double alpha;
    private final double gamma;
    private final double weekGamma;
    private final long slotMillis;
    private final double[] daily;
    private final int[] dailySeen;
    private final double[] weekly = new double[7];
    private double dailyShift;
    private double weeklyShift;
    private double level = Double.NaN;
    private long firstMillis;
    private long updates;

    public SeasonalForecaster(ForecastParams params) {
        this.alpha = params.levelAlpha();
        this.gamma = params.dayGamma();
        this.weekGamma = params.weekGamma();
        this.slotMillis = DAY_MILLIS / params.daySlots();
        this.daily = new double[params.daySlots()];
        this.dailySeen = new int[params.daySlots()];
    }

    /** The forecast for {@code timeMillis} from everything seen so far; NaN before the first point. */
    public double forecast(long timeMillis) {
        return level + seasonal(timeMillis);
    }

    /** The seasonal offset (daily plus weekly) at {@code timeMillis}. */
    public double seasonal(long timeMillis) {
        return daily[daySlot(timeMillis)] - dailyShift + weekly[weekDay(timeMillis)] - weeklyShift;
    }

    /** The deseasonalised level. */
    public double level() {
        return level;
    }

    /** Learns one point (after it was forecast: no look-ahead). */
    public void update(long timeMillis, double value) {
        int d = daySlot(timeMillis);
        int w = weekDay(timeMillis);
        updates++;
        if (Double.isNaN(level)) {
            level = value;
            firstMillis = timeMillis;
            return;
        }
        double dayOffset = daily[d] - dailyShift;
        double weekOffset = weekly[w] - weeklyShift;
        double a = Math.max(alpha, 1.0 / updates);
        level += a * (value - dayOffset - weekOffset - level);
        double g = Math.max(gamma, 1.0 / ++dailySeen[d]);
        double dayStep = g * (value - level - weekOffset - dayOffset);
        // the weekly offsets learn only against a daily profile of two days at least, not the first rough one
        double weekStep = timeMillis - firstMillis < 2 * DAY_MILLIS ? 0 : weekGamma * (value - level - dayOffset - weekOffset);
        // Keep each cycle's offsets centred on zero by moving their mean into the level (in O(1), through a shift
        // subtracted on read): otherwise a cycle absorbs a change of level and the forecast jumps at the next slot.
        daily[d] += dayStep;
        dailyShift += dayStep / daily.length;
        weekly[w] += weekStep;
        weeklyShift += weekStep / weekly.length;
        level += dayStep / daily.length + weekStep / weekly.length;
    }

    private int daySlot(long timeMillis) {
        return (int) Math.min(daily.length - 1, Math.floorMod(timeMillis, DAY_MILLIS) / slotMillis);
    }

    private static int weekDay(long timeMillis) {
        return (int) Math.floorMod(Math.floorDiv(timeMillis, DAY_MILLIS), 7L);
    }
}
