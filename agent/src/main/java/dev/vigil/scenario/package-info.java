/**
 * Scenario files: reading and validating a recorded incident ({@code shared/design/SCENARIOS.md}) into telemetry
 * facts and expectations, and checking a run's decisions against those expectations. Depends only on
 * {@code dev.vigil.fact}, the JDK and Jackson.
 *
 * <p>Design decisions that may look odd:
 * <ul>
 *   <li>The reader is strict: an unknown field anywhere, a JSON {@code null} for an optional field, a duplicate
 *       key and trailing text after the object are all errors, so a typo cannot silently change what a scenario
 *       tests.</li>
 *   <li>Reading stops at the first error and reports it as {@code FILE:LINE: field: what is wrong}; values echoed
 *       in a message are quoted, escaped and shortened, because scenario text is untrusted.</li>
 *   <li>A line is limited to 1 MiB (bytes when reading a file, characters when given a
 *       {@link java.io.Reader}), checked while reading, so one huge line cannot exhaust memory.</li>
 *   <li>An {@code expect} line may carry a {@code t}; it is validated but takes no part in the time order, since an
 *       expectation is not an observation.</li>
 * </ul>
 */
package dev.vigil.scenario;
