/**
 * The governors' HTTP API: bearer-token authentication with roles ({@link dev.vigil.api.Tokens},
 * {@link dev.vigil.api.Role}); the approval routes, including the Slack interactivity and signed-webhook callbacks
 * ({@link dev.vigil.api.ApprovalRoutes}); the governor controls ({@link dev.vigil.api.GovernorRoutes}); decisions,
 * journal records and verification read from the journal files ({@link dev.vigil.api.AuditRoutes}); and the catalog
 * with hit counts and outcome history ({@link dev.vigil.api.CatalogRoutes}). Each route class serves a set of paths
 * with a router of its own; the daemon picks the router by path. May use every stage package.
 */
package dev.vigil.api;
