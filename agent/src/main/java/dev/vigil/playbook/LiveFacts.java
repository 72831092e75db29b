package dev.vigil.playbook;

import dev.vigil.fact.Evidence;
import dev.vigil.fact.SeriesState;
import java.util.Collection;

/**
 * The live facts a condition reads: the series of one metric and the evidence that holds now. Not thread-safe: read
 * only on the thread that owns the facts (the engine thread), through {@link FactView}.
 */
public interface LiveFacts {
    /** Every series of {@code metric} the session holds. */
    Collection<SeriesState> series(String metric);

    /** Every piece of evidence that holds now. */
    Collection<Evidence> evidence();
}
