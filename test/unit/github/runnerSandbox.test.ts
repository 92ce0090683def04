// The sandbox readied on an Actions runner (issue 48): nothing to do where bubblewrap starts or the
// config says `sandbox: off`; under Ubuntu 24.04's AppArmor switch, a profile for bwrap alone, else
// the sysctl, else the one-line reason. Bubblewrap is this machine's, probed by the product's own
// probe. This machine has no AppArmor (no switch, no apparmor_parser, no sudo), so where a test
// needs them it puts shell scripts first on the job's PATH and points the switch at a file: a bwrap
// that is refused (`setting up uid map: Permission denied`) until a profile naming it is loaded or
// the switch is 0, then runs the real bubblewrap; apparmor_parser, sysctl and sudo that do what the
// real ones do to that state, or refuse as they do. The profile's AppArmor syntax itself is not
// checked by a real parser here.
import assert from 'node:assert/strict';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runJob } from '../../../src/github/action/job';
import { runnerIo } from '../../../src/github/action/runnerIo';
import { readySandboxOnRunner } from '../../../src/github/action/runnerSandbox';
import { useTempDirs } from '../../support/tempDirs';

const tempDir = useTempDirs('orch-runner-sandbox-');
let root: string;
let bin: string;
let state: string;
let workspace: string;
const savedBwrap = process.env.ORCHESTRATOR_SANDBOX_BWRAP;

function script(name: string, body: string): void {
  writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
  chmodSync(join(bin, name), 0o755);
}

before(() => {
  root = tempDir();
  bin = join(root, 'bin');
  state = join(root, 'state');
  workspace = join(root, 'repo');
  mkdirSync(bin);
  mkdirSync(workspace);
  const s = state;
  script(
    'bwrap',
    [
      `echo probe >> "${s}/probes"`,
      `if [ -e "${s}/profile" ] || [ "$(cat "${s}/switch" 2>/dev/null)" = 0 ]; then exec /usr/bin/bwrap "$@"; fi`,
      "echo 'bwrap: setting up uid map: Permission denied' >&2",
      'exit 1',
    ].join('\n'),
  );
  script(
    'apparmor_parser',
    [
      `[ "$1" = -r ] && [ -f "$2" ] || { echo "apparmor_parser: usage" >&2; exit 2; }`,
      `if [ -e "${s}/parser-refuses" ]; then echo 'apparmor_parser: Unable to replace "orchestrator-bwrap".  Permission denied; attempted to load a profile while confined?' >&2; exit 1; fi`,
      `cp "$2" "${s}/profile"`,
    ].join('\n'),
  );
  script(
    'sysctl',
    [
      `echo "$*" >> "${s}/sysctl-calls"`,
      `if [ -e "${s}/sysctl-refuses" ]; then echo 'sysctl: permission denied on key "kernel.apparmor_restrict_unprivileged_userns"' >&2; exit 1; fi`,
      `[ "$*" = "-w kernel.apparmor_restrict_unprivileged_userns=0" ] || exit 2`,
      `echo 0 > "${s}/switch"`,
    ].join('\n'),
  );
  script(
    'sudo',
    [
      `echo "$*" >> "${s}/sudo-calls"`,
      '[ "$1" = -n ] || exit 2',
      `if [ -e "${s}/no-sudo" ]; then echo 'sudo: a password is required' >&2; exit 1; fi`,
      'shift',
      'exec "$@"',
    ].join('\n'),
  );
  process.env.ORCHESTRATOR_SANDBOX_BWRAP = join(bin, 'bwrap');
});

after(() => {
  if (savedBwrap === undefined) delete process.env.ORCHESTRATOR_SANDBOX_BWRAP;
  else process.env.ORCHESTRATOR_SANDBOX_BWRAP = savedBwrap;
});

