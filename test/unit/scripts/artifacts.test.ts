// Issue 59: each artifact ships every bundle it loads. dist/artifacts.json is derived from
// esbuild's metafile (scripts/artifacts.mjs); this reads the built bundles themselves instead: a
// string naming a sibling bundle (`require("./pool.js")`, `join(…, 'dist', 'cli.js')`) is a load,
// followed from each artifact's entry point, and whatever it reaches must be on that artifact's list.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
// @ts-expect-error -- a plain .mjs script without type declarations
import { ACTION_LEAVES_OUT } from '../../../scripts/artifacts.mjs';
import { artifacts } from '../../support/cli/artifactKit';
import { ROOT } from '../../support/cli/cliKit';

/** The dist/ bundles a bundle names, as the strings in its text. */
function named(bundle: string, bundles: string[]): string[] {
  const text = readFileSync(join(ROOT, bundle), 'utf8');
  const found = new Set<string>();
  for (const [, name] of text.matchAll(/["'`](?:\.\/|dist\/)?([\w-]+\.js)["'`]/g))
    if (bundles.includes(`dist/${name}`)) found.add(`dist/${name}`);
  return [...found];
}

/** `entry` and every bundle it reaches by name, except through `leftOut`. */
function reached(entry: string, bundles: string[], leftOut: string[] = []): Set<string> {
  const seen = new Set<string>();
  const visit = (bundle: string) => {
    if (seen.has(bundle) || leftOut.includes(bundle)) return;
    seen.add(bundle);
    named(bundle, bundles).forEach(visit);
  };
  visit(entry);
  return seen;
}

test("every bundle an artifact's entry point loads, followed through the bundles themselves, is on that artifact's list", () => {
  const lists = artifacts();
  const bundles = readdirSync(join(ROOT, 'dist'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => `dist/${f}`);
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    main: string;
    bin: Record<string, string>;
  };
  const actionMain = /^\s+main: (\S+)$/m.exec(readFileSync(join(ROOT, 'action.yml'), 'utf8'))![1]!;
  // The Action's tree: its job and the CLI the checks workflow runs, without what it says it leaves out.
  const cli = Object.values(manifest.bin);
  const entries = { cli, vsix: [manifest.main], action: [actionMain, ...cli] };
  const leftOut = { cli: [], vsix: [], action: Object.keys(ACTION_LEAVES_OUT as Record<string, string>) };
  for (const [artifact, points] of Object.entries(entries) as [keyof typeof entries, string[]][]) {
    for (const entry of points.map((p) => p.replace(/^\.\//, ''))) {
      const missing = [...reached(entry, bundles, leftOut[artifact])].filter(
        (bundle) => !lists[artifact].includes(bundle),
      );
      assert.deepEqual(
        missing,
        [],
        `${artifact}: ${entry} loads ${missing.join(', ')}, which the ${artifact} list (dist/artifacts.json) does not ship`,
      );
    }
  }
  // The bundles the issue found missing from the tarball, and what the CLI ships for `init --github-action`.
  for (const bundle of ['dist/pool.js', 'dist/runners.js', 'dist/workspaces.js', 'dist/mermaid.js'])
    assert.ok(lists.cli.includes(bundle), bundle);
  assert.deepEqual(
    lists.action.filter((file) => !lists.cli.includes(file)),
    [],
    "the CLI carries the Action's files",
  );
  assert.ok(lists.cli.includes('dist/artifacts.json'), 'and the lists, to find them by');
  assert.ok(lists.action.includes('action.yml') && lists.action.includes('.claude/workflows/feature.yaml'));
  // Issue 71: the Action's tree holds what runs, a license, and none of what it leaves out, nor the CLI's templates or demo.
  assert.ok(lists.action.includes('LICENSE') && lists.action.includes('.claude/audit/backend.md'));
  assert.deepEqual(
    lists.action.filter(
      (file) =>
        file in (ACTION_LEAVES_OUT as Record<string, string>) ||
        /^(examples|\.claude\/context|dist\/portal)\/|^(package\.json|README\.md|CHANGELOG\.md|\.claude\/orchestrator\.yaml)$/.test(
          file,
        ),
    ),
    [],
  );
  // What it leaves out is reached from its entry points (else there would be nothing to say), and each says why.
  const reachable = new Set(entries.action.flatMap((entry) => [...reached(entry.replace(/^\.\//, ''), bundles)]));
  for (const [bundle, why] of Object.entries(ACTION_LEAVES_OUT as Record<string, string>)) {
    assert.ok(reachable.has(bundle), bundle);
    assert.ok(why.length > 10, bundle);
  }
  for (const file of [...lists.cli, ...lists.vsix]) assert.ok(existsSync(join(ROOT, file)), file);
  assert.deepEqual(
    [...lists.cli, ...lists.vsix].filter((file) =>
      /^(src|test|scripts|node_modules)\/|\.map$|(^|\/)\.claude\/runs\//.test(file),
    ),
    [],
    'no sources, maps or run journals',
  );
});
