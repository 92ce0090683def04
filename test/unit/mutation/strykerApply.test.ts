// StrykerJS's mutants written without its CLI (src/core/mutation/stryker/strykerMutants.ts
// strykerApply: a project whose runner it has no plugin for): each mutant found again by its id,
// its whole span replaced; in TypeScript, type checks off as StrykerJS's `disableTypeChecks` has
// them, so a mutant that is valid code but not valid types is not "caught" by a proof command that
// type-checks.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCommand } from '../../../src/core/process';
import { strykerInstall } from '../../../src/core/mutation/stryker/strykerInstall';
import { strykerApply, strykerMutants } from '../../../src/core/mutation/stryker/strykerMutants';

const TS = `#!/usr/bin/env node
export function evens(limit: number): number[] {
  const out: number[] = [];
  for (let i = 0; i <= limit; i += 2) out.push(i);
  return out;
}
`;

test("strykerApply: each mutant's whole span replaced; in TypeScript after `// @ts-nocheck` (below a #! line), so tsc does not catch a mutant of types", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'orch-stryker-apply-'));
  try {
    writeFileSync(join(dir, 'evens.ts'), TS);
    writeFileSync(join(dir, 'evens.js'), TS.replace(/: number(\[\])?/g, ''));
    const instrumenter = strykerInstall(process.cwd())!.instrumenter;
    const changed = (path: string) => [{ path, ranges: [{ start: 2, end: 6 }] }];
    const ts = await strykerMutants(instrumenter, dir, changed('evens.ts'));
    const array = ts.find((m) => m.operator === 'ArrayDeclaration')!;
    assert.ok(array, ts.map((m) => `${m.operator} ${m.original} → ${m.replacement}`).join('\n'));
    const apply = await strykerApply(instrumenter, dir, ts);
    const mutated = apply(TS, array);
    assert.deepEqual(mutated.split('\n').slice(0, 4), [
      '#!/usr/bin/env node',
      '// @ts-nocheck',
      'export function evens(limit: number): number[] {',
      '  const out: number[] = ["Stryker was here"];',
    ]);
    // One tsc over both files (its start is most of its time): the mutant passes, the same without `// @ts-nocheck` does not.
    writeFileSync(join(dir, 'mutant.ts'), mutated);
    writeFileSync(join(dir, 'checked.ts'), mutated.replace('// @ts-nocheck\n', ''));
    const tsc = await runCommand(
      `${join(process.cwd(), 'node_modules/.bin/tsc')} --noEmit --strict --target es2022 mutant.ts checked.ts`,
      { cwd: dir, timeoutSec: 120 },
    );
    assert.doesNotMatch(tsc.output, /mutant\.ts\(/, 'type checks off');
    assert.match(tsc.output, /checked\.ts\(\d+,\d+\): error TS2322/, 'without it, tsc would catch the mutant');
    // A mutant of several lines (the function's body emptied) replaces them all.
    const block = ts.find((m) => m.operator === 'BlockStatement' && m.line === 2)!;
    assert.equal(block.end?.line, 6);
    assert.match(apply(TS, block), /number\[\] \{\}\n$/);
    // JavaScript is left as it is written.
    const js = await strykerMutants(instrumenter, dir, changed('evens.js'));
    const jsText = TS.replace(/: number(\[\])?/g, '');
    const jsApply = await strykerApply(instrumenter, dir, js);
    assert.ok(js.every((m) => jsApply(jsText, m).startsWith('#!/usr/bin/env node\nexport function evens(limit) {')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
