/**
 * Imports point one way: `npm run lint` fails on any import cycle among the project's
 * TypeScript files, type-only imports included (tsPreCompilationDeps). Shared types belong in
 * leaf modules (e.g. src/core/requests.ts, src/core/trace/matrixTypes.ts).
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: move what both sides share into a leaf module.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|out)/' },
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
