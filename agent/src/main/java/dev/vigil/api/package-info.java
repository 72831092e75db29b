/**
 * The HTTP API: bearer-token authentication with roles ({@link dev.vigil.api.Tokens}, {@link dev.vigil.api.Role}) and
 * the approval routes, including the Slack interactivity and signed-webhook callbacks. May use every stage package.
 */
package dev.vigil.api;
