/**
 * The confidence scorer: a pure function from a diagnosis ({@link dev.vigil.confidence.ScoreInput}) to a
 * probability with its reasons ({@link dev.vigil.confidence.Score}), tuned by one parameters file
 * ({@link dev.vigil.confidence.Parameters}). No I/O while scoring, no clock, no dependency beyond the JDK.
 *
 * <h2>Design decisions</h2>
 * <ul>
 *   <li>Log-odds, not a weighted average: independent evidence adds, a weight reads as "how much this multiplies
 *       the odds", and the reasons sum to the result, so a governor can check the arithmetic.</li>
 *   <li>Age comes in as seconds, not as a timestamp: the caller owns the clock (and replay's pseudo clock), the
 *       scorer stays a pure function.</li>
 *   <li>Misuse is rejected, not repaired: a repeated evidence key would count the same observation twice, a key
 *       both observed and missing is a contradiction, a signature conflicting with itself is a wiring bug.</li>
 *   <li>The noisy-source cap also holds when no evidence is present at all, so a good playbook history alone
 *       never lifts a diagnosis to strong. An input with an empty evidence list is the exception: it scores its
 *       prior alone.</li>
 *   <li>Clamping to [min, max] is not a reason: it only keeps reported probabilities away from certainty.</li>
 *   <li>The parameters file rejects keys set twice, which {@link java.util.Properties} would silently let the
 *       last one win.</li>
 * </ul>
 */
package dev.vigil.confidence;
