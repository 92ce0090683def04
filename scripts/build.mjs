// Bundles the extension, the engine, the CLI and the webview with esbuild.
//
//   dist/extension.js  what VS Code loads on activation: commands, sidebar, status bar, chat. No src/core.
//                      `--insiders`: built for the Insiders manifest (scripts/proposedApi.mjs), whose
//                      proposed APIs it may then use; the default (Marketplace) build uses none.
//   dist/engine.js     the engine (src/core/engineBundle.ts: the core, yaml, zod), shared by
//                      both hosts: the extension require()s it on first use (src/extension/engine.ts),
//                      the CLI at start.
//   dist/xlsx.js       the traceability workbook writer (write-excel-file), require()d by the engine on export.
//   dist/census.js, dist/import.js, dist/drift.js, dist/runners.js, dist/mermaid.js, dist/workspaces.js
//                      the engine's rooms that one command needs (the census: init and a run with
//                      no config; the importers and their markdown parser; drift's verify; the CLI
//                      agents' runners; a gate's Mermaid check; a JS workspace's packages, read by
//                      @manypkg/tools), require()d by the engine on first use (src/core/<room>/load.ts).
//   dist/pgstore.js    the PostgreSQL queue store (pg), require()d when queue.url names a server.
//   dist/anthropic.js  the Anthropic provider's SDK part (src/core/llm/anthropic/sdkBundle.ts), which the
//                      engine require()s when a run first opens the Anthropic provider (or the demo's).
//   dist/openai.js     the OpenAI-compatible provider's SDK part (src/core/llm/openai/sdkBundle.ts), which
//                      the engine require()s the first time a run uses an `openai:` model.
//   dist/mcp.js        the task queue's MCP server (the MCP SDK), require()d by the CLI for `orchestrator mcp` only.
//   dist/portal.js     the supervisor portal's server (src/portal, bcryptjs, openid-client, the MCP SDK), require()d by the CLI
//                      for `orchestrator serve` and `orchestrator user` only; dist/portal/ is its page.
//   dist/pool.js       the pool of workers (src/pool), require()d by the CLI for `worker`, `--pool`, `runs --pool`
//                      and pooled specs, by the portal and by the extension (the sidebar's Pool section) when
//                      queue.url names PostgreSQL; it reaches PostgreSQL through dist/pgstore.js.
//   dist/action.js     the GitHub Action's job (src/github/action, action.yml's runs.main): the GitHub channel
//                      and Octokit, with the engine from dist/engine.js (scripts/release-action.mjs makes
//                      the commit a release tag names, holding dist/ as the action needs it).
//   dist/cli.js        the `orchestrator` command: checks the Node version (Node 14 syntax), then loads
//   dist/cliMain.js    the CLI, without its own copy of the engine.
//   dist/webview.js    the sidebar UI.
//   dist/artifacts.json what the CLI's tarball, the .vsix and the Action each ship, derived from this build
//                      (scripts/artifacts.mjs), and from it .npmignore and .vscodeignore (npm pack, vsce).
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ROOMS, engineExportsModules, roomSharesEngine } from './engineRooms.mjs';
import { mermaidParseOnly } from './mermaidParseOnly.mjs';
import { ARTIFACTS_FILE, artifactLists, npmIgnore, siblingRequires, vscodeIgnore } from './artifacts.mjs';
import { upToDate, writeStamp } from './buildStamp.mjs';
import { builtFrom } from './builtFrom.mjs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const slashes = (p) => p.replace(/\\/g, '/');
/** The core's leaves any bundle may carry by value (scripts/floors.cjs): not engine code to load lazily. */
const { PORTABLE } = createRequire(import.meta.url)('./floors.cjs');
const portable = (input) => PORTABLE.some((path) => new RegExp(path.replace(/^\^/, '(^|/)')).test(slashes(input)));

