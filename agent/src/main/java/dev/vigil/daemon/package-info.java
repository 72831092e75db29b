/**
 * The wiring: content loading, the pipeline whose stage order is written once here, the daemon's lifecycle.
 * The only package that knows every stage.
 */
package dev.vigil.daemon;
