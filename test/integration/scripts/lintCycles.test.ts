// `npm run lint`'s cycle rule (scripts/lint-cycles.mjs, .dependency-cruiser.cjs): imports point
// one way, type-only imports included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const script = resolve(__dirname, '../../../scripts/lint-cycles.mjs');

function lintFolder(files: Record<string, string>): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'orch-cycles-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const r = spawnSync(process.execPath, [script, dir], { encoding: 'utf8' });
    return { status: r.status, output: r.stdout + r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a cycle made only of type imports fails the lint', () => {
  const r = lintFolder({
    'events.ts': "import type { Host } from './host';\nexport interface EngineEvent { host?: Host }\n",
    'host.ts':
      "import type { EngineEvent } from './events';\nexport interface Host { onEvent(e: EngineEvent): void }\n",
  });
  assert.notEqual(r.status, 0, r.output);
  assert.match(r.output, /no-circular/);
  assert.match(r.output, /events\.ts/);
});

test('the same modules with the shared type in a leaf pass', () => {
  const r = lintFolder({
    'requests.ts': 'export interface Request { id: string }\n',
    'events.ts': "import type { Request } from './requests';\nexport interface EngineEvent { request?: Request }\n",
    'host.ts':
      "import type { EngineEvent } from './events';\nimport type { Request } from './requests';\nexport interface Host { onEvent(e: EngineEvent, r: Request): void }\n",
  });
  assert.equal(r.status, 0, r.output);
});
