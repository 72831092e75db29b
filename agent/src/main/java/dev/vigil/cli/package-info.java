/** The {@code vigil} command line: run, replay, rules lint, audit verify, bench nab. */
package dev.vigil.cli;
