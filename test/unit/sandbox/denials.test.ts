// What a sandboxed process's own messages say was refused: writes to read-only places (node,
// coreutils, sh), connections to loopback ports and names the sandbox does not open, and files
// hidden from it (only when they exist on the host: a file that is simply missing is no refusal).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { denialsIn } from '../../../src/core/sandbox/denials';

const visibility = { cwd: '/work/wt', bound: ['/work/wt', '/home/ada/.nvm'], hidden: ['/home/ada', '/home/ada/shop'] };
const onHost = new Set([
  '/home/ada/.ssh/id_ed25519',
  '/home/ada/shop/.env',
  '/home/ada/shop/.git/config',
  '/home/ada/.nvm/nvm.sh',
]);

test('denials: writes, connections, names and hidden files, each once, relative paths from the cwd', () => {
  const output = [
    "Error: EROFS: read-only file system, open '/work/wt/.git/hooks/pre-commit'",
    "touch: cannot touch '/home/ada/.bashrc': Read-only file system",
    '/bin/sh: 1: cannot create .git/config: Read-only file system',
    'Error: connect ECONNREFUSED 127.0.0.1:5432',
    'Error: connect ECONNREFUSED 127.0.0.1:5432',
    'Error: getaddrinfo EAI_AGAIN evil.example.com',
    'curl: (6) Could not resolve host: exfil.example.net',
    "Error: ENOENT: no such file or directory, open '/home/ada/.ssh/id_ed25519'",
    'cat: /home/ada/shop/.env: No such file or directory',
    "Error: ENOENT: no such file or directory, open '/home/ada/.ssh/not-there'",
    'cat: /home/ada/.nvm/nvm.sh: No such file or directory',
    'cat: /work/wt/missing.txt: No such file or directory',
    'Path /home/ada/shop/.git/config does not exist. Please provide a valid path.',
    'Path /work/wt/gone.md does not exist. Please provide a valid path.',
  ].join('\n');
  assert.deepEqual(
    denialsIn(output, visibility, (path) => onHost.has(path)),
    [
      { kind: 'write', target: '/work/wt/.git/hooks/pre-commit' },
      { kind: 'write', target: '/home/ada/.bashrc' },
      { kind: 'write', target: '/work/wt/.git/config' },
      { kind: 'net', target: '127.0.0.1:5432' },
      { kind: 'net', target: 'evil.example.com' },
      { kind: 'net', target: 'exfil.example.net' },
      { kind: 'read', target: '/home/ada/.ssh/id_ed25519' },
      { kind: 'read', target: '/home/ada/shop/.env' },
      { kind: 'read', target: '/home/ada/shop/.git/config' },
    ],
  );
});

test('denials: a flood of refusals is capped', () => {
  const output = Array.from({ length: 100 }, (_, i) => `Error: connect ECONNREFUSED 127.0.0.1:${1000 + i}`).join('\n');
  assert.equal(denialsIn(output, visibility).length, 20);
});
