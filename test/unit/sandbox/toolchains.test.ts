// Which PATH entries a sandbox binds read-only: a toolchain's prefix outside HOME, a toolchain
// home inside it (~/.nvm), only the entry itself for any other folder of HOME (~/.local/bin,
// ~/.cargo/bin: never ~/.cargo and its credentials), nothing of the user's checkout.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { toolchainFolders } from '../../../src/core/sandbox/toolchains';

const root = mkdtempSync(join(tmpdir(), 'sandbox-toolchains-'));
after(() => rmSync(root, { recursive: true, force: true }));
const make = (...parts: string[]) => {
  const path = join(root, ...parts);
  mkdirSync(path, { recursive: true });
  return path;
};

test('toolchains: prefixes outside HOME, toolchain homes inside it, other HOME entries alone, the checkout never', () => {
  const home = make('home', 'ada');
  const node = make('toolchains', 'node-v24', 'bin');
  const nvm = make('home', 'ada', '.nvm', 'versions', 'node', 'v22', 'bin');
  const cargo = make('home', 'ada', '.cargo', 'bin');
  const local = make('home', 'ada', '.local', 'bin');
  const checkout = make('home', 'ada', 'shop');
  const checkoutBin = make('home', 'ada', 'shop', 'node_modules', '.bin');
  const homeBin = make('bin');
  const path = [
    node,
    nvm,
    cargo,
    local,
    checkoutBin,
    '/usr/bin',
    'relative/bin',
    join(root, 'missing', 'bin'),
    homeBin,
  ].join(':');
  const folders = toolchainFolders(path, home, [checkout], join(node, 'node'));
  assert.deepEqual(
    folders,
    [
      join(home, '.cargo', 'bin'),
      join(home, '.local', 'bin'),
      join(home, '.nvm'),
      homeBin,
      join(root, 'toolchains', 'node-v24'),
    ].sort(),
  );
});

test("a PATH entry's executables that link out of it bring their target, never HOME's secrets", () => {
  const home = make('home', 'grace');
  // A global npm prefix in the home folder: bin/pnpm -> ../lib/node_modules/pnpm/bin/pnpm.cjs.
  const prefix = make('home', 'grace', '.npm-global');
  make('home', 'grace', '.npm-global', 'lib', 'node_modules', 'pnpm', 'bin');
  const bin = make('home', 'grace', '.npm-global', 'bin');
  writeFileSync(join(prefix, 'lib', 'node_modules', 'pnpm', 'bin', 'pnpm.cjs'), '');
  symlinkSync('../lib/node_modules/pnpm/bin/pnpm.cjs', join(bin, 'pnpm'));
  // A venv's script, linked from ~/.local/bin: the venv comes along.
  make('home', 'grace', '.local', 'share', 'pypoetry', 'venv', 'bin');
  writeFileSync(join(home, '.local', 'share', 'pypoetry', 'venv', 'bin', 'poetry'), '');
  const local = make('home', 'grace', '.local', 'bin');
  symlinkSync(join(home, '.local', 'share', 'pypoetry', 'venv', 'bin', 'poetry'), join(local, 'poetry'));
  // A tool kept in ~/.config and one in a first-level folder of HOME: the file alone.
  make('home', 'grace', '.config', 'tool');
  writeFileSync(join(home, '.config', 'tool', 'run'), '');
  symlinkSync(join(home, '.config', 'tool', 'run'), join(local, 'tool'));
  make('home', 'grace', 'scripts');
  writeFileSync(join(home, 'scripts', 'deploy'), '');
  symlinkSync(join(home, 'scripts', 'deploy'), join(local, 'deploy'));
  // A link into the keys: nothing.
  make('home', 'grace', '.ssh');
  writeFileSync(join(home, '.ssh', 'id_ed25519'), 'PRIVATE');
  symlinkSync(join(home, '.ssh', 'id_ed25519'), join(local, 'key'));

  const folders = toolchainFolders([bin, local].join(':'), home, [], '/usr/bin/node');
  assert.deepEqual(
    folders,
    [
      bin,
      local,
      join(prefix, 'lib', 'node_modules'),
      join(home, '.local', 'share', 'pypoetry', 'venv'),
      join(home, '.config', 'tool', 'run'),
      join(home, 'scripts', 'deploy'),
    ].sort(),
  );
  assert.ok(!folders.some((folder) => folder.includes('.ssh')));
});

test("Yarn's global cache in the home folder is read, where Plug'n'Play finds the packages", () => {
  const home = make('home', 'ken');
  const cache = make('home', 'ken', '.yarn', 'berry', 'cache');
  assert.deepEqual(toolchainFolders('', home, [], '/usr/bin/node'), [cache]);
});
