// Issue 59's check: no string in src/, docs/, action.yml or a workflow `init` writes installs a
// package by a name this repository does not bring in itself. The CLI's own name is not in the
// registry (anyone may claim it), so `npm install -g spec-orchestrator` or `npx orchestrator` would run
// whatever the claimant published. Allowed: a local path (a tarball, a folder), a name in
// package.json's dependencies, a command one of them installs (`npx tsc` is typescript's), and a
// name in an npm scope package.json already depends on (only the scope's owner publishes there:
// `@anthropic-ai/claude-code` beside `@anthropic-ai/sdk`).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { actionWorkflow } from '../../../src/core/ci/actionWorkflow';
import { githubWorkflow } from '../../../src/core/ci/githubWorkflow';
import { CLI_FACTS } from '../../../src/core/runners/detect/cliFacts';

const ROOT = resolve(__dirname, '../../..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};
const names = new Set(Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }));
const scopes = new Set([...names].filter((name) => name.startsWith('@')).map((name) => name.split('/')[0]));
/** The commands package.json's dependencies install (their `bin`), for `npx <command>`. */
const commands = new Set<string>();
for (const name of names) {
  try {
    const bin = (
      JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as {
        bin?: string | Record<string, string>;
      }
    ).bin;
    if (typeof bin === 'string') commands.add(name.split('/').pop()!);
    else for (const command of Object.keys(bin ?? {})) commands.add(command);
  } catch {
    // Not installed here: its name is allowed all the same.
  }
}

/** The package a spec names (`x@1.2`, `@s/x@^1`), or undefined for a path or a value not known here (`${name}`). */
function packageOf(spec: string): string | undefined {
  if (/^[.~/]|\.tgz$|^\$|^file:|^<|^\{/.test(spec)) return undefined;
  const at = spec.indexOf('@', 1);
  return at > 0 ? spec.slice(0, at) : spec;
}

function allowed(name: string, asCommand: boolean): boolean {
  return (
    names.has(name) || (asCommand && commands.has(name)) || (name.startsWith('@') && scopes.has(name.split('/')[0]))
  );
}

/** The packages a text installs: npm install/i/add, npx, pnpm add/dlx, yarn (global) add/dlx, bunx. */
function installsIn(text: string): { name: string; asCommand: boolean; line: string }[] {
  const found: { name: string; asCommand: boolean; line: string }[] = [];
  const pattern =
    /\b(npm (?:install|i|add)|npx|pnpm (?:add|dlx)|pnpx|yarn (?:global add|add|dlx)|bunx)\b([^`'"#;&|)<>\n]*)/g;
  for (const m of text.matchAll(pattern)) {
    const tool = m[1]!;
    const words = m[2]!.trim().split(/\s+/).filter(Boolean);
    const runs = ['npx', 'pnpx', 'bunx', 'pnpm dlx', 'yarn dlx'].includes(tool);
    // `npx --package X cmd`: X is what is installed; cmd is a command of X.
    let packaged = false;
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      const given =
        runs && (word === '-p' || word === '--package')
          ? (words[++i] ?? '')
          : runs && word.startsWith('--package=')
            ? word.slice('--package='.length)
            : undefined;
      if (given !== undefined) {
        packaged = true;
        const name = packageOf(given);
        if (name) found.push({ name, asCommand: false, line: m[0] });
        continue;
      }
      if (word === '--prefix' || word === '-c' || word === '--call') {
        i++;
        continue;
      }
      if (word.startsWith('-')) continue;
      if (packaged) break;
      const name = packageOf(word);
      if (name && /^(@[\w.-]+\/)?[\w.-]+$/.test(name)) found.push({ name, asCommand: runs, line: m[0] });
      // npx and the like run their first word; what follows are its arguments.
      if (runs) break;
    }
  }
  return found;
}

/** A Markdown page's code (spans and fenced blocks): its prose says "npm install" in words, not as commands. */
function codeOf(markdown: string): string {
  const blocks = [...markdown.matchAll(/^```[^\n]*\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
  const spans = [...markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '').matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
  return [...blocks, ...spans].join('\n');
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory()
      ? filesUnder(path)
      : /\.(ts|tsx|mjs|cjs|js|md|ya?ml|json)$/.test(name)
        ? [path]
        : [];
  });
}

test('the scanner finds an install by a foreign name, and passes paths and our own dependencies', () => {
  const names = (text: string) =>
    installsIn(text)
      .filter((i) => !allowed(i.name, i.asCommand))
      .map((i) => i.name);
  assert.deepEqual(names('npm install --global spec-orchestrator@0.1.0'), ['spec-orchestrator']);
  assert.deepEqual(names('run: npx orchestrator verify --all'), ['orchestrator']);
  assert.deepEqual(names('npm i -g left-pad && npx --package some-cli some'), ['left-pad', 'some-cli']);
  assert.deepEqual(
    names('npm install --global ./spec-orchestrator-0.1.0.tgz; npx --package ./x.tgz orchestrator init'),
    [],
  );
  assert.deepEqual(
    names('npx tsc --noEmit; npx jest --verbose; npm install -g @anthropic-ai/claude-code; npm install'),
    [],
  );
});

test('no string in src/, docs/, action.yml or a workflow init writes installs a package by a name we do not bring in', () => {
  const texts: [string, string][] = [
    ...[...filesUnder(join(ROOT, 'src')), ...filesUnder(join(ROOT, 'docs')), join(ROOT, 'action.yml')].map(
      (file): [string, string] => {
        const text = readFileSync(file, 'utf8');
        return [relative(ROOT, file), file.endsWith('.md') ? codeOf(text) : text];
      },
    ),
    [
      'init --github-action',
      actionWorkflow({ label: 'orchestrator', config: '.claude/orchestrator.yaml', ciWorkflows: ['CI'] }),
    ],
    ['init --ci github', githubWorkflow({})],
    // The install hints of the CLI agents' runners (`npm install --global ${facts.npmPackage}`).
    ...Object.values(CLI_FACTS).map((facts): [string, string] => [
      `CLI_FACTS ${facts.label}`,
      `npm install --global ${facts.npmPackage}`,
    ]),
  ];
  const foreign = texts.flatMap(([where, text]) =>
    installsIn(text)
      .filter((i) => !allowed(i.name, i.asCommand))
      .map((i) => `${where}: ${i.line.trim()}`),
  );
  assert.deepEqual(foreign, []);
});
