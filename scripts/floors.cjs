// The floors of the house, bottom first, for the lint rule (.dependency-cruiser.cjs) and the
// picture in docs/architecture.md (scripts/architecture-graph.mjs). A module may import its own
// floor and the floors below it, never one above.

/** The floors, bottom first: each a name and the paths it holds. */
const FLOORS = [
  ['base', ['^src/core/(errors|requests|questions|runChoices|usage|traceMatrix|auditTypes)[.]ts$', '^src/core/text/']],
  ['words', ['^src/core/events/', '^src/core/(host|headlessHost)[.]ts$', '^src/core/catalogue/']],
  ['infrastructure', ['^src/core/(llm|process|sandbox|workspaces|mermaid|journal)/']],
  ['project', ['^src/core/project/']],
  ['rooms', ['^src/core/(agents|runners|git|queue|trace|proofTests|mutation)/']],
  ['contract', ['^src/core/api[.]ts$']],
  ['specs', ['^src/core/(mustard|census|import)/']],
  ['beside', ['^src/core/(sinks|ci|demo|combined)/']],
  // The pipeline, bottom first: what every phase needs, one agent, a layer's work, the phases, the
  // rework that re-enters them, the pipelines that chain them, and the conductor that starts them.
  ['kernel', ['^src/core/pipeline/kernel/']],
  ['agent', ['^src/core/pipeline/agent/']],
  ['proof', ['^src/core/pipeline/proof/']],
  ['layers', ['^src/core/pipeline/layers/']],
  ['attempts', ['^src/core/pipeline/attempts/']],
  ['phases', ['^src/core/pipeline/phases/']],
  ['rework', ['^src/core/pipeline/(change|feature)/']],
  ['pipelines', ['^src/core/pipeline/(audit|bugfix|workflow)/', '^src/core/drift/']],
  ['conductor', ['^src/core/pipeline/run/', '^src/core/(change|changeSet)/']],
  ['engine', ['^src/core/engine/', '^src/core/engineBundle[.]ts$']],
  // Above the engine, so the engine never builds a view: it returns data and the hosts shape it.
  ['ui-contract', ['^src/shared/']],
  ['services', ['^src/(pool|mcp)/']],
  ['github', ['^src/github/']],
  ['portal', ['^src/portal/(?!client/)']],
  ['hosts', ['^src/(cli|extension)/']],
  ['tools', ['^scripts/']],
];
const BROWSER = ['^webview/', '^src/portal/client/'];
/** What the sidebar and the portal's page share with their hosts: the view models, the protocol, the portal's routes. */
const UI_CONTRACT = ['^src/shared/'];
/**
 * The engine's leaves any bundle may carry by value (the hosts, and the browser through the UI
 * contract): they import only one another (and zod), no Node module.
 */
const PORTABLE = ['^src/core/text/'];

/**
 * The rooms, each entered from the rest of src/ and scripts/ only through its door, its index.ts,
 * which exports what the others use of it (tests may reach further in): every folder of src/core
 * (pipeline/ and project/ are wings, each of whose folders is a room) and the services beside the
 * engine. Not rooms, imported file by file so that each bundle, the browser's too, carries only
 * what it uses: the portable leaves (text/) and src/shared, the UI contract. Nor are the
 * hosts src/cli and src/extension, which nothing imports.
 */
const DOORS = [
  'src/core/(?!pipeline/|project/|text/)[^/.]+',
  'src/core/(?:pipeline|project)/[^/.]+',
  'src/(?:github|mcp|pool|portal)',
];

/**
 * A room's second door: the entry of a bundle of its own that is loaded lazily and imported by its
 * path (scripts/build.mjs turns that import into a require of the bundle, so it cannot go through
 * index.ts): the PostgreSQL queue store (dist/pgstore.js), which the pool takes its PostgreSQL kit
 * from, and the MCP server over stdio (dist/mcp.js), which the CLI starts for orchestrator mcp.
 */
const BUNDLE_DOORS = ['src/core/queue/pgStore.ts', 'src/mcp/serveMcp.ts'];

module.exports = { FLOORS, BROWSER, UI_CONTRACT, PORTABLE, DOORS, BUNDLE_DOORS };
