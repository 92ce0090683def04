// The engine's rooms (scripts/engineRooms.mjs): dist/census.js, dist/import.js, dist/drift.js, dist/mermaid.js and dist/workspaces.js
// are loaded on first use and take every module the engine bundles from dist/engine.js, so no
// module exists twice (one error class for `instanceof`, one cache, nothing shipped twice).
// The CLI tests exercise the built rooms end to end (init, approve <folder>, verify).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BuildOptions, Metafile } from 'esbuild';

const ROOT = resolve(__dirname, '../../..');

interface Target extends BuildOptions {
  outfile: string;
}

/** Each target built once for the whole file (the engine alone takes seconds): its inputs and its text. */
const builds = new Map<string, Promise<{ metafile: Metafile; text: string }>>();
function built(outfile: string): Promise<{ metafile: Metafile; text: string }> {
  let build = builds.get(outfile);
  if (!build) {
    build = (async () => {
      const esbuild = await import('esbuild');
      const target = (await targets()).find((t) => t.outfile === outfile);
      assert.ok(target, `scripts/build.mjs builds ${outfile}`);
      const result = await esbuild.build({
        ...target,
        absWorkingDir: ROOT,
        write: false,
        metafile: true,
        minify: false,
        sourcemap: false,
        logLevel: 'silent',
      });
      return { metafile: result.metafile, text: result.outputFiles[0]!.text };
    })();
    builds.set(outfile, build);
  }
  return build;
}
const inputsOf = async (outfile: string): Promise<string[]> => Object.keys((await built(outfile)).metafile.inputs);

let buildTargets: Promise<Target[]> | undefined;
function targets(): Promise<Target[]> {
  buildTargets ??= import(pathToFileURL(resolve(ROOT, 'scripts/build.mjs')).href).then(
    (script: { buildTargets(o: { production: boolean }): Target[] }) => script.buildTargets({ production: false }),
  );
  return buildTargets;
}

test('each room bundles only its own code; every module the engine has comes from dist/engine.js', async () => {
  const engineInputs = await inputsOf('dist/engine.js');
  // The engine exports the shared modules under ids (the rooms' imports of them are lookups).
  for (const room of ['census', 'import', 'drift', 'mermaid']) {
    const inputs = await inputsOf(`dist/${room}.js`);
    // The Mermaid room's render-only packages are inert stand-ins (scripts/mermaidParseOnly.mjs), not code.
    const own = inputs.filter(
      (input) => !input.startsWith('engine-module:') && !input.startsWith('mermaid-render-only:'),
    );
    const taken = inputs
      .filter((input) => input.startsWith('engine-module:'))
      .map((input) => input.slice('engine-module:'.length));
    const twice = own.filter((input) => engineInputs.includes(input));
    assert.deepEqual(twice, [], `dist/${room}.js bundles its own copy of engine modules`);
    // A package's path may lead out of the repository (a worktree whose node_modules is a link: `../../main/node_modules/…`).
    const outside = own.filter(
      (input) => !input.startsWith(`src/core/${room}/`) && !/(^|\/)node_modules\//.test(input),
    );
    assert.deepEqual(outside, [], `dist/${room}.js holds code from outside its room`);
    assert.ok(
      taken.includes('src/core/errors.ts') ||
        taken.some((id) => id.startsWith('src/core/project/') || id.startsWith('src/core/text/')),
      `dist/${room}.js takes the engine's modules (${taken.slice(0, 5).join(', ')})`,
    );
    for (const id of taken)
      assert.ok(engineInputs.includes(id), `${id}, which dist/${room}.js takes from the engine, is in dist/engine.js`);
  }
  // And the engine carries no room entry of its own (each is require()d as ./<room>.js).
  for (const room of ['census', 'import', 'drift', 'mermaid'])
    assert.ok(!engineInputs.includes(`src/core/${room}/room.ts`), `dist/engine.js bundles src/core/${room}/room.ts`);
  // Mermaid's parser and its diagrams (megabytes) are only in dist/mermaid.js.
  assert.deepEqual(
    engineInputs.filter((input) => /node_modules\/(mermaid|linkedom|dompurify)\//.test(input)),
    [],
  );
});

test('JS workspace discovery is its own room: @manypkg/tools and what it brings are only in dist/workspaces.js', async () => {
  const engineInputs = await inputsOf('dist/engine.js');
  const discovery = /node_modules\/(@manypkg\/tools|jju|tinyglobby|fdir)\//;
  assert.deepEqual(
    engineInputs.filter((input) => discovery.test(input)),
    [],
    'dist/engine.js bundles workspace discovery',
  );
  assert.ok(
    !engineInputs.includes('src/core/workspaces/room.ts'),
    'dist/engine.js bundles src/core/workspaces/room.ts',
  );
  const inputs = await inputsOf('dist/workspaces.js');
  const own = inputs.filter((input) => !input.startsWith('engine-module:'));
  const taken = inputs
    .filter((input) => input.startsWith('engine-module:'))
    .map((input) => input.slice('engine-module:'.length));
  for (const name of ['@manypkg/tools', 'jju', 'tinyglobby', 'fdir'])
    assert.ok(
      own.some((input) => input.includes(`node_modules/${name}/`)),
      `dist/workspaces.js bundles ${name}`,
    );
  assert.deepEqual(
    own.filter((input) => engineInputs.includes(input)),
    [],
    'dist/workspaces.js bundles its own copy of engine modules',
  );
  // yaml (pnpm-workspace.yaml) and picomatch (tinyglobby's matcher) are the engine's copies.
  for (const name of ['yaml', 'picomatch'])
    assert.ok(
      taken.some((id) => id.includes(`node_modules/${name}/`)),
      `dist/workspaces.js takes ${name} from dist/engine.js (${taken.join(', ')})`,
    );
});

test("the runners room leaves koffi (the Copilot SDK in-process runtime's FFI loader) unbundled, required only on that path", async () => {
  const { metafile, text } = await built('dist/runners.js');
  assert.deepEqual(
    Object.keys(metafile.inputs).filter((input) => input.includes('node_modules/koffi/')),
    [],
  );
  // Inside the lazily run initialiser of the SDK's ffiRuntimeHost module, never at the bundle's start.
  const start = text.indexOf('var init_ffiRuntimeHost = __esm(');
  assert.ok(start > 0, "dist/runners.js holds the SDK's ffiRuntimeHost module as a lazy initialiser");
  const initialiser = text.slice(start, text.indexOf('\n});', start));
  assert.match(initialiser, /require\("koffi"\)/);
  assert.equal(text.split('require("koffi")').length - 1, 1, 'koffi is required nowhere else');
});

test('the rooms are loaded on first use: the built engine does not load them at start', async () => {
  const { text } = await built('dist/engine.js');
  for (const room of ['census', 'import', 'drift', 'mermaid', 'workspaces'])
    assert.match(text, new RegExp(`require\\("\\./${room}\\.js"\\)`), `dist/engine.js require()s ./${room}.js`);
  assert.match(text, /__engineModules/);
});
