import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import { catalogue } from '../../../src/core/catalogue';
import * as door from '../../../src/core/engine';
import { contract, contractParts, engine, RUN } from '../../../src/core/engine';
import * as bundle from '../../../src/core/engineBundle';
import { realEngine } from '../../../src/extension/engine';

const names = Object.keys(contract);

test('the contract is one table: each name in one part only, and the engine is its functions, no more', () => {
  const inParts = Object.values(contractParts).flatMap((part) => Object.keys(part));
  assert.deepEqual(
    [...inParts].sort(),
    [...new Set(inParts)].sort(),
    'a name in two parts (the later would hide the other)',
  );
  assert.deepEqual(inParts.sort(), [...names].sort());
  assert.deepEqual(Object.keys(engine).sort(), [...names].sort());
  for (const name of names) {
    const entry = contract[name as keyof typeof contract];
    assert.equal(engine[name as keyof typeof engine], entry.call, name);
    assert.equal(typeof entry.call, 'function', name);
    assert.ok(entry.kind === 'verb' || entry.kind === 'query', name);
  }
});

test("each verb's journaled events are in the event catalogue; a query journals nothing", () => {
  for (const [name, entry] of Object.entries(contract)) {
    if (entry.kind === 'query') {
      assert.equal('journals' in entry, false, `${name} is a query: it reads only`);
      continue;
    }
    for (const type of entry.journals)
      assert.ok(Object.hasOwn(catalogue, type), `${name} journals ${type}, which the catalogue lacks`);
    assert.equal(new Set(entry.journals).size, entry.journals.length, `${name} names an event twice`);
  }
  // A verb that starts or continues a run journals it from its start to its end.
  for (const name of ['runFeature', 'runBugfix', 'runAudit', 'approveSpec', 'resumeRun', 'followUpRun'] as const) {
    const entry = contract[name];
    for (const type of RUN) assert.ok(entry.journals.includes(type), `${name} journals its run (${type})`);
  }
});

test('no function goes around the table: the door exports only its calls, the bundle only the table', () => {
  const calls = new Set<unknown>(Object.values(contract).map((entry) => entry.call));
  for (const [name, value] of Object.entries(door)) {
    if (typeof value === 'function') assert.ok(calls.has(value), `src/core/engine exports ${name} outside the table`);
  }
  for (const name of names)
    assert.equal(Object.hasOwn(bundle, name), false, `dist/engine.js exports ${name} beside the contract`);
  assert.equal(bundle.engine, engine);
});

test("the extension's engine calls the contract's entry by its name, and is not a promise", async () => {
  const workspace = mkdtempSync(join(tmpdir(), 'contract-'));
  try {
    assert.equal((realEngine as unknown as { then?: unknown }).then, undefined);
    assert.deepEqual(await realEngine.listRuns(workspace), await engine.listRuns(workspace));
    assert.equal(await realEngine.defaultIsolation(workspace), 'in-place');
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
});
