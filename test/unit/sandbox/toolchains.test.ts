// Which PATH entries a sandbox binds read-only: a toolchain's prefix outside HOME, a toolchain
// home inside it (~/.nvm), only the entry itself for any other folder of HOME (~/.local/bin,
// ~/.cargo/bin: never ~/.cargo and its credentials), nothing of the user's checkout.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
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
