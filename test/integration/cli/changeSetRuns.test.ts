// `orchestrator runs` in a workspace of repositories (issue 73): its members' runs are in their own
// folders, so each change-set is listed as one run with one line per member, producers first, in the
// words the sidebar, the chat and the portal use; `runs --json` stays the folder's runs.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { trioWithSavedSet } from '../../support/changesetRecord';
import { buildCli, runCli } from '../../support/cli/cliKit';

test('runs in a member of a workspace of repositories lists each change-set as one run, one line per member', async () => {
  buildCli();
  const dir = trioWithSavedSet('2026-11-28-value-two', 'value two');
  const listed = await runCli(['runs'], { cwd: `${dir}/b` });
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(
    listed.stdout,
    /change-set 2026-11-28-value-two: spec-saved \(waiting for its approval\), \$0\.03 of the set's \$5\.00\n {2}1\. … a: spec-saved, \$0\.01\n {2}2\. … b: spec-saved, \$0\.01 \(a linked via command\)\n {2}3\. … c: spec-saved, \$0\.01 \(b linked via command\)\n/,
  );
  const json = await runCli(['runs', '--json'], { cwd: `${dir}/b` });
  assert.deepEqual(
    (JSON.parse(json.stdout) as { runId: string }[]).map((r) => r.runId),
    ['spec-b'],
    "--json: the folder's runs, as before",
  );

  // A mistake in the workspace file: said on stderr, the runs listed all the same.
  writeFileSync(join(dir, '.claude/workspace.yaml'), 'version: 1\nrepositories:\n  a: { path: a, gitlab: x }\n');
  const broken = await runCli(['runs'], { cwd: `${dir}/b` });
  assert.equal(broken.code, 0, broken.stderr);
  assert.match(broken.stdout, /spec-b/);
  assert.match(broken.stderr, /the change-sets could not be read: .*workspace\.yaml:2:1 repositories/);
});
