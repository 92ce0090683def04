/**
 * Imports point one way: `npm run lint` (scripts/lint-cycles.mjs) fails on any import cycle
 * among the project's TypeScript files, type-only imports included (tsPreCompilationDeps), and
 * on any import in src/, webview/ or scripts/ that climbs to a higher floor of the house
 * (docs/architecture.md draws them). A module may import its own floor and the floors below;
 * the browser code imports only itself and the UI contract (src/shared), which imports only the
 * portable leaves of the core (PORTABLE) and types; none of them uses a Node module. Every room
 * (DOORS) is entered from outside it only through its index.ts (or a lazily loaded bundle's entry,
 * BUNDLE_DOORS), and from inside never through it.
 */

const { FLOORS, BROWSER, UI_CONTRACT, PORTABLE, DOORS, BUNDLE_DOORS } = require('./scripts/floors.cjs');

const floorRules = FLOORS.slice(0, -1).map(([name, paths], i) => ({
  name: `floor-${name}`,
  severity: 'error',
  comment: `The ${name} floor imports only its own floor and those below; move what it needs down instead.`,
  from: { path: paths },
  to: { path: FLOORS.slice(i + 1).flatMap(([, above]) => above) },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: move what both sides share into a leaf module.',
      from: {},
      to: { circular: true },
    },
    ...floorRules,
    {
      name: 'browser-only-ui-contract',
      severity: 'error',
      comment: 'Browser code (webview/, src/portal/client/) imports only itself and the UI contract (src/shared).',
      from: { path: BROWSER },
      to: { path: '^(src|webview|scripts)/', pathNot: [...BROWSER, ...UI_CONTRACT] },
    },
    {
      name: 'ui-contract-portable',
      severity: 'error',
      comment:
        'The UI contract (src/shared) is bundled by the browser: it imports only itself and the portable leaves of the core (PORTABLE in scripts/floors.cjs), and types (which no bundle carries) from below.',
      from: { path: UI_CONTRACT },
      to: {
        path: '^(src|webview|scripts)/',
        pathNot: [...UI_CONTRACT, ...PORTABLE],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'portable-leaf',
      severity: 'error',
      comment:
        'A portable module (any bundle may carry it) imports only other portable modules: move what it needs into src/core/text or keep it out.',
      from: { path: PORTABLE },
      to: { path: '^(src|webview|scripts)/', pathNot: PORTABLE },
    },
    {
      name: 'browser-safe-no-node',
      severity: 'error',
      comment: 'The browser code, the UI contract and the portable leaves run in a browser too: no Node module.',
      from: { path: [...BROWSER, ...UI_CONTRACT, ...PORTABLE] },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'no-browser-from-node',
      severity: 'error',
      comment: 'Node code never imports the browser code.',
      from: { path: '^(src|scripts)/', pathNot: BROWSER },
      to: { path: BROWSER },
    },
    {
      name: 'room-door',
      severity: 'error',
      comment:
        'This room is entered only through its index.ts: import what you need from there (export it there if it is meant for outside).',
      // The room the importer is in ($1): a folder of src/core, of its wings (pipeline/, project/) or of src/.
      from: { path: '^(scripts|src/core/(?:pipeline|project)/[^/.]+|src/core/[^/.]+|src/[^/.]+)' },
      to: {
        path: `^(${DOORS.join('|')})/(?!index[.]ts$)`,
        pathNot: ['^$1/', ...BUNDLE_DOORS.map((entry) => `^${entry.replace(/[.]/g, '[.]')}$`)],
      },
    },
    {
      name: 'room-own-door',
      severity: 'error',
      comment:
        'Inside a room, files import one another directly: the door re-exports them, so going out and back in through it is a cycle waiting to happen.',
      from: { path: `^(${DOORS.join('|')})/` },
      to: { path: '^$1/index[.]ts$' },
    },
    {
      name: 'floor-unknown',
      severity: 'error',
      comment: 'Every module of src/ and scripts/ lives on a floor: add its room to FLOORS in .dependency-cruiser.cjs.',
      from: { path: '^(src|scripts)/', pathNot: [...FLOORS.flatMap(([, paths]) => paths), ...BROWSER] },
      to: {},
    },
    {
      name: 'floor-unknown-target',
      severity: 'error',
      comment: 'Every module of src/ and scripts/ lives on a floor: add its room to FLOORS in .dependency-cruiser.cjs.',
      from: {},
      to: { path: '^(src|scripts)/', pathNot: [...FLOORS.flatMap(([, paths]) => paths), ...BROWSER] },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|out)/' },
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