/** A new runner: the switch's value (or none), what refuses, and the repository's config. */
function runner(
  options: {
    restricted?: boolean;
    refuse?: Array<'parser-refuses' | 'sysctl-refuses' | 'no-sudo'>;
    config?: string;
    configInput?: string;
    uid?: number;
  } = {},
) {
  rmSync(state, { recursive: true, force: true });
  mkdirSync(state);
  if (options.restricted !== undefined) writeFileSync(join(state, 'switch'), options.restricted ? '1\n' : '0\n');
  for (const flag of options.refuse ?? []) writeFileSync(join(state, flag), '');
  rmSync(workspace, { recursive: true, force: true });
  const configInput = options.configInput ?? '.claude/orchestrator.yaml';
  mkdirSync(join(workspace, configInput, '..'), { recursive: true });
  if (options.config !== undefined) writeFileSync(join(workspace, configInput), options.config);
  const lines: string[] = [];
  const ready = () =>
    readySandboxOnRunner({
      log: (line) => lines.push(line),
      env: {
        PATH: `${bin}:${process.env.PATH ?? ''}`,
        GITHUB_WORKSPACE: workspace,
        RUNNER_TEMP: root,
        ...(options.configInput ? { INPUT_CONFIG: options.configInput } : {}),
      },
      system: { switchFile: join(state, 'switch'), uid: options.uid ?? 1001 },
    });
  const read = (name: string) => (existsSync(join(state, name)) ? readFileSync(join(state, name), 'utf8') : '');
  return { ready, lines, read };
}

test('bubblewrap starts: nothing changed, said once', async () => {
  process.env.ORCHESTRATOR_SANDBOX_BWRAP = '/usr/bin/bwrap';
  try {
    const r = runner({ restricted: true });
    assert.deepEqual(await r.ready(), { ok: true, took: 'starts' });
    assert.deepEqual(r.lines, ['Sandbox: bubblewrap starts on this runner; nothing to change']);
    assert.equal(r.read('sudo-calls'), '');
  } finally {
    process.env.ORCHESTRATOR_SANDBOX_BWRAP = join(bin, 'bwrap');
  }
});

test('sandbox: off in the config the input names: no probe, said once', async () => {
  const r = runner({ restricted: true, config: 'sandbox: off\n' });
  assert.deepEqual(await r.ready(), { ok: true, took: 'off' });
  assert.deepEqual(r.lines, [
    'Sandbox: off in .claude/orchestrator.yaml; agents and commands run unconfined on this runner',
  ]);
  assert.equal(r.read('probes'), '');
  // A workspace in a folder of the checkout: its config, not the checkout's.
  const web = runner({
    restricted: true,
    config: 'sandbox:\n  mode: off\n',
    configInput: 'web/.claude/orchestrator.yaml',
  });
  assert.deepEqual(await web.ready(), { ok: true, took: 'off' });
  assert.deepEqual(web.lines, [
    'Sandbox: off in web/.claude/orchestrator.yaml; agents and commands run unconfined on this runner',
  ]);
});

test('restricted: a profile for bwrap alone, loaded through sudo -n; the switch stays on', async () => {
  const r = runner({ restricted: true });
  assert.deepEqual(await r.ready(), { ok: true, took: 'apparmor-profile' });
  const bwrap = realpathSync(join(bin, 'bwrap'));
  assert.equal(
    r.read('profile'),
    `abi <abi/4.0>,\ninclude <tunables/global>\n\nprofile orchestrator-bwrap "${bwrap}" flags=(unconfined) {\n  userns,\n}\n`,
  );
  assert.equal(r.read('switch'), '1\n');
  assert.equal(r.read('sysctl-calls'), '');
  assert.match(r.read('sudo-calls'), /^-n true\n-n \S+\/apparmor_parser -r \S+\/orchestrator-bwrap\n$/);
  assert.equal(
    r.lines[0],
    'Sandbox: AppArmor restricts unprivileged user namespaces on this runner (kernel.apparmor_restrict_unprivileged_userns=1)',
  );
  assert.match(
    r.lines[1]!,
    /^Sandbox: took an AppArmor profile for \S+\/bwrap alone \(userns allowed; kernel.apparmor_restrict_unprivileged_userns stays 1 for every other program\): sudo -n apparmor_parser -r /,
  );
  assert.equal(r.lines.length, 2);
  // The probe ran before and after (the second one through the real bubblewrap), and the profile's file is gone.
  assert.equal(r.read('probes'), 'probe\nprobe\n');
  assert.deepEqual(
    readdirSync(root).filter((name) => name.startsWith('orchestrator-apparmor-')),
    [],
  );
});