/**
 * A host's import (or require) of src/core/engineBundle becomes `require("./engine.js")`: the
 * engine is never bundled into a host. (Suffix match: the bench builds through symlinks.)
 */
const engineExternal = {
  name: 'engine-external',
  setup(b) {
    b.onResolve({ filter: /engineBundle(\.[jt]s)?$/ }, (args) =>
      slashes(join(args.resolveDir, args.path))
        .replace(/\.[jt]s$/, '')
        .endsWith('src/core/engineBundle')
        ? { path: './engine.js', external: true }
        : undefined,
    );
  },
};

/**
 * The engine's require of src/core/trace/xlsxWorkbook becomes `require("./xlsx.js")`: the .xlsx
 * writer is its own bundle, loaded only when a traceability matrix is exported.
 */
const xlsxExternal = lazyBundle('xlsxWorkbook', 'src/core/trace/xlsxWorkbook', './xlsx.js');

/** Likewise the PostgreSQL queue (the `pg` client): loaded only when `queue.url` names a server. */
const pgStoreExternal = lazyBundle('pgStore', 'src/core/queue/pgStore', './pgstore.js');

/** Likewise the MCP server (src/mcp/serveMcp and the MCP SDK): loaded by the CLI only for `orchestrator mcp`. */
const mcpExternal = lazyBundle('serveMcp', 'src/mcp/serveMcp', './mcp.js');

/** Likewise the supervisor portal (src/portal/index): loaded by the CLI only for `serve` and `user`. */
const portalExternal = lazyBundle('index', 'src/portal/index', './portal.js');

/** Likewise the pool of workers (src/pool/index): loaded by the CLI only for `worker`, `--pool` and pooled specs. */
const poolExternal = lazyBundle('index', 'src/pool/index', './pool.js');

/** Likewise the openai SDK (src/core/llm/openai/sdkBundle): loaded only when a run uses an `openai:` model. */
const openaiExternal = lazyBundle('sdkBundle', 'src/core/llm/openai/sdkBundle', './openai.js');

/** Likewise the Anthropic SDK (src/core/llm/anthropic/sdkBundle): loaded when a run first opens the Anthropic provider. */
const anthropicExternal = lazyBundle('sdkBundle', 'src/core/llm/anthropic/sdkBundle', './anthropic.js');

/** The engine's lazily loaded rooms (scripts/engineRooms.mjs): src/core/<room>/room.ts becomes dist/<room>.js. */
const roomExternals = ROOMS.map((room) => lazyBundle('room', `src/core/${room}/room`, `./${room}.js`));

function lazyBundle(name, source, bundle) {
  return {
    name: `${name}-external`,
    setup(b) {
      b.onResolve({ filter: new RegExp(`${name}(\\.[jt]s)?$`) }, (args) =>
        slashes(join(args.resolveDir, args.path))
          .replace(/\.[jt]s$/, '')
          .endsWith(source)
          ? { path: bundle, external: true }
          : undefined,
      );
    },
  };
}

const node = { platform: 'node', format: 'cjs', target: 'node20' };

/**
 * Packages a room leaves to `require()` at run time instead of bundling. koffi (a native FFI
 * loader) comes with @github/copilot-sdk for its in-process runtime only (`RuntimeConnection`'s
 * "inprocess" kind, imported on that path alone); the copilot runner connects with `forUri` to
 * the CLI it starts itself, so the bundled copy was dead code that could not load its native
 * part from dist/ anyway (it looks for it beside `import.meta.dirname`).
 */
const ROOM_EXTERNALS = { runners: ['koffi'] };

/**
 * ES-module dependencies bundled into CommonJS (fdir under @manypkg/tools' tinyglobby calls
 * `createRequire(import.meta.url)`) get the bundle's own URL: esbuild leaves import.meta empty in CJS.
 */
