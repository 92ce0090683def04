// A change-set member's own checks as its check on the combined heads (changeSet/memberEvidence.ts),
// on real git repositories: the commands that passed stand when neither the member's tree nor its
// producer's changed after them (our own files aside: the spec's ticks and archive); a producer
// changed after them, a member changed while they ran, a command never kept, or a producer not
// linked in the run, and the check must run (undefined). Checks begun on a producer's work before it
// was accepted hold only when the producer's tree is still the one they began on.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { memberEvidence } from '../../../src/core/changeSet/memberEvidence';
import { committedRepo, write } from '../../support/gitFixture';

function pair() {
  const sdk = committedRepo({ 'src/client.js': 'export const v = 1;\n', 'package.json': '{}\n' });
  const web = committedRepo({ 'src/page.js': 'import "sdk";\n', 'spec/active/x/spec.md': '- [ ] a\n' });
  const evidence = memberEvidence({ name: 'web', path: web }, [{ name: 'sdk', path: sdk }], true);
  const linked = [{ producer: 'sdk', via: 'npm' as const, step: 'node_modules/sdk → <sdk>' }];
  return {
    sdk,
    web,
    evidence,
    linked,
    done: () => [sdk, web].forEach((d) => rmSync(d, { recursive: true, force: true })),
  };
}

test('the commands that passed stand when nothing changed after them but our own files; the report names them, the links and why', async () => {
  const { web, evidence, linked, done } = pair();
  try {
    // Work in progress (not committed) is what was checked: it counts as the tree.
    write(web, 'src/badge.js', 'export const badge = 1;\n');
    (await evidence.checking()).passed([{ command: 'npm run test', ms: 1234 }]);
    // The run's own records after the check: the spec ticked, archived, a completion record.
    write(web, 'spec/active/x/spec.md', '- [x] a\n');
    write(web, 'spec/completed/x/completion.json', '{}\n');
    const standing = await evidence.standing(['npm run test'], linked);
    assert.deepEqual(standing, {
      name: 'web',
      status: 'passed',
      reason:
        "its run's own checks stand: they passed with sdk linked in, and nothing changed after them (not run again)",
      linked,
      commands: [{ command: 'npm run test', outcome: { status: 'passed', ms: 1234 } }],
    });
  } finally {
    done();
  }
});

test("a producer's change after the member's check (its review's fix) and the check runs again", async () => {
  const { sdk, evidence, linked, done } = pair();
  try {
    (await evidence.checking()).passed([{ command: 'npm run test', ms: 10 }]);
    assert.ok(await evidence.standing(['npm run test'], linked));
    write(sdk, 'src/client.js', 'export const v = 2;\n');
    assert.equal(await evidence.standing(['npm run test'], linked), undefined);
    // Put back as it was: the same content again, the check stands again.
    write(sdk, 'src/client.js', 'export const v = 1;\n');
    assert.ok(await evidence.standing(['npm run test'], linked));
  } finally {
    done();
  }
});

test('a member changed while its commands ran (another layer writing beside them) keeps nothing; an untracked file counts too', async () => {
  const { web, evidence, linked, done } = pair();
  try {
    const check = await evidence.checking();
    write(web, 'src/other.js', 'export const other = 1;\n');
    check.passed([{ command: 'npm run test', ms: 10 }]);
    assert.equal(await evidence.standing(['npm run test'], linked), undefined);
  } finally {
    done();
  }
});

test('every validate command must have passed so: one never kept (set aside, another layer’s) and the check runs', async () => {
  const { evidence, linked, done } = pair();
  try {
    (await evidence.checking()).passed([{ command: 'npm run test', ms: 10 }]);
    assert.equal(await evidence.standing(['npm run test', 'npm run lint'], linked), undefined);
    assert.equal(await evidence.standing([], linked), undefined);
  } finally {
    done();
  }
});

test('a producer not linked in the run (a pip edge) keeps nothing: its checks did not run on the combined heads', async () => {
  const { sdk, web, done } = pair();
  try {
    const evidence = memberEvidence({ name: 'web', path: web }, [{ name: 'sdk', path: sdk }], false);
    (await evidence.checking()).passed([{ command: 'npm run test', ms: 10 }]);
    assert.equal(await evidence.standing(['npm run test'], []), undefined);
  } finally {
    done();
  }
});

test('a member that is not a git work tree keeps nothing', async () => {
  const { sdk, done } = pair();
  try {
    const evidence = memberEvidence({ name: 'web', path: join(sdk, 'missing') }, [], true);
    (await evidence.checking()).passed([{ command: 'npm run test', ms: 10 }]);
    assert.equal(await evidence.standing(['npm run test'], []), undefined);
  } finally {
    done();
  }
});

test("checks begun on a producer's work hold only if its tree is the one they began on (the member's own changes and our files aside)", async () => {
  const { sdk, web, evidence, done } = pair();
  try {
    const check = await evidence.checking();
    // The member's own work and the producer's records move on: what the checks saw of the producer holds.
    write(web, 'src/badge.js', 'export const badge = 2;\n');
    write(sdk, '.claude/specs/x.md', 'ticked\n');
    assert.equal(await check.producersUnchanged(), true);
    // The producer's retry changed its code: they ran on work that is not the accepted one.
    write(sdk, 'src/client.js', 'export const v = 2;\n');
    assert.equal(await check.producersUnchanged(), false);
    // An untracked file of the producer counts too.
    write(sdk, 'src/client.js', 'export const v = 1;\n');
    assert.equal(await check.producersUnchanged(), true);
    write(sdk, 'src/extra.js', 'export const extra = 1;\n');
    assert.equal(await check.producersUnchanged(), false);
    // Not taken (a producer not linked in the run): never said unchanged.
    const unlinked = memberEvidence({ name: 'web', path: web }, [{ name: 'sdk', path: sdk }], false);
    assert.equal(await (await unlinked.checking()).producersUnchanged(), false);
  } finally {
    done();
  }
});
