// A throw-away copy of examples/changeset (issue 73): the parent folder and its three members, each
// member a git repository with one commit, as a user's clones of them would be.
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type AgentScript, say } from './engine/agentScript';
import { git, initRepo, tempDir } from './gitFixture';

export const CHANGESET = resolve(__dirname, '../../examples/changeset');
export const CHANGESET_MEMBERS = ['service', 'sdk', 'web'] as const;

/** The copy's parent folder (removed when the test process ends); `withoutWorkspaceFile` leaves its `.claude/` out, for init to write. */
export function makeChangeset(options: { withoutWorkspaceFile?: boolean } = {}): string {
  const dir = join(tempDir('orch-changeset-'), 'changeset');
  cpSync(CHANGESET, dir, {
    recursive: true,
    filter: (src) => !/[\\/](node_modules|runs)([\\/]|$)/.test(src.slice(CHANGESET.length)),
  });
  if (options.withoutWorkspaceFile) rmSync(join(dir, '.claude'), { recursive: true });
  for (const member of CHANGESET_MEMBERS) {
    const repo = join(dir, member);
    initRepo(repo);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', member);
  }
  return dir;
}

/**
 * Two members linked by a step of the user's (`via: command`): `app`'s check passes only when its
 * `value.txt` says 2, which `lib`'s says only uncommitted (`value` writes it), and the link copies it
 * over. Each a git repository with its own config; the parent folder is returned.
 */
export function makeCommandPair(value = '2'): string {
  const dir = join(tempDir('orch-changeset-pair-'), 'pair');
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  write(
    '.claude/workspace.yaml',
    'version: 1\nrepositories:\n  lib: { path: lib }\n  app: { path: app }\nuses:\n  - { consumer: app, producer: lib, via: command, link: "cp {producer}/value.txt value.txt" }\n',
  );
  for (const member of ['lib', 'app']) {
    write(
      `${member}/.claude/orchestrator.yaml`,
      `layers:\n  ${member}:\n    owns: ["value.txt"]\n    validate: ["node scripts/check.js"]\n`,
    );
    write(`${member}/value.txt`, '1\n');
    write(
      `${member}/scripts/check.js`,
      member === 'lib'
        ? 'process.exit(0);\n'
        : "const v = require('fs').readFileSync('value.txt', 'utf8').trim();\nif (v !== '2') {\n  console.error(`value.txt is ${v}, not 2`);\n  process.exit(1);\n}\n",
    );
    initRepo(join(dir, member));
    git(join(dir, member), 'add', '-A');
    git(join(dir, member), 'commit', '-q', '-m', member);
  }
  write('lib/value.txt', `${value}\n`);
  return dir;
}

export const TRIO = ['a', 'b', 'c'] as const;

/**
 * Three members in a chain, a ← b ← c (`fan`: a ← b and a ← c) (`via: command`: the link copies the producer's `value.txt`
 * to the consumer's `upstream.txt`), each checking that its value agrees with its producer's, each
 * with a bare remote `origin` (`remotes/<m>.git`, branch main) and (`github`) `github: shop/<m>`. `branch`: a
 * branch of that name in each member of `changed` sets its value to 2 (the change-set).
 */
export function makeTrio(
  branch = 'v2',
  changed: readonly string[] = TRIO,
  github = true,
  shape: 'chain' | 'fan' = 'chain',
): { dir: string; remotes: Record<string, string> } {
  const dir = join(tempDir('orch-changeset-trio-'), 'trio');
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const link = (consumer: string, producer: string) =>
    `  - { consumer: ${consumer}, producer: ${producer}, via: command, link: "cp {producer}/value.txt upstream.txt" }\n`;
  write(
    '.claude/workspace.yaml',
    `version: 1\nrepositories:\n${TRIO.map((m) => `  ${m}: { path: ${m}${github ? `, github: shop/${m}` : ''} }\n`).join('')}uses:\n${link('b', 'a')}${link('c', shape === 'fan' ? 'a' : 'b')}`,
  );
  const remotes: Record<string, string> = {};
  for (const member of TRIO) {
    const repo = join(dir, member);
    write(
      `${member}/.claude/orchestrator.yaml`,
      `layers:\n  ${member}:\n    owns: ["value.txt"]\n    validate: ["node scripts/check.js"]\n`,
    );
    write(`${member}/.gitignore`, 'upstream.txt\n');
    write(`${member}/value.txt`, '1\n');
    write(
      `${member}/scripts/check.js`,
      [
        "const fs = require('fs');",
        "const mine = fs.readFileSync('value.txt', 'utf8').trim();",
        "const theirs = fs.existsSync('upstream.txt') ? fs.readFileSync('upstream.txt', 'utf8').trim() : mine;",
        // A chain's value agrees with its producer's; a fan's consumer needs its producer's value at least
        // (a producer going up breaks no consumer; a consumer going up needs its producer's change).
        `if (${shape === 'fan' ? 'Number(mine) > Number(theirs)' : 'theirs !== mine'}) {`,
        "  console.error(`value.txt says ${mine}, its producer's ${theirs}`);",
        '  process.exit(1);',
        '}',
        '',
      ].join('\n'),
    );
    initRepo(repo);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', member);
    remotes[member] = join(dir, 'remotes', `${member}.git`);
    mkdirSync(remotes[member], { recursive: true });
    git(remotes[member], 'init', '-q', '--bare', '-b', 'main');
    git(repo, 'remote', 'add', 'origin', remotes[member]);
    git(repo, 'push', '-q', 'origin', 'main');
    if (!changed.includes(member)) continue;
    git(repo, 'checkout', '-q', '-b', branch);
    write(`${member}/value.txt`, '2\n');
    git(repo, 'commit', '-q', '-am', `${member}: value 2`);
    git(repo, 'checkout', '-q', 'main');
  }
  return { dir, remotes };
}

/** A trio member's part of the spec, as its spec agent writes it: its value to 2, one criterion, one task. */
const trioSpec = (member: string) => `## Spec: ${member}'s value

### Summary
${member}'s value goes to 2.

### Requirements

#### REQ-1: Value two
**Acceptance criteria**
- REQ-1.1: WHEN ${member}'s check runs THE value SHALL be 2.

### Files to Create/Modify

#### ${member.toUpperCase()}
- [ ] value.txt: the value 2

### Tasks
1. [ ] ${member.toUpperCase()}: value.txt says 2 (REQ-1)

### Dependencies
- None
`;

/** The trio's spec agent: each member's part, for the member its request names. */
export const trioSpecAgent: AgentScript = ({ task }) => {
  const member = /This is (a|b|c)'s part/.exec(task)![1]!;
  return say.spec(`${member} value`, `${member}-value`, trioSpec(member));
};
