package dev.vigil.daemon;

import dev.vigil.content.ContentError;
import java.util.List;

/**
 * The answer to one reload request: applied, unchanged, or rejected with every error (file and line), the old
 * content still running. Immutable; the API maps it to a response (rejected is a client error, not retryable until
 * the files are fixed).
 */
public sealed interface ReloadResult {
    /** Who asked: {@code file watch}, {@code SIGHUP}, or the API caller. */
    String who();

    /** The new content runs. */
    record Applied(String who, ContentDiff diff, String summary, long compileMillis, long swapMillis, SwapOutcome swap)
            implements ReloadResult {
    }

    /** The files hash the same as what runs: nothing was swapped. */
    record Unchanged(String who, long compileMillis) implements ReloadResult {
    }

    /** The new content does not compile or validate; the old keeps running. */
    record Rejected(String who, List<ContentError> errors) implements ReloadResult {
        public Rejected {
            errors = List.copyOf(errors);
        }
    }

    /** One line for people and logs. */
    default String describe() {
        if (this instanceof Applied a) {
            return "content reloaded (asked by " + who() + "): " + a.diff() + "; " + a.summary() + "; compiled in "
                    + a.compileMillis() + " ms, swapped in " + a.swapMillis() + " ms, " + a.swap().factsCarried()
                    + " facts carried, " + a.swap().diagnosesOpen() + " diagnoses kept open"
                    + (a.swap().diagnosesClosed().isEmpty() ? "" : ", closed (signature removed): " + a.swap().diagnosesClosed());
        }
        if (this instanceof Rejected r) {
            return "content reload rejected (asked by " + who() + "), the previous content keeps running: "
                    + r.errors().size() + " error(s)\n  " + String.join("\n  ", r.errors().stream().map(ContentError::toString).toList());
        }
        return "content unchanged (asked by " + who() + "): nothing to swap";
    }
}
