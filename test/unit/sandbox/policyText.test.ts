// The policy as text: what bubblewrap binds, hides and allows, and the macOS profile, for a
// runner's policy and for a validate command's, read off the generated command line and profile.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bwrapArgs, RELAY_DIR_INSIDE } from '../../../src/core/sandbox/bwrapArgs';
import { hostsFile, parseNetworkEntry, planEndpoints } from '../../../src/core/sandbox/endpoints';
import { seatbeltProfile } from '../../../src/core/sandbox/seatbelt';
import type { SystemLayout } from '../../../src/core/sandbox/system';
import type { SandboxPolicy } from '../../../src/core/sandbox/types';

const layout: SystemLayout = {
  binds: ['/usr', '/etc', '/opt'],
  symlinks: [
    ['usr/bin', '/bin'],
    ['usr/lib', '/lib'],
  ],
  maskedFiles: ['/etc/shadow'],
  maskedDirs: ['/etc/ssh'],
};
const home = '/home/ada';
const checkout = '/home/ada/shop';
const worktree = '/home/ada/.orchestrator-worktrees/shop/run-1';

const runner: SandboxPolicy = {
  cwd: worktree,
  writable: [worktree, '/var/runs/run-1/claude-state'],
  readOnly: ['/opt/claude-cli'],
  home: '/var/runs/run-1/claude-home',
  tmp: '/var/runs/run-1/tmp',
  network: ['127.0.0.1:4010', 'mcp.example.com:8443'],
  who: { agent: 'backend' },
  hidden: [checkout],
};
const validate: SandboxPolicy = {
  cwd: worktree,
  writable: [worktree],
  readOnly: [`${checkout}/node_modules`],
  home: '/var/runs/run-1/cmd-home',
  tmp: '/var/runs/run-1/cmd-tmp',
  network: [],
  who: { command: 'npm test' },
};

/** The pairs following each occurrence of a flag: [['--bind', src, dest], …]. */
function mounts(args: string[], flag: string): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  args.forEach((arg, i) => {
    if (arg === flag) found.push([args[i + 1]!, args[i + 2]!]);
  });
  return found;
}

test('a runner: its worktree and state read-write, its CLI read-only, HOME and the checkout absent, every namespace new', () => {
  const exists = (path: string) => path === `${worktree}/.git`;
  const args = bwrapArgs({
    policy: runner,
    layout,
    toolchains: ['/home/ada/.nvm'],
    hostsFile: '/run/x/hosts',
    relayDir: '/run/x/relay',
    exists,
  });
  for (const flag of [
    '--unshare-user',
    '--unshare-pid',
    '--unshare-net',
    '--unshare-ipc',
    '--disable-userns',
    '--die-with-parent',
    '--new-session',
  ])
    assert.ok(args.includes(flag), flag);
  assert.deepEqual(args.slice(args.indexOf('--cap-drop'), args.indexOf('--cap-drop') + 2), ['--cap-drop', 'ALL']);
  const rw = mounts(args, '--bind').map(([source]) => source);
  assert.deepEqual(
    rw.sort(),
    ['/var/runs/run-1/claude-home', '/var/runs/run-1/claude-state', '/var/runs/run-1/tmp', worktree].sort(),
  );
  const ro = mounts(args, '--ro-bind');
  assert.ok(ro.some(([s, d]) => s === '/opt/claude-cli' && d === '/opt/claude-cli'));
  assert.ok(
    ro.some(([s]) => s === '/home/ada/.nvm'),
    'a toolchain under HOME, read-only',
  );
  assert.ok(
    ro.some(([s, d]) => s === `${worktree}/.git` && d === `${worktree}/.git`),
    'the worktree git file is read-only',
  );
  assert.ok(ro.some(([s, d]) => s === '/run/x/hosts' && d === '/etc/hosts'));
  assert.ok(ro.some(([s, d]) => s === '/run/x/relay' && d === RELAY_DIR_INSIDE));
  assert.ok(
    ro.some(([s, d]) => s === '/dev/null' && d === '/etc/shadow'),
    '/etc/shadow masked',
  );
  // Nothing of HOME itself nor of the checkout is mounted; the private /tmp is the policy's.
  const sources = [...mounts(args, '--bind'), ...ro].map(([source]) => source);
  assert.ok(!sources.includes(home) && !sources.some((s) => s === checkout || s.startsWith(`${checkout}/`)));
  assert.deepEqual(
    mounts(args, '--bind').find(([, d]) => d === '/tmp'),
    ['/var/runs/run-1/tmp', '/tmp'],
  );
  // The git overlay comes after the worktree it protects (bubblewrap applies mounts in order).
  const at = (flag: string, source: string) => args.findIndex((arg, i) => arg === flag && args[i + 1] === source);
  assert.ok(at('--ro-bind', `${worktree}/.git`) > at('--bind', worktree));
  assert.equal(args[args.indexOf('--chdir') + 1], worktree);
});

