// The built Mermaid room (dist/mermaid.js) leaves Mermaid's renderers' libraries out
// (scripts/mermaidParseOnly.mjs) and still parses every diagram type as the sources do: the
// same problems, on the same lines, for diagrams whose modules load those libraries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BuildOptions } from 'esbuild';
import { mermaidProblems } from '../../../src/core/mermaid/room';
import { buildCli } from '../../support/cli/cliKit';
import { BROKEN, DIAGRAMS, documentOf } from '../../support/scripts/mermaidDiagrams';

const ROOT = resolve(__dirname, '../../..');

test('the Mermaid room bundles none of the render-only packages, and parses every diagram type as the sources do', async () => {
  const script = (await import(pathToFileURL(resolve(ROOT, 'scripts/build.mjs')).href)) as {
    buildTargets(o: { production: boolean }): (BuildOptions & { outfile: string })[];
  };
  const only = (await import(pathToFileURL(resolve(ROOT, 'scripts/mermaidParseOnly.mjs')).href)) as {
    RENDER_ONLY: string[];
  };
  const target = script.buildTargets({ production: false }).find((t) => t.outfile === 'dist/mermaid.js')!;
  const { build } = await import('esbuild');
  const { metafile } = await build({
    ...target,
    absWorkingDir: ROOT,
    write: false,
    metafile: true,
    minify: false,
    sourcemap: false,
    logLevel: 'silent',
  });
  const inputs = Object.keys(metafile.inputs);
  const left = inputs.filter((input) => only.RENDER_ONLY.some((name) => input.includes(`node_modules/${name}/`)));
  assert.deepEqual(left, []);
  // Mermaid itself and its parsers are in.
  assert.ok(
    inputs.some((input) => input.includes('node_modules/mermaid/')) &&
      inputs.some((input) => input.includes('node_modules/@mermaid-js/parser/')),
  );

  buildCli();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const built = require(join(ROOT, 'dist', 'mermaid.js')) as { mermaidProblems: typeof mermaidProblems };
  const valid = documentOf(DIAGRAMS);
  assert.deepEqual(await built.mermaidProblems(valid), [], 'every diagram type parses in the built room');
  assert.deepEqual(await mermaidProblems(valid), []);

  const broken = documentOf(BROKEN);
  const fromSources = await mermaidProblems(broken);
  assert.deepEqual(await built.mermaidProblems(broken), fromSources);
  assert.deepEqual(
    fromSources.map((p) => [
      p.line,
      p.severity,
      /^Mermaid block \(([^)]+)\) at line \d+ does not parse: /.exec(p.message)?.[1],
    ]),
    [
      [6, 'error', 'flowchart'],
      [14, 'error', 'sequenceDiagram'],
      [22, 'error', 'architecture-beta'],
      [27, 'error', 'mindmap'],
      [39, 'error', 'sankey-beta'],
      [48, 'error', 'stateDiagram-v2'],
    ],
  );
});
