// Issue 45 point 4: the floors of the house (scripts/floors.cjs) are a lint rule. dependency-cruiser
// runs with the project's own .dependency-cruiser.cjs over a small tree holding wrong imports, and
// each is reported under its rule; the same tree with the imports pointing down passes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '../../..');
const CLI = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** Runs the project's lint rule over a tree of the given files; the violations it reports. */
function cruise(files: Record<string, string>): Violation[] {
  const dir = mkdtempSync(join(tmpdir(), 'floors-'));
  try {
    cpSync(join(ROOT, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
    mkdirSync(join(dir, 'scripts'));
    cpSync(join(ROOT, 'scripts', 'floors.cjs'), join(dir, 'scripts', 'floors.cjs'));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'commonjs', strict: true } }),
    );
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const run = spawnSync(
      process.execPath,
      [CLI, '--config', '.dependency-cruiser.cjs', '--output-type', 'json', 'src', 'webview'],
      { cwd: dir, encoding: 'utf8' },
    );
    assert.ok(run.stdout, `dependency-cruiser printed nothing: ${run.stderr}`);
    return (JSON.parse(run.stdout) as { summary: { violations: Violation[] } }).summary.violations;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const BELOW = {
  'src/core/text/words.ts': 'export const WORD = 1;\n',
  'src/core/errors.ts': "import { WORD } from './text/words';\nexport const E = WORD;\n",
  'src/core/events/index.ts': "import { E } from '../errors';\nexport const EVENT = E;\n",
  'src/core/llm/provider.ts': "import { EVENT } from '../events';\nexport const P = EVENT;\n",
  'src/core/llm/index.ts': "export { P } from './provider';\n",
  'src/core/engine/index.ts': "import { P } from '../llm';\nexport const ENGINE = P;\n",
  'src/shared/view.ts':
    "import { WORD } from '../core/text/words';\nimport type { E } from '../core/errors';\nexport const VIEW: typeof E = WORD;\n",
  'src/cli/main.ts':
    "import { ENGINE } from '../core/engine';\nimport { VIEW } from '../shared/view';\nexport const MAIN = ENGINE + VIEW;\n",
  'src/core/pipeline/kernel/runContext.ts': "import { EVENT } from '../../events';\nexport const RUN = EVENT;\n",
  'src/core/pipeline/kernel/index.ts': "export { RUN } from './runContext';\n",
  'src/core/pipeline/phases/specPhase.ts': "import { RUN } from '../kernel';\nexport const SPEC = RUN;\n",
  'src/core/pipeline/phases/index.ts': "export { SPEC } from './specPhase';\n",
  'src/core/pipeline/workflow/steps.ts': "import { SPEC } from '../phases';\nexport const STEPS = SPEC;\n",
  'src/core/pipeline/workflow/index.ts': "export { STEPS } from './steps';\n",
  'src/core/pipeline/run/runner.ts': "import { STEPS } from '../workflow';\nexport const RUNNER = STEPS;\n",
  'src/core/pipeline/run/index.ts': "export { RUNNER } from './runner';\n",
  'src/core/project/sources/files.ts': "import { E } from '../../errors';\nexport const FILES = E;\n",
  'src/core/project/sources/index.ts': "export { FILES } from './files';\n",
  'src/core/project/config/config.ts': "import { FILES } from '../sources';\nexport const CONFIG = FILES;\n",
  'src/core/queue/pgStore.ts': "import { E } from '../errors';\nexport const PG = E;\n",
  'src/pool/store.ts': "import { PG } from '../core/queue/pgStore';\nexport const STORE = PG;\n",
  'src/core/sandbox/policy.ts': "import { E } from '../errors';\nexport const POLICY = E;\n",
  'src/core/sandbox/index.ts': "export { POLICY } from './policy';\n",
  'src/core/journal/log.ts': "import { POLICY } from '../sandbox';\nexport const LOG = POLICY;\n",
  'src/portal/page.ts': "import { VIEW } from '../shared/view';\nexport const PAGE = VIEW;\n",
  'webview/app.ts': "import { VIEW } from '../src/shared/view';\nexport const APP = VIEW;\n",
};

