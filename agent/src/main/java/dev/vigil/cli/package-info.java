/** The {@code vigil} command line: run, replay, rules lint, audit verify. */
package dev.vigil.cli;
