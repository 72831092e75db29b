/**
 * Governor-authored content (rules, signatures, playbooks): reading the files from disk or from the copy built
 * into the jar, parsing YAML with line numbers, and validating it against a JSON Schema so every error names its
 * file, line and field. Depends on nothing else in Vigil.
 */
package dev.vigil.content;