const importMetaUrl = {
  define: { 'import.meta.url': '__bundleImportMetaUrl' },
  banner: { js: 'const __bundleImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
};
/** The Node versions the package supports (package.json engines.node), which dist/cli.js checks first. */
const nodeRange = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')).engines
  .node;

/**
 * What a bundle reads beside itself at run time without require()ing it (require()s are followed
 * from esbuild's metafile: scripts/artifacts.mjs), so that each artifact that ships the bundle
 * ships these too. A folder ends in `/`.
 */
export const RUNTIME_FILES = {
  // init's templates (src/cli/main.ts), the sample project of `demo` (src/cli/demo.ts), --version.
  'dist/cliMain.js': ['.claude/', 'examples/shop/', 'package.json'],
  // The shipped workflows, found from the engine's place (src/core/project/workflows/workflows.ts).
  'dist/engine.js': ['.claude/workflows/'],
  // The portal's page (src/portal/index.ts: assetsDir).
  'dist/portal.js': ['dist/portal/'],
  // The sidebar's page and styles, the chat's icon, the templates and the demo (src/extension);
  // the CLI it starts for the queue's MCP server and portal (src/extension/queue).
  'dist/extension.js': ['dist/webview.js', 'media/', '.claude/', 'examples/shop/', 'dist/cli.js'],
};

/**
 * The commit `orchestrator --version`, the extension's log and the Action's log name: this
 * checkout's (scripts/builtFrom.mjs), or `--commit C` when the build runs in a copy without `.git`
 * (`npm run release`: the source checkout's, read before copying); null outside git, which they say.
 */
const commitArg = process.argv.indexOf('--commit');
const commit =
  commitArg > 0 ? process.argv[commitArg + 1] || null : builtFrom(fileURLToPath(new URL('..', import.meta.url)));
/** The package's version, for the Action, which ships no package.json to read it from. */
const version = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')).version;
/** Where each host finds its version and commit (src/shared/buildInfo.ts). */
const buildInfo = { ORCH_COMMIT: JSON.stringify(commit), ORCH_VERSION: JSON.stringify(version) };

/** esbuild options of every bundle, paths relative to the repository (exported for the bench). */
export function buildTargets({ production = false, insiders = false } = {}) {
  const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning' };
  const lazyInRooms = [xlsxExternal, pgStoreExternal, openaiExternal, anthropicExternal];
  const lazyInEngine = [...lazyInRooms, ...roomExternals];
  const plainEngine = {
    ...common,
    ...node,
    ...importMetaUrl,
    entryPoints: ['src/core/engineBundle.ts'],
    outfile: 'dist/engine.js',
    plugins: lazyInEngine,
  };
  const sharing = engineExportsModules(plainEngine);
  const rooms = ROOMS.map((room) => ({
    ...common,
    ...node,
    ...importMetaUrl,
    entryPoints: [`src/core/${room}/room.ts`],
    outfile: `dist/${room}.js`,
    external: ROOM_EXTERNALS[room] ?? [],
    // The Mermaid room parses, never draws: its renderers' libraries are left out (mermaidParseOnly.mjs).
    plugins: [
      ...(room === 'mermaid' ? [mermaidParseOnly] : []),
      roomSharesEngine(room, sharing.filesOfEngine),
      ...lazyInRooms,
    ],
  }));
  sharing.roomTargets.push(...rooms);
  const engine = { ...plainEngine, plugins: [sharing.plugin, ...lazyInEngine] };
  return [
    // Node 14 syntax and no imports: an old Node must get as far as the version check.
    {
      ...common,
      ...node,
      target: 'node14',
      entryPoints: ['src/cli/entry.ts'],
      outfile: 'dist/cli.js',
      banner: { js: '#!/usr/bin/env node' },
      external: ['./cliMain.js'],
      define: { ORCH_NODE_RANGE: JSON.stringify(nodeRange) },
    },
    {
      ...common,
      ...node,
      entryPoints: ['src/cli/main.ts'],
      outfile: 'dist/cliMain.js',
      plugins: [engineExternal, mcpExternal, portalExternal, poolExternal],
      define: buildInfo,
    },
    {
      ...common,
      ...node,
      entryPoints: ['src/pool/index.ts'],
      outfile: 'dist/pool.js',
      plugins: [engineExternal, pgStoreExternal],
    },
    // The GitHub Action's job (action.yml's runs.main); it loads the engine and its rooms from beside it.
    {
      ...common,
      ...node,
      entryPoints: ['src/github/action/main.ts'],
      outfile: 'dist/action.js',
      plugins: [engineExternal, poolExternal],
      define: buildInfo,
    },
    { ...common, ...node, entryPoints: ['src/mcp/serveMcp.ts'], outfile: 'dist/mcp.js', plugins: [engineExternal] },
    {
      ...common,
      ...node,
      entryPoints: ['src/portal/index.ts'],
      outfile: 'dist/portal.js',
      plugins: [engineExternal, poolExternal],
    },
    {
      ...common,
      entryPoints: ['src/portal/client/main.ts'],
      outfile: 'dist/portal/portal.js',
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
    },
    {
      ...common,
      ...node,
      entryPoints: ['src/extension/extension.ts'],
      outfile: 'dist/extension.js',
      external: ['vscode'],
      // Proposed VS Code APIs (the chat sessions list) only in the Insiders build: scripts/proposedApi.mjs.
      define: { ORCH_PROPOSED_API: insiders ? 'true' : 'false', ...buildInfo },
      plugins: [engineExternal, poolExternal],
    },
    engine,
    ...rooms,
    { ...common, ...node, entryPoints: ['src/core/trace/xlsxWorkbook.ts'], outfile: 'dist/xlsx.js' },
    { ...common, ...node, entryPoints: ['src/core/queue/pgStore.ts'], outfile: 'dist/pgstore.js' },
    { ...common, ...node, entryPoints: ['src/core/llm/openai/sdkBundle.ts'], outfile: 'dist/openai.js' },
    { ...common, ...node, entryPoints: ['src/core/llm/anthropic/sdkBundle.ts'], outfile: 'dist/anthropic.js' },
    {
      ...common,
      entryPoints: ['webview/main.ts'],
      outfile: 'dist/webview.js',
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
    },
  ];
}

/**
 * The hosts must not bundle engine code: a value import of src/core in src/extension or src/cli
 * would put (part of) the engine back into what activation loads (the portable leaves excepted:
 * each host carries its own copy of those few lines). Returns the offending inputs.
 */
export function engineCodeIn(target, metafile) {
  // The engine must not carry the lazily loaded SDKs either: dist/openai.js, dist/anthropic.js and dist/pgstore.js, loaded when used;
  // nor a room's entry (dist/census.js, dist/import.js, dist/drift.js).
  if (target.outfile === 'dist/engine.js')
    return Object.keys(metafile.inputs).filter(
      (input) =>
        /node_modules\/(openai|pg|@anthropic-ai)\//.test(slashes(input)) ||
        ROOMS.some((room) => slashes(input).endsWith(`src/core/${room}/room.ts`)),
    );
  // A room is engine code loaded later: it may carry core modules (shared ones are copied into it).
  if (ROOMS.some((room) => target.outfile === `dist/${room}.js`)) return [];
  // The CLI must not carry the MCP SDK nor the portal: dist/mcp.js and dist/portal.js, loaded by their commands only.
  if (target.outfile === 'dist/cliMain.js')
    return Object.keys(metafile.inputs).filter(
      (input) =>
        (/src\/(core|portal)\//.test(slashes(input)) && !portable(input)) ||
        /node_modules\/(@modelcontextprotocol|bcryptjs)\//.test(slashes(input)),
    );
  if (
    ['dist/xlsx.js', 'dist/pgstore.js', 'dist/openai.js', 'dist/anthropic.js', 'dist/cli.js'].includes(
      target.outfile,
    ) ||
    target.platform !== 'node'
  )
    return [];
  return Object.keys(metafile.inputs).filter((input) => slashes(input).includes('src/core/') && !portable(input));
}

// Run as a script (imported by the bench for buildTargets). Real paths: the packager runs a copy in a temporary folder.
if (process.argv[1] && realpathSync(resolve(process.argv[1])) === realpathSync(fileURLToPath(import.meta.url))) {
  const production = process.argv.includes('--production');
  // --insiders: the extension may use the proposed APIs its Insiders manifest declares (package.mjs --insiders).
  const insiders = process.argv.includes('--insiders');
  const targets = buildTargets({ production, insiders }).filter((t) => existsSync(t.entryPoints[0]));
  // dist/ built from these very files already (the tests' CLI kit asks for a build in each file): nothing to do.
  // The commit is in the kind: a new commit rebuilds, so --version never names an older one.
  const stamp = {
    file: 'dist/.inputs.json',
    kind: `${production ? 'production' : 'development'}${insiders ? ' insiders' : ''} ${commit}`,
  };
  const last = process.argv.includes('--force') ? undefined : upToDate(stamp, targets);
  if (last) {
    // The bundles are current; the lists are made again (a template or a sample file may be new).
    writeArtifacts(last.requires);
    process.exit(0);
  }
  const results = await Promise.all(
    targets.map(async (t) => ({ t, result: await build({ ...t, metafile: true, write: false }) })),
  );
  for (const { t, result } of results) {
    const core = engineCodeIn(t, result.metafile);
    if (core.length > 0) {
      console.error(
        `build: ${t.outfile} bundles code it must load lazily (src/core/engineBundle in the hosts, src/core/llm/*/sdkBundle in the engine; else import only types):\n  ${core.join('\n  ')}`,
      );
      process.exit(1);
    }
  }
  // Each file replaced in one rename: a test or `npm pack` reading dist/ while another
  // build runs sees the old file or the new one, never half of one.
  for (const { result } of results) {
    for (const file of result.outputFiles) {
      mkdirSync(dirname(file.path), { recursive: true });
      const temp = `${file.path}.${process.pid}.tmp`;
      writeFileSync(temp, file.contents, { mode: file.path.endsWith('cli.js') ? 0o755 : 0o644 });
      renameSync(temp, file.path);
    }
  }
  // The portal's page: its HTML and stylesheet beside the bundled script (dist/portal/).
  for (const file of ['index.html', 'portal.css']) {
    const temp = `dist/portal/${file}.${process.pid}.tmp`;
    mkdirSync('dist/portal', { recursive: true });
    copyFileSync(`src/portal/client/${file}`, temp);
    renameSync(temp, `dist/portal/${file}`);
  }
  const requires = Object.assign({}, ...results.map(({ result }) => siblingRequires(result.metafile)));
  writeArtifacts(requires);
  writeStamp(
    stamp,
    targets,
    results.flatMap(({ result }) => Object.keys(result.metafile.inputs)),
    requires,
  );
}

/**
 * dist/artifacts.json: what the CLI's tarball, the .vsix and the Action each ship
 * (scripts/artifacts.mjs), from the bundles' requires of each other (`requires`, from esbuild's
 * metafiles); and from it the packagers' lists, .npmignore (`npm pack`) and .vscodeignore (vsce),
 * so that neither is kept by hand. A file already as it should be is left alone.
 */
function writeArtifacts(requires) {
  const lists = artifactLists(process.cwd(), requires, RUNTIME_FILES);
  const files = [
    [ARTIFACTS_FILE, `${JSON.stringify(lists, null, 2)}\n`],
    ['.npmignore', npmIgnore(lists.cli)],
    ['.vscodeignore', vscodeIgnore(lists.vsix)],
  ];
  for (const [file, text] of files) {
    if (existsSync(file) && readFileSync(file, 'utf8') === text) continue;
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, text);
    renameSync(temp, file);
  }
}
