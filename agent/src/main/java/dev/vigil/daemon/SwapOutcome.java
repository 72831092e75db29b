package dev.vigil.daemon;

import java.util.List;

/**
 * What putting reloaded content in place did to the running pipeline. Immutable.
 *
 * @param factsCarried      stated facts (condensed state, topology, discrete events) moved into the new session
 * @param diagnosesOpen     open diagnoses kept, with their decisions
 * @param diagnosesClosed   open diagnoses closed because their signature was removed ({@code signature {labels}})
 */
public record SwapOutcome(long factsCarried, int diagnosesOpen, List<String> diagnosesClosed) {
    public SwapOutcome {
        diagnosesClosed = List.copyOf(diagnosesClosed);
    }
}
