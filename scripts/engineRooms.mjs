// The engine's rooms that one command needs, each its own bundle loaded on first use
// (src/core/<room>/load.ts require()s src/core/<room>/room.ts; the build turns that into
// `require("./<room>.js")`).
//
// A room must not carry its own copy of the engine's modules: two copies of a module mean two
// error classes (`instanceof` fails across them), two caches, and megabytes shipped twice. So a
// room takes every engine module it imports from dist/engine.js itself: the engine exports them
// by id (`__engineModules`), and the room's import of one becomes a lookup in that table. The
// table is worked out at build time from what the rooms import, so nothing is listed by hand.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export const ROOMS = ['census', 'import', 'drift'];

const slashes = (p) => p.replace(/\\/g, '/');
const SELF = 'engine-rooms';
const CORE = 'src/core/';
const inRoom = (file, room) => file.startsWith(`${CORE}${room}/`);

/** The repository-relative source file a relative import names (our sources import without extensions). */
function sourceFile(importPath, resolveDir, root) {
  const base = resolve(resolveDir, importPath);
  const found = [`${base}.ts`, join(base, 'index.ts'), base].find((f) => existsSync(f) && !f.endsWith('/'));
  return found ? slashes(relative(root, found)) : undefined;
}

/**
 * The plugin a room's bundle builds with: an import of an engine module (any src/core file
 * outside the room, or a file or package the engine bundles itself) reads it from dist/engine.js.
 */
export function roomSharesEngine(room, engineFiles) {
  return {
    name: `${room}-shares-engine`,
    setup(b) {
      const root = b.initialOptions.absWorkingDir ?? process.cwd();
      b.onResolve({ filter: /^\.\.?\// }, async (args) => {
        if (args.namespace !== 'file' || !args.importer) return undefined;
        const file = sourceFile(args.path, args.resolveDir, root);
        if (!file?.startsWith(CORE) || !file.endsWith('.ts')) return undefined;
        const files = await engineFiles(root);
        if (inRoom(file, room) && !files.has(file)) return undefined;
        return { path: file, namespace: 'engine-module' };
      });
      // A package the engine bundles too (yaml, diff …) is the engine's copy.
      b.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.namespace !== 'file' || args.pluginData?.[SELF] || args.path.startsWith('node:')) return undefined;
        const found = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { [SELF]: true } });
        if (found.errors.length > 0 || found.external || !found.path) return undefined;
        const file = slashes(relative(root, found.path));
        return (await engineFiles(root)).has(file) ? { path: file, namespace: 'engine-module' } : found;
      });
      b.onResolve({ filter: /^\.\/engine\.js$/, namespace: 'engine-module' }, () => ({ path: './engine.js', external: true }));
      b.onLoad({ filter: /.*/, namespace: 'engine-module' }, (args) => ({
        contents: `module.exports = require("./engine.js").__engineModules[${JSON.stringify(args.path)}];`,
        loader: 'js',
      }));
    },
  };
}

/**
 * The plugin the engine builds with: its entry also exports, by id, every module a room takes
 * from it. `plainEngine` is the engine's build options without this plugin (to learn what it bundles);
 * the rooms' build options are pushed onto `roomTargets` once made.
 */
export function engineExportsModules(plainEngine) {
  const roomTargets = [];
  let engineFiles;
  const filesOfEngine = (root) =>
    (engineFiles ??= build({ ...plainEngine, absWorkingDir: root, write: false, metafile: true, minify: false, sourcemap: false, logLevel: 'silent' }).then(
      (r) => new Set(Object.keys(r.metafile.inputs).map(slashes)),
    ));
  return {
    roomTargets,
    filesOfEngine,
    plugin: {
      name: 'engine-exports-modules',
      setup(b) {
        const root = b.initialOptions.absWorkingDir ?? process.cwd();
        const entry = slashes(b.initialOptions.entryPoints[0]);
        b.onLoad({ filter: /\.ts$/ }, async (args) => {
          if (slashes(relative(root, args.path)) !== entry) return undefined;
          const shared = new Set();
          for (const target of roomTargets) {
            const result = await build({ ...target, absWorkingDir: root, write: false, metafile: true, minify: false, sourcemap: false, logLevel: 'silent' });
            for (const input of Object.keys(result.metafile.inputs)) if (input.startsWith('engine-module:')) shared.add(input.slice('engine-module:'.length));
          }
          const ids = [...shared].sort();
          const { readFile } = await import('node:fs/promises');
          const here = dirname(args.path);
          const imports = ids.map((id, i) => `import * as m${i} from ${JSON.stringify(`./${slashes(relative(here, join(root, id)))}`.replace(/\.ts$/, ''))};`);
          // Each flagged as an ES module: a room's default import of a CommonJS package then gets the package's own default.
          const table = `const esm = (m) => Object.defineProperty({ ...m }, '__esModule', { value: true });\nexport const __engineModules = {${ids.map((id, i) => `${JSON.stringify(id)}: esm(m${i})`).join(', ')}};`;
          return { contents: [await readFile(args.path, 'utf8'), ...imports, table].join('\n'), loader: 'ts' };
        });
      },
    },
  };
}
