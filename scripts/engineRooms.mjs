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
import { existsSync, realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';

export const ROOMS = ['census', 'import', 'drift', 'runners', 'mermaid', 'workspaces'];

const slashes = (p) => p.replace(/\\/g, '/');
const SELF = 'engine-rooms';
const CORE = 'src/core/';
const inRoom = (id, room) => id.startsWith(`${CORE}${room}/`);

/**
 * The folder module ids are relative to: the one holding the real src/ (the bench builds in a
 * folder whose src/ and node_modules/ are links to the repository's; esbuild sees real paths).
 */
const repoOf = (root) => dirname(realpathSync(join(root, 'src')));

/** A module's id: its path from the repository (`src/core/…`, `node_modules/…`). */
const moduleId = (path, repo) => slashes(relative(repo, path));

/** The source file a relative import names (our sources import without extensions). */
function sourceFile(importPath, resolveDir) {
  const base = resolve(resolveDir, importPath);
  return [`${base}.ts`, join(base, 'index.ts'), base].find((f) => existsSync(f) && !f.endsWith('/'));
}

/**
 * The plugin a room's bundle builds with: an import of an engine module (any source file
 * outside the room, or a file or package the engine bundles itself) reads it from dist/engine.js.
 */
export function roomSharesEngine(room, engineFiles) {
  return {
    name: `${room}-shares-engine`,
    setup(b) {
      const root = b.initialOptions.absWorkingDir ?? process.cwd();
      const repo = repoOf(root);
      b.onResolve({ filter: /^\.\.?\// }, async (args) => {
        if (args.namespace !== 'file' || !args.importer) return undefined;
        const file = sourceFile(args.path, args.resolveDir);
        const id = file?.endsWith('.ts') ? moduleId(file, repo) : undefined;
        if (!id?.startsWith('src/')) return undefined;
        if (inRoom(id, room) && !(await engineFiles(root)).has(id)) return undefined;
        return { path: id, namespace: 'engine-module' };
      });
      // A package the engine bundles too (yaml, diff …) is the engine's copy.
      b.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.namespace !== 'file' || args.pluginData?.[SELF] || args.path.startsWith('node:')) return undefined;
        const found = await b.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: { [SELF]: true },
        });
        if (found.errors.length > 0 || found.external || !found.path) return undefined;
        const id = moduleId(found.path, repo);
        return (await engineFiles(root)).has(id) ? { path: id, namespace: 'engine-module' } : found;
      });
      b.onResolve({ filter: /^\.\/engine\.js$/, namespace: 'engine-module' }, () => ({
        path: './engine.js',
        external: true,
      }));
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
    (engineFiles ??= build({
      ...plainEngine,
      absWorkingDir: root,
      write: false,
      metafile: true,
      minify: false,
      sourcemap: false,
      logLevel: 'silent',
    }).then(
      (r) =>
        new Map(
          Object.entries(r.metafile.inputs).map(([input, { format }]) => [
            moduleId(resolve(root, input), repoOf(root)),
            format,
          ]),
        ),
    ));
  return {
    roomTargets,
    filesOfEngine,
    plugin: {
      name: 'engine-exports-modules',
      setup(b) {
        const root = b.initialOptions.absWorkingDir ?? process.cwd();
        const repo = repoOf(root);
        const entry = moduleId(realpathSync(resolve(root, b.initialOptions.entryPoints[0])), repo);
        b.onLoad({ filter: /\.ts$/ }, async (args) => {
          if (moduleId(args.path, repo) !== entry) return undefined;
          const shared = new Set();
          for (const target of roomTargets) {
            const result = await build({
              ...target,
              absWorkingDir: root,
              write: false,
              metafile: true,
              minify: false,
              sourcemap: false,
              logLevel: 'silent',
            });
            for (const input of Object.keys(result.metafile.inputs))
              if (input.startsWith('engine-module:')) shared.add(input.slice('engine-module:'.length));
          }
          const ids = [...shared].sort();
          const formats = await filesOfEngine(root);
          const here = dirname(args.path);
          const specifier = (id) => JSON.stringify(`./${slashes(relative(here, join(repo, id)))}`.replace(/\.ts$/, ''));
          // A CommonJS package is shared as its own module.exports (require()d), so a room's import of it,
          // from TypeScript or from an ES module package (tinyglobby's `import picomatch from "picomatch"`,
          // Node's interop: the default is module.exports), gets what bundling the package there would give.
          const imports = ids.map((id, i) =>
            formats.get(id) === 'cjs'
              ? `const m${i} = require(${specifier(id)});`
              : `import * as m${i} from ${specifier(id)};`,
          );
          // Every ES module flagged as one, so a room's default import of it is the module's own default.
          const tableEntry = (id, i) => (formats.get(id) === 'cjs' ? `m${i}` : `esm(m${i})`);
          const table = `const esm = (m) => Object.defineProperty({ ...m }, '__esModule', { value: true });\nexport const __engineModules = {${ids.map((id, i) => `${JSON.stringify(id)}: ${tableEntry(id, i)}`).join(', ')}};`;
          return { contents: [await readFile(args.path, 'utf8'), ...imports, table].join('\n'), loader: 'ts' };
        });
      },
    },
  };
}
