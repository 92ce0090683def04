// Issue 71: the Action's vendored tree leaves out bundles its job and the checks workflow never
// load; what would have loaded one says which and where to run it, from Node's own error.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { leftOutBundle } from '../../../src/core/text/leftOutBundle';

test("a sibling bundle missing (require('./mermaid.js') beside dist/engine.js) is said by name; any other failure is not this", () => {
  const dist = mkdtempSync(join(tmpdir(), 'left-out-'));
  try {
    writeFileSync(join(dist, 'broken.js'), 'this is not JavaScript(');
    const failure = (path: string): unknown => {
      try {
        createRequire(join(dist, 'engine.js'))(path);
      } catch (error) {
        return error;
      }
      return assert.fail(`${path} loaded`);
    };
    assert.equal(
      leftOutBundle(failure('./mermaid.js'), "The gate's Mermaid check"),
      "The gate's Mermaid check needs dist/mermaid.js, which this installation of the Orchestrator does not hold: the Orchestrator vendored with the GitHub Action (.github/actions/orchestrator/) carries only what the Action's job and the checks workflow load (docs/github-action.md). Run it where the CLI or the VS Code extension is installed.",
    );
    assert.equal(leftOutBundle(failure('pg-not-installed')), undefined, 'a package, not a bundle of ours');
    assert.equal(leftOutBundle(failure('./broken.js')), undefined, 'there, but broken');
    assert.equal(leftOutBundle(new Error("Cannot find module './mcp.js'")), undefined, 'not a failed require');
  } finally {
    rmSync(dist, { recursive: true, force: true });
  }
});