test('as root, the profile refused: the sysctl for the job, without sudo', async () => {
  const r = runner({ restricted: true, refuse: ['parser-refuses'], uid: 0 });
  assert.deepEqual(await r.ready(), { ok: true, took: 'sysctl' });
  assert.equal(r.read('switch'), '0\n');
  assert.equal(r.read('sudo-calls'), '');
  assert.deepEqual(r.lines.slice(1), [
    'Sandbox: a profile for bwrap could not be loaded (apparmor_parser: Unable to replace "orchestrator-bwrap".  Permission denied; attempted to load a profile while confined?); trying the sysctl',
    'Sandbox: took the sysctl for this job (sysctl -w kernel.apparmor_restrict_unprivileged_userns=0; it holds until the machine restarts, and a GitHub-hosted runner ends with the job)',
  ]);
});

test('restricted, and sudo asks for a password: the one-line reason, nothing changed', async () => {
  const r = runner({ restricted: true, refuse: ['no-sudo'] });
  const result = await r.ready();
  assert.deepEqual(result, {
    ok: false,
    reason:
      'AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns=1) and the job is not root and sudo asks for a password (sudo: a password is required): load an AppArmor profile for bwrap that allows userns, or set sysctl kernel.apparmor_restrict_unprivileged_userns=0 on the runner',
  });
  assert.equal(r.read('sudo-calls'), '-n true\n');
  assert.equal(r.read('profile') + r.read('sysctl-calls'), '');
  assert.equal(r.read('switch'), '1\n');
});

test('restricted, neither way allowed: both tries in one line', async () => {
  const r = runner({ restricted: true, refuse: ['parser-refuses', 'sysctl-refuses'] });
  const result = await r.ready();
  assert.equal(result.ok, false);
  const reason = result.ok ? '' : result.reason;
  assert.equal(
    reason,
    'AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns=1) and a profile for bwrap could not be loaded (apparmor_parser: Unable to replace "orchestrator-bwrap".  Permission denied; attempted to load a profile while confined?); the sysctl could not be set (sysctl: permission denied on key "kernel.apparmor_restrict_unprivileged_userns")',
  );
  assert.equal(r.read('switch'), '1\n');
});

test("a kernel without the AppArmor switch: the probe's own reason, nothing tried", async () => {
  const r = runner();
  const result = await r.ready();
  assert.equal(result.ok, false);
  assert.match(
    result.ok ? '' : result.reason,
    /^bubblewrap cannot make a sandbox here \(bwrap: setting up uid map: Permission denied\)/,
  );
  assert.equal(r.read('sudo-calls') + r.read('sysctl-calls') + r.read('profile'), '');
  assert.deepEqual(r.lines, []);
});

test('a config that cannot be read: its file and line', async () => {
  const r = runner({ restricted: true, config: 'sandbox: maybe\n' });
  const result = await r.ready();
  assert.equal(result.ok, false);
  assert.match(result.ok ? '' : result.reason, /^\.claude\/orchestrator\.yaml:1\b.*sandbox/);
  assert.equal(r.read('probes'), '');
});

test("the action's mode ready-sandbox (the checks workflow's step): the sandbox readied as a job readies it, then the step ends; one that cannot start fails the step with the reason", async () => {
  const step = async (config?: string) => {
    runner({ ...(config !== undefined ? { config } : {}) });
    let log = '';
    const env = {
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      GITHUB_WORKSPACE: workspace,
      RUNNER_TEMP: root,
      INPUT_MODE: 'ready-sandbox',
      'INPUT_GITHUB-TOKEN': 'ghs_readyOnly0123456789',
    };
    const code = await runJob(env, runnerIo({ write: (text) => (log += text) }));
    return { code, log };
  };
  const off = await step('sandbox: off\n');
  assert.equal(off.code, 0, off.log);
  assert.match(off.log, /Sandbox: off in \.claude\/orchestrator\.yaml/);
  assert.match(off.log, /Orchestrator: the sandbox is ready for the steps after this one \(off\)/);
  assert.deepEqual(
    off.log.split('\n').filter((line) => line.includes('ghs_readyOnly')),
    ['::add-mask::ghs_readyOnly0123456789'],
    'the token masked first, and said nowhere',
  );
  // This machine's fake bwrap is refused and there is no AppArmor switch to lift: the step fails, saying why.
  const refused = await step();
  assert.equal(refused.code, 1);
  assert.match(refused.log, /::error::the sandbox cannot start on this runner: bubblewrap cannot make a sandbox here/);
  assert.doesNotMatch(refused.log, /Orchestrator: (ignored|stopped)/, 'no event read, no job run');
});