test('imports that point down a floor, or stay on it, and enter a room by its door (or a lazily loaded bundle by its entry), pass', () => {
  assert.deepEqual(cruise(BELOW), []);
});

test("an import climbing floors (inside the pipeline too), the browser reaching into the engine, a room on no floor, a room entered behind its door (a room of the pipeline and of project/ too) and a file going through its own room's door are each refused", () => {
  const violations = cruise({
    ...BELOW,
    'src/core/llm/provider.ts':
      "import { EVENT } from '../events';\nimport { PAGE } from '../../portal/page';\nexport const P = EVENT + PAGE;\n",
    'webview/app.ts':
      "import { VIEW } from '../src/shared/view';\nimport { EVENT } from '../src/core/events';\nexport const APP = VIEW + EVENT;\n",
    'src/core/journal/log.ts': "import { POLICY } from '../sandbox/policy';\nexport const LOG = POLICY;\n",
    'src/core/attic/box.ts': "import { E } from '../errors';\nexport const BOX = E;\n",
    'src/core/pipeline/kernel/reports.ts': "import { SPEC } from '../phases';\nexport const REPORT = SPEC;\n",
    'src/core/pipeline/agent/agentRun.ts': "import { RUNNER } from '../run';\nexport const AGENT = RUNNER;\n",
    'src/core/pipeline/workflow/steps.ts': "import { SPEC } from '../phases/specPhase';\nexport const STEPS = SPEC;\n",
    'src/core/project/config/config.ts': "import { FILES } from '../sources/files';\nexport const CONFIG = FILES;\n",
    'src/core/sandbox/launch.ts': "import { POLICY } from '.';\nexport const LAUNCH = POLICY;\n",
  });
  const found = violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
  assert.deepEqual(found, [
    'browser-only-ui-contract: webview/app.ts → src/core/events/index.ts',
    'floor-agent: src/core/pipeline/agent/agentRun.ts → src/core/pipeline/run/index.ts',
    'floor-infrastructure: src/core/llm/provider.ts → src/portal/page.ts',
    'floor-kernel: src/core/pipeline/kernel/reports.ts → src/core/pipeline/phases/index.ts',
    'floor-unknown: src/core/attic/box.ts → src/core/errors.ts',
    'room-door: src/core/journal/log.ts → src/core/sandbox/policy.ts',
    'room-door: src/core/llm/provider.ts → src/portal/page.ts',
    'room-door: src/core/pipeline/workflow/steps.ts → src/core/pipeline/phases/specPhase.ts',
    'room-door: src/core/project/config/config.ts → src/core/project/sources/files.ts',
    'room-own-door: src/core/sandbox/launch.ts → src/core/sandbox/index.ts',
  ]);
});

test('the engine never imports the UI contract, which imports only the portable leaves (and types from below); none of them, nor the browser code, uses Node', () => {
  const violations = cruise({
    ...BELOW,
    'src/core/sandbox/policy.ts':
      "import { E } from '../errors';\nimport { VIEW } from '../../shared/view';\nexport const POLICY = E + VIEW;\n",
    'src/shared/view.ts':
      "import { WORD } from '../core/text/words';\nimport { ENGINE } from '../core/engine';\nexport const VIEW = WORD + ENGINE;\n",
    'src/core/text/words.ts':
      "import { sep } from 'node:path';\nimport { U } from '../usage';\nexport const WORD = sep + U;\n",
    'src/core/usage.ts': 'export const U = 1;\n',
  });
  const found = violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
  assert.deepEqual(found, [
    'browser-safe-no-node: src/core/text/words.ts → path',
    'floor-infrastructure: src/core/sandbox/policy.ts → src/shared/view.ts',
    'portable-leaf: src/core/text/words.ts → src/core/usage.ts',
    'ui-contract-portable: src/shared/view.ts → src/core/engine/index.ts',
  ]);
});
