// The Mermaid room (dist/mermaid.js) only parses diagrams (the `mermaid` check of a workflow
// gate): it never lays out or draws one. Mermaid's diagram modules still import their renderers'
// libraries at load time — ELK and cytoscape layouts, KaTeX, d3-sankey, rough.js, dagre — which
// are most of the bundle's megabytes. Each of these packages is replaced here by an inert stand-in:
// any property of it is the stand-in again, calling or constructing it gives the stand-in, so a
// diagram module that sets its renderer up at load (`cytoscape.use(fcose)`) still loads, and its
// parser runs as in the full package. Nothing that draws is ever called in the room.
// test/integration/scripts/mermaidRoom.test.ts checks the built room parses as the sources do.

/** The render-only packages the room leaves out (each with its subpaths). */
export const RENDER_ONLY = [
  'elkjs',
  'cytoscape',
  'cytoscape-fcose',
  'cytoscape-cose-bilkent',
  'layout-base',
  'cose-base',
  'katex',
  'd3-sankey',
  'roughjs',
  'dagre-d3-es',
];

const STAND_IN = `
// A symbol-keyed or promise lookup is absent: the stand-in is not a thenable, a primitive or an iterable.
const absent = (key) => typeof key === 'symbol' || key === 'then' || key === '__esModule';
const lookup = new Proxy(Object.create(null), { get: (_target, key) => (absent(key) ? undefined : standIn) });
const standIn = new Proxy(function renderOnly() {}, {
  get: (target, key) => (key in target && key !== 'prototype' ? target[key] : absent(key) ? undefined : standIn),
  apply: () => standIn,
  construct: () => standIn,
  // esbuild's ES-module wrapper of a CommonJS module inherits from the module: named imports find the stand-in there.
  getPrototypeOf: () => lookup,
});
module.exports = standIn;
`;

export const mermaidParseOnly = {
  name: 'mermaid-parse-only',
  setup(b) {
    const filter = new RegExp(
      `^(${RENDER_ONLY.map((name) => name.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&')).join('|')})(/|$)`,
    );
    b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'mermaid-render-only' }));
    b.onLoad({ filter: /.*/, namespace: 'mermaid-render-only' }, () => ({ contents: STAND_IN, loader: 'js' }));
  },
};