test('a validate command: only its workspace writable, the linked node_modules read-only, no network relay', () => {
  const args = bwrapArgs({ policy: validate, layout, toolchains: [], exists: () => false });
  assert.deepEqual(
    mounts(args, '--bind')
      .map(([s]) => s)
      .sort(),
    ['/var/runs/run-1/cmd-home', '/var/runs/run-1/cmd-tmp', worktree].sort(),
  );
  assert.ok(mounts(args, '--ro-bind').some(([s]) => s === `${checkout}/node_modules`));
  assert.ok(!args.includes(RELAY_DIR_INSIDE) && !args.includes('/etc/hosts'));
  assert.ok(args.includes('--unshare-net'), 'no network at all');
});

test('network entries: host:port, a bare host opens 443 and 80, loopback keeps its address, bad entries are named', () => {
  assert.deepEqual(parseNetworkEntry('registry.npmjs.org'), { host: 'registry.npmjs.org', ports: [443, 80] });
  assert.deepEqual(parseNetworkEntry('127.0.0.1:4010'), { host: '127.0.0.1', ports: [4010] });
  for (const bad of ['*.example.com', 'example.com:0', 'example.com:99999', '10.0.0.1:5432', '[::1]:80', 'a b'])
    assert.throws(() => parseNetworkEntry(bad), new RegExp(bad.replace(/[.*[\]]/g, '\\$&').split(':')[0]!));
  const endpoints = planEndpoints([
    '127.0.0.1:4010',
    'localhost:4011',
    'api.example.com:443',
    'api.example.com:443',
    'mcp.example.com',
  ]);
  assert.deepEqual(
    endpoints.map((e) => `${e.host}:${e.port}@${e.insideAddress}`),
    [
      '127.0.0.1:4010@127.0.0.1',
      'localhost:4011@127.0.0.1',
      'api.example.com:443@127.0.1.1',
      'mcp.example.com:443@127.0.1.2',
      'mcp.example.com:80@127.0.1.2',
    ],
  );
  assert.equal(
    hostsFile(endpoints),
    '127.0.0.1 localhost localhost.localdomain\n127.0.1.1 api.example.com\n127.0.1.2 mcp.example.com\n',
  );
});

test('the macOS profile: deny by default, the work writable, HOME not readable, only the named ports reachable', () => {
  const profile = seatbeltProfile(runner, ['/Users/ada/.nvm']);
  assert.ok(profile.startsWith('(version 1)\n(deny default)\n'));
  assert.match(
    profile,
    new RegExp(
      `\\(allow file-read\\* file-write\\* \\(subpath "${worktree}"\\) \\(subpath "/var/runs/run-1/claude-state"\\) \\(subpath "/var/runs/run-1/claude-home"\\) \\(subpath "/var/runs/run-1/tmp"\\)\\)`,
    ),
  );
  assert.match(profile, /\(allow file-read\* [^\n]*\(subpath "\/opt\/claude-cli"\)/);
  assert.match(profile, /\(subpath "\/Users\/ada\/\.nvm"\)/);
  assert.ok(
    !profile.includes(`(subpath "${home}")`) && !profile.includes(`"${checkout}"`),
    'neither HOME nor the checkout is allowed',
  );
  assert.match(profile, new RegExp(`\\(deny file-write\\* \\(subpath "${worktree}/\\.git"\\)`));
  assert.match(profile, /\(allow network-outbound \(remote ip "localhost:4010"\)\)/);
  assert.match(profile, /\(allow network-outbound \(remote ip "\*:8443"\)\)/);
  assert.equal((profile.match(/network-outbound \(remote ip/g) ?? []).length, 2);
  assert.match(profile, /\(deny mach-lookup \(global-name "com.apple.SecurityServer"\)/);

  const bare = seatbeltProfile(validate, []);
  assert.ok(!bare.includes('network-outbound'), 'a validate command with no network gets none');
  assert.match(bare, /\(allow signal \(target same-sandbox\)\)/);
});

test('a path with a quote cannot break out of its string in the profile', () => {
  const profile = seatbeltProfile({ ...validate, writable: ['/tmp/a") (allow default) ("'] }, []);
  assert.ok(!profile.includes('(allow default)\n') && profile.includes('\\"'));
  assert.ok(!/^\(allow default\)/m.test(profile));
});

test('a CLI with a sandbox of its own (nested): it may make user namespaces inside, as uid 1000 when root starts it; nothing else changes', () => {
  const plain = bwrapArgs({ policy: runner, layout, toolchains: [], hostUid: 1000 });
  const nested = bwrapArgs({ policy: { ...runner, nested: true }, layout, toolchains: [], hostUid: 1000 });
  assert.ok(plain.includes('--disable-userns'));
  assert.ok(!nested.includes('--disable-userns'));
  assert.deepEqual(
    nested,
    plain.filter((arg) => arg !== '--disable-userns'),
  );
  const byRoot = bwrapArgs({ policy: { ...runner, nested: true }, layout, toolchains: [], hostUid: 0 });
  assert.deepEqual(byRoot.slice(byRoot.indexOf('--uid'), byRoot.indexOf('--uid') + 4), [
    '--uid',
    '1000',
    '--gid',
    '1000',
  ]);
  assert.ok(
    !bwrapArgs({ policy: runner, layout, toolchains: [], hostUid: 0 }).includes('--uid'),
    'not nested: the user as it is',
  );
});
